/**
 * The pre-class connection check: does this network reach the server over HTTP and over the
 * WebSocket the live connection uses, and which path (UDP or TCP) does media take — before
 * joining through a throwaway probe transport, in a session from the real transports.
 */
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, SctpParameters, Transport } from 'mediasoup-client/types';
import { io } from 'socket.io-client';
import type { ProbeOptions } from '@tongtang/shared';
import { createDevice } from './device.ts';
import { transportPathOf, type TransportPath } from './stats.ts';

export type CheckStatus = 'checking' | 'ok' | 'fail' | 'pending';

export interface ServerCheck {
  status: CheckStatus;
  ms: number | null;
}

const TIMEOUT_MS = 8_000;

export async function checkServer(): Promise<ServerCheck> {
  const started = performance.now();
  try {
    const res = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: res.ok ? 'ok' : 'fail', ms: Math.round(performance.now() - started) };
  } catch {
    return { status: 'fail', ms: null };
  }
}

/**
 * Opens a throwaway WebSocket with no token. The server refuses it with TOKEN_INVALID — which
 * proves the WebSocket got through proxies and firewalls to the server; a network failure
 * gives no code at all.
 */
export function probeSignaling(): Promise<CheckStatus> {
  return new Promise((resolve) => {
    const socket = io({ auth: { token: '' }, transports: ['websocket'], reconnection: false, timeout: TIMEOUT_MS });
    const done = (status: CheckStatus) => {
      socket.close();
      resolve(status);
    };
    socket.on('connect', () => done('ok'));
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code ?? err.message;
      done(code === 'TOKEN_INVALID' || code === 'TOKEN_EXPIRED' ? 'ok' : 'fail');
    });
  });
}

export interface MediaCheck {
  status: CheckStatus;
  path: TransportPath | null;
  /** The direct path is blocked but the server runs TURN: the lecture will go through the relay. */
  viaTurn?: boolean;
}

/** Whether the server hands out TURN credentials on joining (the probe itself has none). */
export async function serverOffersTurn(): Promise<boolean> {
  try {
    const res = await fetch('/api/config', { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok && ((await res.json()) as { turn?: boolean }).turn === true;
  } catch {
    return false;
  }
}

/**
 * Before joining: does media reach the server's media port, and over UDP or TCP? Opens a
 * throwaway transport on the server (POST /api/probe) and a data channel over it — no camera or
 * microphone involved — then reads which ICE candidate pair the browser selected.
 */
export async function probeMedia(timeoutMs = TIMEOUT_MS): Promise<MediaCheck> {
  let transport: Transport | undefined;
  try {
    const probe = (await postJson('/api/probe', undefined)) as ProbeOptions;
    const device = createDevice();
    await device.load({ routerRtpCapabilities: probe.routerRtpCapabilities as RtpCapabilities });
    const t = device.createSendTransport({
      id: probe.id,
      iceParameters: probe.iceParameters as IceParameters,
      iceCandidates: probe.iceCandidates as IceCandidate[],
      dtlsParameters: probe.dtlsParameters as DtlsParameters,
      sctpParameters: probe.sctpParameters as SctpParameters,
    });
    transport = t;
    t.on('connect', ({ dtlsParameters }, done, fail) => {
      postJson(`/api/probe/${encodeURIComponent(probe.id)}/connect`, { dtlsParameters }).then(() => done(), fail);
    });
    // The server never sees this data producer: opening the channel is what starts ICE and DTLS.
    t.on('producedata', (_params, done) => done({ id: `probe-${probe.id}` }));
    const connected = new Promise<void>((resolve, reject) => {
      t.on('connectionstatechange', (state) => {
        if (state === 'connected') resolve();
        else if (state === 'failed') reject(new Error('media connection failed'));
      });
      setTimeout(() => reject(new Error('media connection timed out')), timeoutMs);
    });
    await Promise.all([t.produceData({ ordered: false, maxRetransmits: 0 }), connected]);
    const path = transportPathOf(await t.getStats());
    return { status: path ? 'ok' : 'fail', path };
  } catch {
    return { status: 'fail', path: null };
  } finally {
    transport?.close();
  }
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}
