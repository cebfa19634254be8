import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { sfuConfig, sfuConfigFromEnv } from './config.ts';

describe('sfuConfigFromEnv', () => {
  it('defaults to one worker per core on localhost, ports from 40000', () => {
    expect(sfuConfigFromEnv({})).toEqual({
      numWorkers: os.cpus().length,
      listenIp: '127.0.0.1',
      rtcPort: 40000,
      logLevel: 'warn',
      maxIncomingBitrate: 3_000_000,
      initialAvailableOutgoingBitrate: 1_000_000,
      maxConsumersPerRouter: 500,
      watchdogIntervalMs: 1_000,
      workerHungAfterMs: 3_000,
      workerReplaceAfterMs: 10_000,
      composeThreads: 1,
      composeNice: 10,
      gatewayRtmpPorts: null,
    });
  });

  it('reads every variable', () => {
    const config = sfuConfigFromEnv({
      SFU_WORKERS: '3',
      SFU_LISTEN_IP: '0.0.0.0',
      SFU_ANNOUNCED_IP: '203.0.113.7',
      SFU_RTC_PORT: '45000',
      SFU_LOG_LEVEL: 'debug',
      SFU_MAX_INCOMING_BITRATE: '2000000',
      SFU_INITIAL_OUTGOING_BITRATE: '800000',
      SFU_MAX_CONSUMERS_PER_ROUTER: '200',
      SFU_WORKER_HUNG_MS: '5000',
      SFU_WORKER_REPLACE_MS: '20000',
      COMPOSE_THREADS: '2',
      COMPOSE_NICE: '15',
      GATEWAY_RTMP_PORTS: '19350-19359',
    });
    expect(config).toEqual({
      numWorkers: 3,
      listenIp: '0.0.0.0',
      announcedIp: '203.0.113.7',
      rtcPort: 45000,
      logLevel: 'debug',
      maxIncomingBitrate: 2_000_000,
      initialAvailableOutgoingBitrate: 800_000,
      maxConsumersPerRouter: 200,
      watchdogIntervalMs: 1_000,
      workerHungAfterMs: 5_000,
      workerReplaceAfterMs: 20_000,
      composeThreads: 2,
      composeNice: 15,
      gatewayRtmpPorts: { first: 19350, last: 19359 },
    });
  });

  it('treats blank variables as unset', () => {
    expect(sfuConfigFromEnv({ SFU_WORKERS: ' ', SFU_ANNOUNCED_IP: '' }).announcedIp).toBeUndefined();
  });

  it('refuses malformed values instead of guessing', () => {
    expect(() => sfuConfigFromEnv({ SFU_WORKERS: 'two' })).toThrow(/SFU_WORKERS/);
    expect(() => sfuConfigFromEnv({ SFU_WORKERS: '0' })).toThrow(/numWorkers/);
    expect(() => sfuConfigFromEnv({ SFU_RTC_PORT: '-1' })).toThrow(/SFU_RTC_PORT/);
    expect(() => sfuConfigFromEnv({ SFU_WORKERS: '4', SFU_RTC_PORT: '65534' })).toThrow(/rtcPort/);
    expect(() => sfuConfigFromEnv({ SFU_LOG_LEVEL: 'verbose' })).toThrow(/SFU_LOG_LEVEL/);
    expect(() => sfuConfigFromEnv({ SFU_MAX_CONSUMERS_PER_ROUTER: '0' })).toThrow(/maxConsumersPerRouter/);
    expect(() => sfuConfigFromEnv({ GATEWAY_RTMP_PORTS: '1935' })).toThrow(/GATEWAY_RTMP_PORTS/);
    expect(() => sfuConfigFromEnv({ GATEWAY_RTMP_PORTS: '19399-19350' })).toThrow(/gatewayRtmpPorts/);
  });

  it('wants an announced address when listening on all interfaces', () => {
    expect(() => sfuConfigFromEnv({ SFU_LISTEN_IP: '0.0.0.0' })).toThrow(/SFU_ANNOUNCED_IP/);
  });

  it('accepts port 0 (each worker picks free ports) for tests', () => {
    expect(sfuConfig({ rtcPort: 0, numWorkers: 2 }).rtcPort).toBe(0);
  });
});
