/**
 * The typed signaling connection: requests with acknowledgements, broadcasts, connection state.
 * Free of React, of media and of Node or DOM APIs, so the browser page, the load-test bots and the
 * tests all speak the protocol through this one class.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap,
  ServerToClientEvents,
} from '@tongtang/shared';
import { ERROR_CODES, type ErrorCode } from '@tongtang/shared';
import { RequestError, type ClientErrorCode } from './RequestError.ts';

export const ConnectionState = {
  Connecting: 'connecting',
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  Disconnected: 'disconnected',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export interface SignalClientOptions {
  /** The join token (unknown: tests send malformed ones on purpose). */
  token: unknown;
  /** Defaults to the page's own origin (the signaling server serves the web client). */
  url?: string;
  requestTimeoutMs?: number;
  /**
   * Asked, while reconnecting, for another node to try (cluster failover); given the URL that
   * stopped answering. Without it the client retries its own node only.
   */
  failover?: (current: string) => Promise<string | undefined>;
  /**
   * false: one connection with its own engine and no retry, as a load-test bot or a test wants
   * (a dropped client is counted, not silently healed). Default true, as the page wants.
   */
  reconnect?: boolean;
  /** How long a connection attempt may take before it fails (Socket.IO's default otherwise). */
  connectTimeoutMs?: number;
  /** Called with every request's round trip, so each request doubles as a latency sample. */
  onRtt?: (sample: RttSample) => void;
}

/** Options of `SignalClient.connect`, the one-shot connection of bots and tests. */
export type ConnectOptions = Omit<SignalClientOptions, 'token' | 'url' | 'reconnect' | 'failover'>;

export interface RttSample {
  request: string;
  ms: number;
  ok: boolean;
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
  readonly #onRtt: ((sample: RttSample) => void) | undefined;
  readonly #listeners = new Set<(change: ConnectionChange) => void>();
  #state: ConnectionState = ConnectionState.Connecting;
  #error: ConnectionChange['error'] = null;
  #everConnected = false;
  #lookingElsewhere = false;

  constructor(options: SignalClientOptions) {
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onRtt = options.onRtt;
    const oneShot = options.reconnect === false ? { reconnection: false, forceNew: true } : {};
    const timeout = options.connectTimeoutMs === undefined ? {} : { timeout: options.connectTimeoutMs };
    const opts = { auth: { token: options.token }, transports: ['websocket'], autoConnect: false, ...oneShot, ...timeout };
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

  /**
   * Connects once (no retry) and resolves when the server accepted the token; rejects with a
   * RequestError whose `request` is `connect`: the server's code (TOKEN_INVALID, RATE_LIMITED...)
   * and, as the message, what Socket.IO reported.
   */
  static connect(url: string, token: unknown, options: ConnectOptions = {}): Promise<SignalClient> {
    const client = new SignalClient({ ...options, url, token, reconnect: false });
    const socket = client.#socket;
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', (err: Error) => {
        client.close();
        reject(new RequestError(client.#error?.code ?? 'UNAVAILABLE', err.message, { request: 'connect', cause: err }));
      });
      client.connect();
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

  get connected(): boolean {
    return this.#socket.connected;
  }

  /**
   * The Socket.IO socket underneath, for tests that must misbehave on purpose (no ack, oversized
   * frames, floods). Everything else goes through the typed methods.
   */
  get socket(): TypedSocket {
    return this.#socket;
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
  async request<N extends RequestName>(name: N, payload: RequestOf<N>, timeoutMs?: number): Promise<ResponseMap[N]> {
    const ack = await this.requestRaw(name, payload, timeoutMs);
    if (ack.ok) return ack.data as ResponseMap[N];
    const { code, message, issues } = ack.error;
    throw new RequestError(code, `${name} failed: ${code} ${message}`, { issues, request: name });
  }

  /**
   * Sends any event name with any payload and returns the acknowledgement as it came. Only tests
   * and diagnostics use it; transport failures come back as an error ack, never as a throw.
   */
  requestRaw(name: string, payload: unknown, timeoutMs = this.#timeoutMs): Promise<RawAck> {
    const socket = this.#socket as unknown as LooseSocket;
    // Buffered requests would reach a new server session after a reconnect; fail fast instead.
    if (!socket.connected) return Promise.resolve(failure('DISCONNECTED', `not connected (${name})`));
    const start = performance.now();
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit(name, payload, (err: Error | null, ack: RawAck) => {
        this.#onRtt?.({ request: name, ms: performance.now() - start, ok: !err && ack.ok });
        if (err) resolve(failure('TIMEOUT', `${name} got no answer in ${timeoutMs} ms`));
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

  /** The next broadcast of this name that matches, or a TIMEOUT RequestError after timeoutMs. */
  next<E extends BroadcastName>(event: E, match: (payload: BroadcastMap[E]) => boolean = () => true, timeoutMs = 5_000): Promise<BroadcastMap[E]> {
    return new Promise((resolve, reject) => {
      const off = this.on(event, (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
      const timer = setTimeout(() => {
        off();
        reject(new RequestError('TIMEOUT', `no matching ${event} within ${timeoutMs} ms`, { request: event }));
      }, timeoutMs);
    });
  }

  /** Every server broadcast, in order (tests record them); returns the unsubscribe function. */
  onAny(listener: (event: string, payload: unknown) => void): () => void {
    this.#socket.onAny(listener);
    return () => this.#socket.offAny(listener);
  }

  /** Called with Socket.IO's reason whenever the connection drops; returns the unsubscribe function. */
  onDisconnect(handler: (reason: string) => void): () => void {
    this.#socket.on('disconnect', handler);
    return () => this.#socket.off('disconnect', handler);
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
