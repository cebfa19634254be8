import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Device } from 'mediasoup-client/types';
import type { SignalClient } from '../signal/SignalClient.ts';
import { openTransport } from './transport.ts';

/** A mediasoup-client transport as far as openTransport touches it. */
class FakeTransport extends EventEmitter {
  id = 't1';
  closed = false;
  restartIce = vi.fn(async () => {});
}

async function setup() {
  const transport = new FakeTransport();
  const device = { createRecvTransport: () => transport, createSendTransport: () => transport } as unknown as Device;
  let answer: (v: unknown) => void = () => {};
  const request = vi.fn((name: string) => (name === 'media:createTransport'
    ? Promise.resolve({ id: 't1', iceParameters: {}, iceCandidates: [], dtlsParameters: {} })
    : new Promise((resolve) => { answer = resolve; })));
  await openTransport(device, { request } as unknown as SignalClient, 'recv', () => false);
  const restarts = () => request.mock.calls.filter(([name]) => name === 'media:restartIce').length;
  return { transport, restarts, answer: (v: unknown) => answer(v) };
}

describe('openTransport ICE restarts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts ICE when a transport stays disconnected for 2 s, with the server\'s new parameters', async () => {
    const { transport, restarts, answer } = await setup();
    transport.emit('connectionstatechange', 'disconnected');
    vi.advanceTimersByTime(1_900);
    expect(restarts()).toBe(0);
    vi.advanceTimersByTime(200);
    expect(restarts()).toBe(1);
    answer({ iceParameters: { usernameFragment: 'new' } });
    await vi.runAllTimersAsync();
    expect(transport.restartIce).toHaveBeenCalledWith({ iceParameters: { usernameFragment: 'new' } });
  });

  it('leaves a blip that reconnects within the grace alone', async () => {
    const { transport, restarts } = await setup();
    transport.emit('connectionstatechange', 'disconnected');
    vi.advanceTimersByTime(1_000);
    transport.emit('connectionstatechange', 'connected');
    vi.advanceTimersByTime(10_000);
    expect(restarts()).toBe(0);
  });

  it('restarts at once on failed, one restart at a time, and again on a later failure', async () => {
    const { transport, restarts, answer } = await setup();
    transport.emit('connectionstatechange', 'failed');
    transport.emit('connectionstatechange', 'failed');
    expect(restarts()).toBe(1);
    answer({ iceParameters: {} });
    await vi.runAllTimersAsync();
    transport.emit('connectionstatechange', 'failed');
    expect(restarts()).toBe(2);
  });
});
