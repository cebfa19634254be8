/**
 * The routers one lecture uses. Everything is sent to the origin router; receivers are spread over
 * routers on other workers once a router's consumer budget is spent (one worker is one core, and
 * fan-out is what costs CPU in a 1+M+N lecture). Producers reach those routers through pipes.
 */
import type { types as ms } from 'mediasoup';
import { AppError } from '@tongtang/shared';
import { MEDIA_CODECS } from './codecs.ts';
import { attempt } from './mediaErrors.ts';
import type { PooledWorker, WorkerPool } from './WorkerPool.ts';

export interface RouterSlot {
  readonly router: ms.Router;
  readonly pooled: PooledWorker;
  /** Producers of another router already piped here, by producer id (the pipe keeps the id). */
  readonly piped: Map<string, Promise<void>>;
}

/** Called when mediasoup closed a router under us (its worker closed or died). */
export type RouterLostHandler = (slot: RouterSlot, workerDied: boolean) => void;

export class LectureRouters {
  readonly #lectureId: string;
  readonly #pool: WorkerPool;
  readonly #onLost: RouterLostHandler;
  readonly #slots: RouterSlot[] = [];
  #origin: RouterSlot | undefined;
  /** Router choice and creation run one at a time, so two concurrent first calls make one router. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(lectureId: string, pool: WorkerPool, onLost: RouterLostHandler) {
    this.#lectureId = lectureId;
    this.#pool = pool;
    this.#onLost = onLost;
  }

  get all(): readonly RouterSlot[] {
    return this.#slots;
  }

  /** The router every send transport lives on, created (or re-elected after a worker died) on demand. */
  origin(): Promise<RouterSlot> {
    return this.#serialised(async () => {
      if (this.#origin) return this.#origin;
      // Promote a surviving fan-out router rather than add one: its receivers need no pipe then.
      this.#origin = this.#slots[0] ?? (await this.#create(this.#pool.pick()));
      return this.#origin;
    });
  }

  /**
   * The router for a new receive transport: the first one (origin first) whose estimated load is
   * under budget, else a new router on the least-loaded worker this lecture does not use yet, else
   * (every worker already carries this lecture) the least-loaded of ours, over budget.
   */
  forReceiver(loadOf: (slot: RouterSlot) => number, budget: number): Promise<RouterSlot> {
    return this.#serialised(async () => {
      const ordered = this.#origin ? [this.#origin, ...this.#slots.filter((s) => s !== this.#origin)] : [...this.#slots];
      if (ordered.length === 0) {
        this.#origin = await this.#create(this.#pool.pick());
        return this.#origin;
      }
      const roomy = ordered.find((s) => loadOf(s) < budget);
      if (roomy) return roomy;
      const unused = this.#pool.leastLoaded(new Set(this.#slots.map((s) => s.pooled.worker)));
      if (unused) return this.#create(unused);
      return ordered.reduce((best, s) => (loadOf(s) < loadOf(best) ? s : best));
    });
  }

  /** Makes `producerId` (living on `from`) consumable on `to`; piping twice is a no-op. */
  pipe(producerId: string, from: RouterSlot, to: RouterSlot): Promise<void> {
    const known = to.piped.get(producerId);
    if (known) return known;
    const piping = attempt('pipe producer to fan-out router', () =>
      from.router.pipeToRouter({ producerId, router: to.router }),
    ).then(({ pipeProducer }) => {
      // The pipe producer closes with the original: forget it so nobody trusts a dead entry.
      if (!pipeProducer || pipeProducer.closed) to.piped.delete(producerId);
      else pipeProducer.observer.once('close', () => to.piped.delete(producerId));
    });
    to.piped.set(producerId, piping);
    piping.catch(() => {
      if (to.piped.get(producerId) === piping) to.piped.delete(producerId);
    });
    return piping;
  }

  /** Closes every router (cascading to transports, producers, consumers). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots.splice(0)) slot.router.close();
    this.#origin = undefined;
  }

  async #create(pooled: PooledWorker): Promise<RouterSlot> {
    const router = await attempt('create router', () =>
      pooled.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { lectureId: this.#lectureId } }),
    );
    if (this.#closed) {
      router.close();
      throw new AppError('NOT_FOUND', `lecture ${this.#lectureId} closed while creating a router`);
    }
    const slot: RouterSlot = { router, pooled, piped: new Map() };
    this.#slots.push(slot);
    // 'workerclose' is mediasoup closing the router for us; our own close() does not emit it.
    router.once('workerclose', () => {
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      if (this.#origin === slot) this.#origin = undefined;
      this.#onLost(slot, pooled.worker.died);
    });
    return slot;
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new AppError('NOT_FOUND', `lecture ${this.#lectureId} media closed`);
      return task();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
