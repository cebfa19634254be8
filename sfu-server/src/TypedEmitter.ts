/** An event emitter whose events each carry one typed payload. */
import { EventEmitter } from 'node:events';

export class TypedEmitter<E extends object> {
  readonly #emitter = new EventEmitter();
  readonly #onListenerError: (event: string, err: unknown) => void;

  /** A throwing listener must not break the mediasoup callback that emitted, so errors go here. */
  constructor(onListenerError: (event: string, err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
    // Signaling subscribes once per event, tests add a few more: not a leak.
    this.#emitter.setMaxListeners(50);
  }

  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): void {
    this.#emitter.on(event, listener);
  }

  off<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): void {
    this.#emitter.off(event, listener);
  }

  emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    for (const listener of this.#emitter.listeners(event)) {
      try {
        (listener as (p: E[K]) => void)(payload);
      } catch (err) {
        this.#onListenerError(event, err);
      }
    }
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
