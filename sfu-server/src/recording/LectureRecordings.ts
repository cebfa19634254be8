/** The tracks of one lecture being recorded on this node, one TrackRecorder per producer. */
import { AppError, type MediaNodeEvents, type RecordTrackRequest } from '@tongtang/shared';
import type { SfuLogger } from '../logger.ts';
import type { MediaLedger } from '../MediaLedger.ts';
import type { TypedEmitter } from '../TypedEmitter.ts';
import { TrackRecorder } from './TrackRecorder.ts';

/** File names come from ids; keep them to characters every filesystem takes. */
const SAFE_STEM = /^[A-Za-z0-9_.-]{1,120}$/;

export class LectureRecordings {
  readonly #recorders = new Map<string, Promise<TrackRecorder>>();
  readonly #ledger: MediaLedger;
  readonly #events: TypedEmitter<MediaNodeEvents>;
  readonly #log: SfuLogger;

  constructor(ledger: MediaLedger, events: TypedEmitter<MediaNodeEvents>, log: SfuLogger) {
    this.#ledger = ledger;
    this.#events = events;
    this.#log = log;
  }

  /** Starts recording a producer of this lecture; a no-op while it is already recorded. */
  start(req: RecordTrackRequest): Promise<void> {
    const { producerId, lectureId } = req;
    if (!SAFE_STEM.test(req.stem)) return Promise.reject(new AppError('BAD_REQUEST', 'recording file stem must be a plain name'));
    const known = this.#recorders.get(producerId);
    if (known) return known.then(() => undefined);
    const { producer, slot } = this.#ledger.producer(producerId);
    const starting = TrackRecorder.start({
      router: slot.router,
      producer,
      dir: req.dir,
      stem: req.stem,
      meta: req.meta,
      log: this.#log,
      onFailed: (message) => this.#events.emit('recordingFailed', { lectureId, producerId, message }),
      onClosed: () => {
        if (this.#recorders.get(producerId) === starting) this.#recorders.delete(producerId);
      },
    });
    this.#recorders.set(producerId, starting);
    // A failed start is not cached: the next start tries again.
    starting.catch(() => {
      if (this.#recorders.get(producerId) === starting) this.#recorders.delete(producerId);
    });
    return starting.then(() => undefined);
  }

  /** Ends a producer's recording cleanly (ffmpeg writes its trailer); safe when none runs. */
  async stop(producerId: string): Promise<void> {
    const recorder = await this.#recorders.get(producerId)?.catch(() => undefined);
    this.#recorders.delete(producerId);
    await recorder?.stop();
  }

  /** Producers being recorded now. */
  recording(): string[] {
    return [...this.#recorders.keys()];
  }

  /** Stops every recording (the lecture's media is closing). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#recorders.keys()].map((id) => this.stop(id)));
  }
}
