/** A typed Socket.IO connection speaking the Tongtang protocol, for one simulated participant. */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack, BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap, ServerToClientEvents,
} from '../../../shared/src/index.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An error ack or a timeout, with the protocol code so the report can group failures. */
export class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export class SignalClient {
  private constructor(readonly socket: ClientSocket) {}

  static connect(url: string, token: string, timeoutMs: number): Promise<SignalClient> {
    // forceNew: each participant gets its own engine and WebSocket, as separate browsers would;
    // no reconnection, so a dropped client is counted rather than silently retried.
    const socket: ClientSocket = io(url, {
      auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new SignalClient(socket)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(new RequestError(`CONNECT:${err.message}`, `connect failed: ${err.message}`));
      });
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends a request and resolves with its data; rejects with RequestError on an error ack or timeout. */
  async call<N extends RequestName>(name: N, payload: RequestOf<N>, timeoutMs = 30_000): Promise<ResponseMap[N]> {
    let res: Ack<ResponseMap[N]>;
    try {
      res = (await (this.socket as unknown as Socket).timeout(timeoutMs).emitWithAck(name, payload)) as Ack<ResponseMap[N]>;
    } catch {
      throw new RequestError('TIMEOUT', `${name}: no answer within ${timeoutMs} ms`);
    }
    if (!res.ok) throw new RequestError(res.error.code, `${name}: ${res.error.code} ${res.error.message}`);
    return res.data;
  }

  on<E extends BroadcastName>(event: E, handler: (payload: BroadcastMap[E]) => void): void {
    (this.socket as unknown as { on(e: string, h: (p: BroadcastMap[E]) => void): void }).on(event, handler);
  }

  off<E extends BroadcastName>(event: E, handler: (payload: BroadcastMap[E]) => void): void {
    (this.socket as unknown as { off(e: string, h: (p: BroadcastMap[E]) => void): void }).off(event, handler);
  }

  /** The next broadcast of this name that matches, or a rejection after timeoutMs. */
  next<E extends BroadcastName>(event: E, match: (p: BroadcastMap[E]) => boolean, timeoutMs: number): Promise<BroadcastMap[E]> {
    return new Promise((resolve, reject) => {
      const handler = (payload: BroadcastMap[E]) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        this.off(event, handler);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        this.off(event, handler);
        reject(new RequestError('TIMEOUT', `no matching ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(event, handler);
    });
  }

  close(): void {
    this.socket.close();
  }
}
