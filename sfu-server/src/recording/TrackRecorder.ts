/**
 * Records one producer as a series of segments, supervising ffmpeg: if it dies, a new segment
 * (a new file, a new consumer) starts within a couple of seconds and the old file stays as it was
 * written. A producer that closes ends the recording; repeated failures without data give up and
 * say why (a full disk, an unwritable directory), instead of restarting forever in silence.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { types as ms } from 'mediasoup';
import { AppError } from '@tongtang/shared';
import type { SfuLogger } from '../logger.ts';
import { containerOf } from './sdp.ts';
import { Segment, type SegmentEnd } from './Segment.ts';

const RESTART_DELAY_MS = 1_000;
const MAX_FAILURES_WITHOUT_DATA = 3;

export interface TrackRecorderOptions {
  router: ms.Router;
  producer: ms.Producer;
  dir: string;
  /** File name without segment number or extension. */
  stem: string;
  meta: Record<string, unknown>;
  log: SfuLogger;
  /** Called once when the recording gave up (not when it was stopped or its producer closed). */
  onFailed(message: string): void;
  /** Called once when the recorder is done, for whatever reason. */
  onClosed(): void;
}

export class TrackRecorder {
  readonly files: string[] = [];
  readonly #opts: TrackRecorderOptions;
  #segment: Segment | undefined;
  #failures = 0;
  #closed = false;
  #restart: NodeJS.Timeout | undefined;

  private constructor(opts: TrackRecorderOptions) {
    this.#opts = opts;
  }

  /** Starts the first segment; an unwritable directory is UNAVAILABLE with the reason. */
  static async start(opts: TrackRecorderOptions): Promise<TrackRecorder> {
    try {
      fs.mkdirSync(opts.dir, { recursive: true });
      fs.accessSync(opts.dir, fs.constants.W_OK);
    } catch (err) {
      throw new AppError('UNAVAILABLE', `the recording directory cannot be written: ${(err as Error).message}`, { cause: err });
    }
    const recorder = new TrackRecorder(opts);
    await recorder.#next();
    return recorder;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The ffmpeg of the current segment (tests kill it to prove supervision). */
  get pid(): number | undefined {
    return this.#segment?.pid;
  }

  /** Ends the current segment cleanly. Safe twice. */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#close();
    await this.#segment?.stop();
  }

  async #next(): Promise<void> {
    const { dir, stem, producer } = this.#opts;
    const n = this.files.length + 1;
    const { ext } = containerOf(producer.rtpParameters.codecs[0]?.mimeType ?? '');
    const file = path.join(dir, `${stem}-${String(n).padStart(3, '0')}.${ext}`);
    this.files.push(file);
    const segment = await Segment.start({ ...this.#opts, file, segment: n });
    this.#segment = segment;
    if (this.#closed || producer.closed) await segment.stop();
    void segment.ended.then((end) => this.#onEnded(end));
  }

  #onEnded(end: SegmentEnd): void {
    if (this.#closed) return;
    const { producer, log } = this.#opts;
    if (end.finished || producer.closed) {
      this.#close();
      return;
    }
    this.#failures = end.bytes > 0 ? 0 : this.#failures + 1;
    log.warn({ producerId: producer.id, code: end.code, signal: end.signal, stderr: end.stderr, failures: this.#failures }, 'recorder ffmpeg died');
    if (this.#failures >= MAX_FAILURES_WITHOUT_DATA) {
      this.#close();
      this.#opts.onFailed(`recording ${producer.kind} stopped: ffmpeg failed ${this.#failures} times (${lastLine(end.stderr)})`);
      return;
    }
    this.#restart = setTimeout(() => {
      this.#next().catch((err: unknown) => this.#onEnded({ ...end, bytes: 0, stderr: (err as Error).message }));
    }, RESTART_DELAY_MS);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restart);
    this.#opts.onClosed();
  }
}

function lastLine(text: string): string {
  return text.split('\n').filter(Boolean).pop()?.slice(0, 200) ?? 'no output';
}
