/** A typed Socket.IO client for tests: requests return the raw Ack so tests can assert errors. */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack, BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap, ServerToClientEvents,
} from '../../shared/src/index.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class TestClient {
  readonly events: { event: string; payload: unknown }[] = [];

  private constructor(readonly socket: ClientSocket) {
    socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }

  static connect(url: string, token: unknown): Promise<TestClient> {
    const socket: ClientSocket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new TestClient(socket)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
  }

  /** Sends a request and resolves with the acknowledgement, success or error. */
  request<N extends RequestName>(name: N, payload: RequestOf<N>, timeoutMs = 10_000): Promise<Ack<ResponseMap[N]>> {
    return this.raw(name, payload, timeoutMs) as Promise<Ack<ResponseMap[N]>>;
  }

  /** Like request, but throws on an error ack. */
  async call<N extends RequestName>(name: N, payload: RequestOf<N>): Promise<ResponseMap[N]> {
    const res = await this.request(name, payload);
    if (!res.ok) throw new Error(`${name} failed: ${res.error.code} ${res.error.message}`);
    return res.data;
  }

  /** Sends anything at all, for bad-input tests. */
  raw(event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<unknown>> {
    return (this.socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload);
  }

  /** Resolves with the next broadcast of this name that matches, or rejects after timeoutMs. */
  next<E extends BroadcastName>(event: E, match: (p: BroadcastMap[E]) => boolean = () => true, timeoutMs = 5_000): Promise<BroadcastMap[E]> {
    const socket = this.socket as unknown as { on(e: string, h: Handler): void; off(e: string, h: Handler): void };
    type Handler = (payload: BroadcastMap[E]) => void;
    return new Promise((resolve, reject) => {
      const handler: Handler = (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        socket.off(event, handler);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        socket.off(event, handler);
        reject(new Error(`no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on(event, handler);
    });
  }

  close(): void {
    this.socket.close();
  }
}
