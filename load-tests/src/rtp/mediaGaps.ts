/**
 * Media gaps as a receiver lives them: per stream it follows (a publisher's camera, microphone,
 * screen), the silences between packets, across consumers — after a media reset the stream comes
 * back on a new consumer, and what counts is how long the receiver went without it. A loss
 * percentage cannot show an outage: a receiver that gets nothing loses nothing.
 */

/** Longer than any pause between packets of a live stream (the slowest clip is a 5 fps screen share). */
export const GAP_MS = 1_000;

export interface StreamGaps {
  /** `participantId/source`. */
  stream: string;
  /** Gaps longer than GAP_MS that ended (media came back). */
  count: number;
  /** The longest of them, or of the open one (ms). */
  longestMs: number;
  /** Each ended gap's length (ms): how long that outage took to recover. */
  recoveredMs: number[];
  /** Media stopped and never came back before the end: how long it had been missing (ms). */
  openMs: number | null;
}

export class GapTracker {
  readonly #last = new Map<string, number>();
  readonly #gaps = new Map<string, number[]>();

  /** One packet of `stream` arrived at `nowMs`. */
  packet(stream: string, nowMs: number): void {
    const last = this.#last.get(stream);
    if (last !== undefined && nowMs - last > GAP_MS) {
      let gaps = this.#gaps.get(stream);
      if (!gaps) this.#gaps.set(stream, (gaps = []));
      gaps.push(nowMs - last);
    }
    this.#last.set(stream, nowMs);
  }

  /** Stops following a stream that ended on purpose (floor revoked, publisher left). */
  forget(stream: string): void {
    this.#last.delete(stream);
  }

  summary(nowMs: number): StreamGaps[] {
    return [...this.#last.keys(), ...[...this.#gaps.keys()].filter((s) => !this.#last.has(s))].map((stream) => {
      const recoveredMs = this.#gaps.get(stream) ?? [];
      const last = this.#last.get(stream);
      const open = last !== undefined && nowMs - last > GAP_MS ? nowMs - last : null;
      return { stream, count: recoveredMs.length, longestMs: Math.max(0, open ?? 0, ...recoveredMs), recoveredMs, openMs: open };
    });
  }
}
