/**
 * Notices a worker that stopped answering (frozen, swapped out, stuck in a loop) — mediasoup
 * only notices one that exits. Each worker is asked for its resource usage every interval; one
 * whose answer is overdue past `hungAfterMs` is hung (the pool reports not-ready and places no
 * new lecture on it), and past `replaceAfterMs` it is killed, so the pool replaces it as a
 * crashed one. The answers double as the CPU and memory samples /metrics reports, so a scrape
 * never waits on a worker.
 */
import type { types as ms } from 'mediasoup';
import type { SfuLogger } from './logger.ts';

export interface WorkerWatch {
  /** The last resource usage the worker reported. */
  usage: ms.WorkerResourceUsage | undefined;
  /** When the question now outstanding was asked; undefined when none is. */
  askedAt: number | undefined;
  hung: boolean;
}

export interface WatchedWorker {
  readonly slot: number;
  readonly worker: ms.Worker;
  readonly watch: WorkerWatch;
}

export interface WatchdogOptions {
  intervalMs: number;
  hungAfterMs: number;
  replaceAfterMs: number;
}

export function newWatch(): WorkerWatch {
  return { usage: undefined, askedAt: undefined, hung: false };
}

export class WorkerWatchdog {
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly workers: () => readonly WatchedWorker[],
    private readonly options: WatchdogOptions,
    private readonly log: SfuLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.#timer = setInterval(() => this.check(), options.intervalMs);
    this.#timer.unref();
  }

  /** One round: judge the overdue, ask the rest. */
  check(): void {
    const now = this.now();
    for (const w of this.workers()) {
      if (w.worker.closed) continue;
      const { watch } = w;
      if (watch.askedAt === undefined) {
        this.#ask(w, now);
        continue;
      }
      const waited = now - watch.askedAt;
      if (waited >= this.options.replaceAfterMs) {
        this.log.error({ slot: w.slot, pid: w.worker.pid, waitedMs: waited }, 'mediasoup worker hung; killing it to replace it');
        // The pool's 'died' handler replaces it on the same slot, and the lectures rebuild their media.
        try {
          process.kill(w.worker.pid, 'SIGKILL');
        } catch {
          // Already gone: mediasoup reports the death itself.
        }
      } else if (waited >= this.options.hungAfterMs && !watch.hung) {
        watch.hung = true;
        this.log.warn({ slot: w.slot, pid: w.worker.pid, waitedMs: waited }, 'mediasoup worker not answering; not ready, new lectures avoid it');
      }
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #ask(w: WatchedWorker, now: number): void {
    const { watch } = w;
    watch.askedAt = now;
    w.worker.getResourceUsage().then(
      (usage) => {
        watch.usage = usage;
        watch.askedAt = undefined;
        if (watch.hung) this.log.info({ slot: w.slot, pid: w.worker.pid }, 'mediasoup worker answers again');
        watch.hung = false;
      },
      // A closed worker rejects: nothing to judge any more.
      () => {
        watch.askedAt = undefined;
      },
    );
  }
}
