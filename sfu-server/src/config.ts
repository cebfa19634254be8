/** The SFU's settings, read once from the environment at start-up. */
import os from 'node:os';

export const WORKER_LOG_LEVELS = ['debug', 'warn', 'error', 'none'] as const;
export type WorkerLogLevel = (typeof WORKER_LOG_LEVELS)[number];

export interface SfuConfig {
  /** mediasoup workers (one process, one core each). */
  numWorkers: number;
  /** Address the WebRTC sockets bind to. */
  listenIp: string;
  /** Public address put in ICE candidates when listenIp is private or a wildcard (NAT, 0.0.0.0). */
  announcedIp?: string;
  /**
   * First WebRTC port: worker i listens on rtcPort + i, UDP and TCP, for all its transports, so a
   * campus firewall only has to open numWorkers ports. 0 lets each worker pick free ports (tests).
   */
  rtcPort: number;
  logLevel: WorkerLogLevel;
  /** Cap on what one client may send us (bps): three simulcast layers plus audio fit in ~3 Mbps. */
  maxIncomingBitrate: number;
  /** Starting estimate for what we send a client (bps), before congestion control learns more. */
  initialAvailableOutgoingBitrate: number;
  /** Consumers one router should carry before a lecture fans out to a router on another worker. */
  maxConsumersPerRouter: number;
  /** How often the watchdog asks each worker for its resource usage. */
  watchdogIntervalMs: number;
  /** A worker that has not answered for this long is hung: not ready, and new lectures avoid it. */
  workerHungAfterMs: number;
  /** A worker hung for this long is killed and replaced, as if it had died. */
  workerReplaceAfterMs: number;
  /** Encoder threads of the one replay composition a node runs at a time (its CPU ceiling). */
  composeThreads: number;
  /** Niceness of the composition's ffmpeg (0..19): the live lectures' workers come first. */
  composeNice: number;
  /**
   * TCP ports the gateway's RTMP listeners take (one per classroom encoder), so a campus firewall
   * opens a known range; null: any free port (tests, a trial on one machine).
   */
  gatewayRtmpPorts: { first: number; last: number } | null;
}

export const DEFAULT_SFU_CONFIG: Omit<SfuConfig, 'numWorkers'> = {
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
};

/** A complete config from defaults plus overrides (tests, embedding). Validates like the env path. */
export function sfuConfig(overrides: Partial<SfuConfig> = {}): SfuConfig {
  const config: SfuConfig = { numWorkers: os.cpus().length || 1, ...DEFAULT_SFU_CONFIG, ...overrides };
  validate(config);
  return config;
}

/**
 * Reads SFU_WORKERS, SFU_LISTEN_IP, SFU_ANNOUNCED_IP, SFU_RTC_PORT, SFU_LOG_LEVEL,
 * SFU_MAX_INCOMING_BITRATE, SFU_INITIAL_OUTGOING_BITRATE, SFU_MAX_CONSUMERS_PER_ROUTER,
 * SFU_WORKER_HUNG_MS, SFU_WORKER_REPLACE_MS, COMPOSE_THREADS, COMPOSE_NICE and GATEWAY_RTMP_PORTS.
 * Throws on a malformed value: a typo should stop the start-up, not silently fall back.
 */
export function sfuConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  const overrides: Partial<SfuConfig> = {};
  const numWorkers = intVar(env, 'SFU_WORKERS');
  if (numWorkers !== undefined) overrides.numWorkers = numWorkers;
  const listenIp = strVar(env, 'SFU_LISTEN_IP');
  if (listenIp !== undefined) overrides.listenIp = listenIp;
  const announcedIp = strVar(env, 'SFU_ANNOUNCED_IP');
  if (announcedIp !== undefined) overrides.announcedIp = announcedIp;
  const rtcPort = intVar(env, 'SFU_RTC_PORT');
  if (rtcPort !== undefined) overrides.rtcPort = rtcPort;
  const logLevel = strVar(env, 'SFU_LOG_LEVEL');
  if (logLevel !== undefined) {
    if (!(WORKER_LOG_LEVELS as readonly string[]).includes(logLevel)) {
      throw new Error(`SFU_LOG_LEVEL must be one of ${WORKER_LOG_LEVELS.join(', ')} (got "${logLevel}")`);
    }
    overrides.logLevel = logLevel as WorkerLogLevel;
  }
  const maxIn = intVar(env, 'SFU_MAX_INCOMING_BITRATE');
  if (maxIn !== undefined) overrides.maxIncomingBitrate = maxIn;
  const initialOut = intVar(env, 'SFU_INITIAL_OUTGOING_BITRATE');
  if (initialOut !== undefined) overrides.initialAvailableOutgoingBitrate = initialOut;
  const maxConsumers = intVar(env, 'SFU_MAX_CONSUMERS_PER_ROUTER');
  if (maxConsumers !== undefined) overrides.maxConsumersPerRouter = maxConsumers;
  const hung = intVar(env, 'SFU_WORKER_HUNG_MS');
  if (hung !== undefined) overrides.workerHungAfterMs = hung;
  const replace = intVar(env, 'SFU_WORKER_REPLACE_MS');
  if (replace !== undefined) overrides.workerReplaceAfterMs = replace;
  const threads = intVar(env, 'COMPOSE_THREADS');
  if (threads !== undefined) overrides.composeThreads = threads;
  const nice = intVar(env, 'COMPOSE_NICE');
  if (nice !== undefined) overrides.composeNice = nice;
  const rtmpPorts = strVar(env, 'GATEWAY_RTMP_PORTS');
  if (rtmpPorts !== undefined) {
    const match = /^(\d+)-(\d+)$/.exec(rtmpPorts);
    if (!match) throw new Error(`GATEWAY_RTMP_PORTS must be a range like 19350-19399 (got "${rtmpPorts}")`);
    overrides.gatewayRtmpPorts = { first: Number(match[1]), last: Number(match[2]) };
  }
  return sfuConfig(overrides);
}

function validate(c: SfuConfig): void {
  if (!Number.isInteger(c.numWorkers) || c.numWorkers < 1) throw new Error(`numWorkers must be >= 1 (got ${c.numWorkers})`);
  if (!Number.isInteger(c.rtcPort) || c.rtcPort < 0 || (c.rtcPort > 0 && c.rtcPort + c.numWorkers - 1 > 65535)) {
    throw new Error(`rtcPort ${c.rtcPort} leaves no room for ${c.numWorkers} workers below 65536`);
  }
  // A wildcard address would end up in the ICE candidates and no client could reach it.
  if ((c.listenIp === '0.0.0.0' || c.listenIp === '::') && !c.announcedIp) {
    throw new Error(`listenIp ${c.listenIp} needs an announcedIp (SFU_ANNOUNCED_IP) that clients can reach`);
  }
  const r = c.gatewayRtmpPorts;
  if (r && !(Number.isInteger(r.first) && Number.isInteger(r.last) && r.first >= 1 && r.first <= r.last && r.last <= 65535)) {
    throw new Error(`gatewayRtmpPorts ${r.first}-${r.last} is not a port range`);
  }
  if (c.workerReplaceAfterMs <= c.workerHungAfterMs) {
    throw new Error(`workerReplaceAfterMs (${c.workerReplaceAfterMs}) must exceed workerHungAfterMs (${c.workerHungAfterMs})`);
  }
  if (c.composeNice > 19) throw new Error(`composeNice must be 0..19 (got ${c.composeNice})`);
  for (const key of ['composeThreads', 'maxIncomingBitrate', 'initialAvailableOutgoingBitrate', 'maxConsumersPerRouter', 'watchdogIntervalMs', 'workerHungAfterMs'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new Error(`${key} must be a positive integer (got ${c[key]})`);
  }
}

function strVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function intVar(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = strVar(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer (got "${raw}")`);
  return Number(raw);
}
