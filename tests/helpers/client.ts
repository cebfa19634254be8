/**
 * The tests' view of the shared protocol client (protocol-client/): the same SignalClient the page
 * and the load-test bots use, with the names the test suite was written against — `request`
 * answers the raw Ack so a test can assert an error, `call` throws — and every broadcast recorded.
 */
import type { Socket } from 'socket.io-client';
import { SignalClient } from '@tongtang/protocol-client';
import type { Ack, BroadcastMap, BroadcastName, ClientToServerEvents, RequestName, RequestOf, ResponseMap, ServerToClientEvents } from '@tongtang/shared';

export class TestClient {
  readonly events: { event: string; payload: unknown }[] = [];

  private constructor(readonly signal: SignalClient) {
    signal.onAny((event, payload) => this.events.push({ event, payload }));
  }

  /** Rejects with the shared RequestError: `message` is the server's refusal (TOKEN_INVALID...). */
  static async connect(url: string, token: unknown): Promise<TestClient> {
    return new TestClient(await SignalClient.connect(url, token));
  }

  get socket(): Socket<ServerToClientEvents, ClientToServerEvents> {
    return this.signal.socket;
  }

  /** Sends a request and resolves with the acknowledgement, success or error. */
  request<N extends RequestName>(name: N, payload: RequestOf<N>, timeoutMs = 10_000): Promise<Ack<ResponseMap[N]>> {
    return this.raw(name, payload, timeoutMs) as Promise<Ack<ResponseMap[N]>>;
  }

  /** Like request, but throws (a RequestError) on an error ack. */
  call<N extends RequestName>(name: N, payload: RequestOf<N>): Promise<ResponseMap[N]> {
    return this.signal.request(name, payload);
  }

  /** Sends anything at all, for bad-input tests; a timeout comes back as a TIMEOUT error ack. */
  raw(event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<unknown>> {
    return this.signal.requestRaw(event, payload, timeoutMs) as Promise<Ack<unknown>>;
  }

  /** Resolves with the next broadcast of this name that matches, or rejects after timeoutMs. */
  next<E extends BroadcastName>(event: E, match: (p: BroadcastMap[E]) => boolean = () => true, timeoutMs = 5_000): Promise<BroadcastMap[E]> {
    return this.signal.next(event, match, timeoutMs);
  }

  close(): void {
    this.signal.close();
  }
}
