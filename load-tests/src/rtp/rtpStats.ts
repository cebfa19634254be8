/**
 * Receive-side RTP statistics, kept free of I/O so they can be tested exactly: loss from sequence
 * numbers (RFC 3550 A.1, with 16-bit wrap-around), interarrival jitter (RFC 3550 6.4.1), one-way
 * delay from wall-clock RTP timestamps, and rates from cumulative counters.
 */

/** How far back duplicates are recognised; older stragglers are counted as `tooOld`. */
const WINDOW = 4096;

export type SeqVerdict = 'first' | 'next' | 'gap' | 'late' | 'duplicate' | 'tooOld';

/**
 * Tracks one stream's sequence numbers. `expected` spans the lowest to the highest (extended)
 * number seen; `received` counts distinct packets, so a retransmitted duplicate does not hide a loss.
 */
export class SequenceTracker {
  received = 0;
  duplicates = 0;
  /** Packets that arrived after a higher number (reordered, or recovered by retransmission). */
  late = 0;
  tooOld = 0;
  #base = -1;
  #max = -1;
  /** Slot i holds the extended number last seen with ext % WINDOW === i; -1 when none. */
  readonly #seen = new Float64Array(WINDOW).fill(-1);

  /** Records one packet's 16-bit sequence number; returns what it was. */
  push(seq: number): SeqVerdict {
    if (this.#max < 0) {
      // Start one cycle up so a packet just before the first one still has a non-negative number.
      this.#base = this.#max = 0x10000 + (seq & 0xffff);
      this.#mark(this.#max);
      this.received = 1;
      return 'first';
    }
    const ext = this.extend(seq);
    if (ext > this.#max) {
      const gap = ext - this.#max > 1;
      this.#max = ext;
      this.#mark(ext);
      this.received++;
      return gap ? 'gap' : 'next';
    }
    if (this.#max - ext >= WINDOW) {
      this.tooOld++;
      return 'tooOld';
    }
    if (this.#seen[ext % WINDOW] === ext) {
      this.duplicates++;
      return 'duplicate';
    }
    this.#mark(ext);
    this.received++;
    this.late++;
    if (ext < this.#base) this.#base = ext;
    return 'late';
  }

  /** The extended (wrap-free) number of a 16-bit one, taken as the nearest to the highest seen. */
  extend(seq: number): number {
    const delta = (((seq & 0xffff) - (this.#max & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    return this.#max + delta;
  }

  get expected(): number {
    return this.#max < 0 ? 0 : this.#max - this.#base + 1;
  }

  /** Never negative: duplicates are not counted as received, stragglers beyond the window are lost. */
  get lost(): number {
    return Math.max(0, this.expected - this.received);
  }

  /** The highest extended sequence number, -1 before the first packet. */
  get highest(): number {
    return this.#max;
  }

  #mark(ext: number): void {
    this.#seen[ext % WINDOW] = ext;
  }
}

/** RFC 3550 interarrival jitter, in milliseconds, for one stream. */
export class JitterEstimator {
  #jitter = 0; // in RTP timestamp units, as the RFC computes it
  #lastTs = -1;
  #lastArrival = 0;

  constructor(readonly clockRate: number) {}

  push(rtpTimestamp: number, arrivalMs: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    if (this.#lastTs >= 0) {
      // `| 0` takes the timestamp difference modulo 2^32 as a signed number: wrap-around is free.
      const tsDelta = (rtpTimestamp - this.#lastTs) | 0;
      const d = arrival - this.#lastArrival - tsDelta;
      this.#jitter += (Math.abs(d) - this.#jitter) / 16;
    }
    this.#lastTs = rtpTimestamp >>> 0;
    this.#lastArrival = arrival;
  }

  get jitterMs(): number {
    return (this.#jitter * 1000) / this.clockRate;
  }
}

/**
 * The RTP timestamp a wall-clock instant maps to. The load test's publisher stamps packets with
 * their send time this way, so any receiver on the same clock can read one-way delay off a packet.
 */
export function rtpTimestampAt(epochMs: number, clockRate: number): number {
  return Math.floor((epochMs * clockRate) / 1000) % 0x1_0000_0000;
}

/** Milliseconds between a packet's wall-clock timestamp and `epochMs` (negative if it seems early). */
export function delaySinceMs(rtpTimestamp: number, clockRate: number, epochMs: number): number {
  const diff = (rtpTimestampAt(epochMs, clockRate) - rtpTimestamp) | 0;
  return (diff * 1000) / clockRate;
}

/** Loss over an interval from two cumulative snapshots, as a fraction 0..1 (0 when nothing was expected). */
export function intervalLoss(
  before: { expected: number; received: number },
  after: { expected: number; received: number },
): number {
  const expected = after.expected - before.expected;
  if (expected <= 0) return 0;
  const lost = expected - (after.received - before.received);
  return Math.min(1, Math.max(0, lost / expected));
}

/** Per-second rate of a cumulative counter, sampled at irregular instants. */
export class RateSampler {
  #lastMs = -1;
  #lastValue = 0;

  /** Rate (units/s) since the previous sample; 0 for the first sample or a zero-length interval. */
  sample(nowMs: number, total: number): number {
    const prevMs = this.#lastMs;
    const prevValue = this.#lastValue;
    this.#lastMs = nowMs;
    this.#lastValue = total;
    if (prevMs < 0 || nowMs <= prevMs) return 0;
    return ((total - prevValue) * 1000) / (nowMs - prevMs);
  }
}

/** Simulcast layer of a VP8 key frame's size, as the publisher encodes them (180p, 360p, 720p). */
export function layerOfHeight(height: number): number {
  if (height <= 0) return -1;
  if (height <= 240) return 0;
  if (height <= 480) return 1;
  return 2;
}
