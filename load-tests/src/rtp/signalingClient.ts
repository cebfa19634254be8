/**
 * The load client's side of the signaling protocol: typed requests that time their own
 * round trip, so every request doubles as a signaling latency sample.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack, BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap, ServerToClientEvents,
} from '../../../shared/src/index.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class RequestError extends Error {
  constructor(readonly request: string, readonly code: string, message: string) {
    super(`${request} failed: ${code} ${message}`);
  }
}

export interface RttSample {
  request: string;
  ms: number;
  ok: boolean;
}

export class SignalingClient {
  private constructor(
    private readonly socket: ClientSocket,
    private readonly onRtt: (s: RttSample) => void,
  ) {}

  /** Connects with a join token; rejects with the server's refusal code (TOKEN_INVALID...) or a timeout. */
  static connect(url: string, token: string, onRtt: (s: RttSample) => void = () => {}, timeoutMs = 15_000): Promise<SignalingClient> {
    const socket: ClientSocket = io(url, {
      auth: { token },
      transports: ['websocket'],
      // A reconnect would be a new session mid-measurement; a dropped peer is counted, not healed.
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new SignalingClient(socket, onRtt)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends a request; resolves with its data or throws RequestError. */
  async call<N extends RequestName>(name: N, payload: RequestOf<N>, timeoutMs = 15_000): Promise<ResponseMap[N]> {
    const start = performance.now();
    let res: Ack<ResponseMap[N]>;
    try {
      res = (await (this.socket as unknown as Socket).timeout(timeoutMs).emitWithAck(name, payload)) as Ack<ResponseMap[N]>;
    } catch (err) {
      this.onRtt({ request: name, ms: performance.now() - start, ok: false });
      throw new RequestError(name, 'TIMEOUT', (err as Error).message);
    }
    this.onRtt({ request: name, ms: performance.now() - start, ok: res.ok });
    if (!res.ok) throw new RequestError(name, res.error.code, res.error.message);
    return res.data;
  }

  on<E extends BroadcastName>(event: E, handler: (payload: BroadcastMap[E]) => void): void {
    (this.socket as unknown as { on(e: string, h: (p: BroadcastMap[E]) => void): void }).on(event, handler);
  }

  onDisconnect(handler: (reason: string) => void): void {
    this.socket.on('disconnect', handler);
  }

  close(): void {
    this.socket.close();
  }
}
