/**
 * The typed signaling connection: requests with acknowledgements, broadcasts, connection state.
 * Free of React and of media so a load-test bot can reuse the same pattern.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap,
  ServerToClientEvents,
} from '../../../shared/src/protocol.ts';
import { ERROR_CODES, type ErrorCode } from '../../../shared/src/errors.ts';
import { RequestError, type ClientErrorCode } from './RequestError.ts';

export const ConnectionState = {
  Connecting: 'connecting',
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  Disconnected: 'disconnected',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export interface SignalClientOptions {
  token: string;
  /** Defaults to the page's own origin (the signaling server serves the web client). */
  url?: string;
  requestTimeoutMs?: number;
  /**
   * Asked, while reconnecting, for another node to try (cluster failover); given the URL that
   * stopped answering. Without it the client retries its own node only.
   */
  failover?: (current: string) => Promise<string | undefined>;
}

export interface ConnectionChange {
  state: ConnectionState;
  /** Why the server refused or dropped us, when it said so (e.g. TOKEN_EXPIRED). */
  error: { code: ClientErrorCode; message: string } | null;
}

/** An acknowledgement as the page sees it: the server's, or a client-side TIMEOUT/DISCONNECTED. */
export type RawAck =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: ClientErrorCode; message: string; issues?: string[] } };

type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** The untyped view used internally: Socket.IO's generics cannot follow a generic request name. */
type LooseSocket = Socket;

const DEFAULT_TIMEOUT_MS = 10_000;
/** Failed reconnection attempts (about 3 s with the default back-off) before looking elsewhere. */
const FAILOVER_AFTER_ATTEMPTS = 2;

export class SignalClient {
  readonly #socket: TypedSocket;
  readonly #timeoutMs: number;
  readonly #listeners = new Set<(change: ConnectionChange) => void>();
  #state: ConnectionState = ConnectionState.Connecting;
  #error: ConnectionChange['error'] = null;
  #everConnected = false;
  #lookingElsewhere = false;

  constructor(options: SignalClientOptions) {
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const opts = { auth: { token: options.token }, transports: ['websocket'], autoConnect: false };
    this.#socket = options.url ? io(options.url, opts) : io(opts);

    if (options.failover) this.#enableFailover(options.failover);

    this.#socket.on('connect', () => {
      this.#everConnected = true;
      this.#setState(ConnectionState.Connected, null);
    });
    this.#socket.on('disconnect', () => {
      // `active` is false when we or the server closed the socket on purpose: no retry follows.
      this.#setState(this.#socket.active ? ConnectionState.Reconnecting : ConnectionState.Disconnected, this.#error);
    });
    this.#socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      // The server's auth middleware puts its code in both places; a network failure has neither.
      const code = knownCode(err.data?.code) ?? knownCode(err.message) ?? 'UNAVAILABLE';
      const error = { code, message: err.data?.message ?? err.message };
      if (!this.#socket.active) this.#setState(ConnectionState.Disconnected, error);
      else this.#setState(this.#everConnected ? ConnectionState.Reconnecting : ConnectionState.Connecting, error);
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get error(): ConnectionChange['error'] {
    return this.#error;
  }

  connect(): void {
    this.#socket.connect();
  }

  /** The node this client talks to (or is trying to reach). */
  get url(): string {
    return (this.#socket.io as unknown as { uri: string }).uri;
  }

  #enableFailover(failover: (current: string) => Promise<string | undefined>): void {
    this.#socket.io.on('reconnect_attempt', (attempt) => {
      if (attempt < FAILOVER_AFTER_ATTEMPTS || this.#lookingElsewhere) return;
      this.#lookingElsewhere = true;
      failover(this.url)
        .then((next) => {
          // The manager builds a new engine from `uri` on every attempt, so the next one goes there.
          if (next && !this.#socket.connected) (this.#socket.io as unknown as { uri: string }).uri = next;
        })
        .catch(() => {})
        .finally(() => { this.#lookingElsewhere = false; });
    });
  }

  /** Listens to connection state changes; returns the unsubscribe function. */
  onConnectionChange(listener: (change: ConnectionChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends a request and resolves with its data, or throws a RequestError. */
  async request<N extends RequestName>(name: N, payload: RequestOf<N>): Promise<ResponseMap[N]> {
    const ack = await this.requestRaw(name, payload);
    if (ack.ok) return ack.data as ResponseMap[N];
    throw new RequestError(ack.error.code, ack.error.message, { issues: ack.error.issues });
  }

  /**
   * Sends any event name with any payload and returns the acknowledgement as it came. Only tests
   * and diagnostics use it; transport failures come back as an error ack, never as a throw.
   */
  requestRaw(name: string, payload: unknown): Promise<RawAck> {
    const socket = this.#socket as unknown as LooseSocket;
    // Buffered requests would reach a new server session after a reconnect; fail fast instead.
    if (!socket.connected) return Promise.resolve(failure('DISCONNECTED', `not connected (${name})`));
    return new Promise((resolve) => {
      socket.timeout(this.#timeoutMs).emit(name, payload, (err: Error | null, ack: RawAck) => {
        if (err) resolve(failure('TIMEOUT', `${name} got no answer in ${this.#timeoutMs} ms`));
        else resolve(ack);
      });
    });
  }

  /** Listens to a server broadcast; returns the unsubscribe function. */
  on<E extends BroadcastName>(event: E, handler: (payload: BroadcastMap[E]) => void): () => void {
    const socket = this.#socket as unknown as LooseSocket;
    const listener = handler as (payload: unknown) => void;
    socket.on(event as string, listener);
    return () => socket.off(event as string, listener);
  }

  /**
   * Closes the underlying transport without telling Socket.IO it was on purpose, exactly like a
   * dropped network: the client reconnects on its own. For tests and diagnostics.
   */
  simulateDrop(): void {
    this.#socket.io.engine?.close();
  }

  /** Closes the connection for good. Safe to call twice. */
  close(): void {
    this.#socket.disconnect();
    this.#setState(ConnectionState.Disconnected, this.#error);
  }

  #setState(state: ConnectionState, error: ConnectionChange['error']): void {
    if (state === this.#state && error === this.#error) return;
    this.#state = state;
    this.#error = error;
    for (const listener of [...this.#listeners]) listener({ state, error });
  }
}

function failure(code: ClientErrorCode, message: string): RawAck {
  return { ok: false, error: { code, message } };
}

function knownCode(code: string | undefined): ErrorCode | undefined {
  return ERROR_CODES.find((known) => known === code);
}
