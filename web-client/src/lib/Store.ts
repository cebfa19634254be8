/**
 * A value that changes over time and tells its listeners. Each change replaces the value, so
 * React reads it with useSyncExternalStore and non-React code (tests, bots) just calls get().
 */
export class Store<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  readonly get = (): T => this.#value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(next: T): void {
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    for (const listener of [...this.#listeners]) listener();
  }

  update(change: (previous: T) => T): void {
    this.set(change(this.#value));
  }
}
