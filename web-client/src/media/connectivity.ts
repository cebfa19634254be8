/**
 * The pre-class connection check: does this network reach the server over HTTP and over the
 * WebSocket the live connection uses, and which path (UDP or TCP) does media take. The last
 * one needs a joined session, because the server opens media ports only for participants.
 */
import { io } from 'socket.io-client';

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
