/**
 * One composition at a time on this node: composing is CPU-heavy and must not starve the live
 * lectures' media workers. Asking again for a recording already queued or composing joins it,
 * so a burst of requests starts one job. A recording's queued state is written at once, so its
 * listing says "composing" from the moment it is asked for.
 */
import type { ReplayStatus } from '@tongtang/shared';
import { composeRecording, queuedStatus, writeStatus, type ComposeOptions } from './compose.ts';

export class ComposeQueue {
  readonly #jobs = new Map<string, Promise<ReplayStatus>>();
  readonly #abort = new AbortController();
  #tail: Promise<unknown> = Promise.resolve();
  /** Compositions run so far (finished or failed), for tests and metrics. */
  started = 0;

  constructor(private readonly options: Omit<ComposeOptions, 'signal'>) {}

  enqueue(dir: string): Promise<ReplayStatus> {
    const known = this.#jobs.get(dir);
    if (known) return known;
    try {
      writeStatus(dir, queuedStatus());
    } catch { /* reported by the composition itself */ }
    const job = this.#tail.then(() => {
      this.started++;
      return composeRecording(dir, { ...this.options, signal: this.#abort.signal });
    });
    this.#jobs.set(dir, job);
    this.#tail = job.catch(() => undefined);
    void job.finally(() => this.#jobs.delete(dir)).catch(() => undefined);
    return job;
  }

  /** How many wait or run now. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Kills the running composition (its status says cancelled; a restart composes it again). */
  close(): void {
    this.#abort.abort();
  }
}
