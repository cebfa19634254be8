/**
 * The lecture's event log beside its media: one JSON object a line, `at` in epoch milliseconds
 * (the clock the media sidecars use). Appended synchronously, so a crash loses nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@tongtang/shared';
import type { LogEvent } from './effectEvents.ts';

export class EventLog {
  readonly file: string;
  #failed = false;

  private constructor(file: string) {
    this.file = file;
  }

  /** Creates the directory and the log; UNAVAILABLE with the reason when it cannot be written. */
  static open(dir: string): EventLog {
    const file = path.join(dir, 'events.jsonl');
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(file, '');
    } catch (err) {
      throw new AppError('UNAVAILABLE', `the recording directory cannot be written: ${(err as Error).message}`, { cause: err });
    }
    return new EventLog(file);
  }

  /** False once a write failed (disk full...): the caller reports it once. */
  write(event: LogEvent, at = Date.now()): boolean {
    try {
      fs.appendFileSync(this.file, `${JSON.stringify({ at, ...event })}\n`);
      return true;
    } catch {
      this.#failed = true;
      return false;
    }
  }

  get failed(): boolean {
    return this.#failed;
  }
}
