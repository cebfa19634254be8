/**
 * The mediasoup worker processes, one WebRtcServer each, with their load. A worker that dies is
 * replaced on the same slot (same port), so the service keeps running with its full capacity.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { AppError, type WorkerHealth } from '@tongtang/shared';
import type { SfuConfig } from './config.ts';
import type { SfuLogger } from './logger.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import { newWatch, WorkerWatchdog, type WorkerWatch } from './WorkerWatchdog.ts';

/** Live counts, kept by mediasoup's observer events so nothing else has to remember to update them. */
export interface WorkerLoad {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
}

export interface PooledWorker {
  readonly slot: number;
  readonly worker: ms.Worker;
  readonly webRtcServer: ms.WebRtcServer;
  readonly load: WorkerLoad;
  /** The watchdog's view: last usage sample, whether it answers. */
  readonly watch: WorkerWatch;
}

export interface WorkerPoolEvents {
  /** Emitted after mediasoup has closed the worker's routers (their own close events ran first). */
  workerDied: { slot: number; pid: number; error: Error };
  workerReplaced: { slot: number; pid: number };
}

const MAX_RESPAWN_DELAY_MS = 30_000;

export class WorkerPool {
  readonly events: TypedEmitter<WorkerPoolEvents>;
  readonly #config: SfuConfig;
  readonly #log: SfuLogger;
  /** null while a slot's worker is dead and not yet replaced. */
  readonly #slots: (PooledWorker | null)[];
  readonly #lastPids: number[];
  readonly #respawnTimers = new Set<NodeJS.Timeout>();
  readonly #watchdog: WorkerWatchdog;
  #closed = false;

  private constructor(config: SfuConfig, log: SfuLogger) {
    this.#config = config;
    this.#log = log;
    this.#slots = new Array<PooledWorker | null>(config.numWorkers).fill(null);
    this.#lastPids = new Array<number>(config.numWorkers).fill(0);
    this.events = new TypedEmitter((event, err) => log.error({ err, event }, 'worker pool listener threw'));
    this.#watchdog = new WorkerWatchdog(() => this.workers, {
      intervalMs: config.watchdogIntervalMs, hungAfterMs: config.workerHungAfterMs, replaceAfterMs: config.workerReplaceAfterMs,
    }, log);
  }

  /** Starts all workers; fails (and leaves nothing running) if any of them cannot start. */
  static async create(config: SfuConfig, log: SfuLogger): Promise<WorkerPool> {
    const pool = new WorkerPool(config, log);
    try {
      await Promise.all(pool.#slots.map((_, slot) => pool.#spawn(slot)));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Live workers. */
  get workers(): PooledWorker[] {
    return this.#slots.filter((w): w is PooledWorker => w !== null);
  }

  /** True when every slot has a live worker that answers. */
  get allAlive(): boolean {
    return !this.#closed && this.#slots.every((w) => w !== null && !w.worker.closed && !w.watch.hung);
  }

  /** The live worker with the least work, skipping `exclude`; undefined if none is left. */
  leastLoaded(exclude: ReadonlySet<ms.Worker> = new Set()): PooledWorker | undefined {
    let best: PooledWorker | undefined;
    for (const w of this.workers) {
      if (exclude.has(w.worker) || w.worker.closed || w.watch.hung) continue;
      if (!best || compareLoad(w.load, best.load) < 0) best = w;
    }
    return best;
  }

  /** Like leastLoaded, but a missing worker is the caller's error to report. */
  pick(exclude?: ReadonlySet<ms.Worker>): PooledWorker {
    const w = this.leastLoaded(exclude);
    if (!w) throw new AppError('UNAVAILABLE', 'no live media worker');
    return w;
  }

  /** Per slot; usage comes from the watchdog's last sample, so this never waits on a worker. */
  health(): WorkerHealth[] {
    return this.#slots.map((w, slot) => {
      if (!w || w.worker.closed) {
        return { pid: this.#lastPids[slot] ?? 0, alive: false, hung: false, routers: 0, consumers: 0, cpuUserMs: null, cpuSystemMs: null, maxRssKb: null };
      }
      const usage = w.watch.usage;
      return {
        pid: w.worker.pid, alive: true, hung: w.watch.hung, routers: w.load.routers, consumers: w.load.consumers,
        cpuUserMs: usage?.ru_utime ?? null, cpuSystemMs: usage?.ru_stime ?? null, maxRssKb: usage?.ru_maxrss ?? null,
      };
    });
  }

  /** Closes every worker (cascading to their routers). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchdog.close();
    for (const timer of this.#respawnTimers) clearTimeout(timer);
    this.#respawnTimers.clear();
    for (const w of this.#slots) w?.worker.close();
    this.#slots.fill(null);
    this.events.removeAllListeners();
  }

  async #spawn(slot: number): Promise<void> {
    let worker: ms.Worker;
    try {
      worker = await mediasoup.createWorker({ logLevel: this.#config.logLevel, appData: { slot } });
    } catch (err) {
      throw new AppError('UNAVAILABLE', `cannot start mediasoup worker ${mediasoup.workerBin} (set MEDIASOUP_WORKER_BIN?)`, { cause: err });
    }
    if (this.#closed) {
      worker.close();
      return;
    }
    const load: WorkerLoad = { routers: 0, transports: 0, producers: 0, consumers: 0 };
    trackLoad(worker, load);
    let webRtcServer: ms.WebRtcServer;
    try {
      webRtcServer = await worker.createWebRtcServer({ listenInfos: this.#listenInfos(slot) });
    } catch (err) {
      worker.close();
      throw new AppError('UNAVAILABLE', `worker ${slot} cannot listen for WebRTC: ${String(err)}`, { cause: err });
    }
    if (this.#closed) {
      worker.close();
      return;
    }
    this.#slots[slot] = { slot, worker, webRtcServer, load, watch: newWatch() };
    // A first usage sample at once, so /metrics has one for every worker from the start.
    this.#watchdog.check();
    this.#lastPids[slot] = worker.pid;
    worker.on('died', (error) => this.#onDied(slot, worker, error));
    this.#log.info({ slot, pid: worker.pid, listen: this.#listenInfos(slot) }, 'mediasoup worker started');
  }

  #listenInfos(slot: number): ms.WebRtcServerListenInfo[] {
    const { listenIp: ip, announcedIp, rtcPort } = this.#config;
    // No port: the worker binds a free one from its range, so parallel test runs never collide.
    const port = rtcPort > 0 ? { port: rtcPort + slot } : {};
    return (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, ...(announcedIp ? { announcedIp } : {}), ...port }));
  }

  #onDied(slot: number, worker: ms.Worker, error: Error): void {
    if (this.#closed) return;
    if (this.#slots[slot]?.worker === worker) this.#slots[slot] = null;
    this.#log.error({ slot, pid: worker.pid, err: error }, 'mediasoup worker died; replacing it');
    this.events.emit('workerDied', { slot, pid: worker.pid, error });
    this.#respawn(slot, 0);
  }

  /** Retries with growing pauses: the port may be briefly busy, or the machine out of memory. */
  #respawn(slot: number, attempt: number): void {
    const delay = attempt === 0 ? 0 : Math.min(1000 * 2 ** (attempt - 1), MAX_RESPAWN_DELAY_MS);
    const timer = setTimeout(() => {
      this.#respawnTimers.delete(timer);
      if (this.#closed) return;
      this.#spawn(slot).then(
        () => {
          const w = this.#slots[slot];
          if (w) this.events.emit('workerReplaced', { slot, pid: w.worker.pid });
        },
        (err: unknown) => {
          this.#log.error({ slot, attempt, err }, 'mediasoup worker replacement failed; retrying');
          this.#respawn(slot, attempt + 1);
        },
      );
    }, delay);
    this.#respawnTimers.add(timer);
  }
}

/** Consumers dominate a lecture's cost (fan-out); router count spreads new lectures evenly on ties. */
function compareLoad(a: WorkerLoad, b: WorkerLoad): number {
  const work = (l: WorkerLoad): number => l.consumers + l.producers + l.transports;
  return work(a) - work(b) || a.routers - b.routers;
}

function trackLoad(worker: ms.Worker, load: WorkerLoad): void {
  const count = (key: keyof WorkerLoad, observer: { once(e: 'close', l: () => void): unknown }): void => {
    load[key]++;
    observer.once('close', () => load[key]--);
  };
  worker.observer.on('newrouter', (router) => {
    count('routers', router.observer);
    router.observer.on('newtransport', (transport) => {
      count('transports', transport.observer);
      transport.observer.on('newproducer', (producer) => count('producers', producer.observer));
      transport.observer.on('newconsumer', (consumer) => count('consumers', consumer.observer));
    });
  });
}
