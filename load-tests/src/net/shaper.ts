/**
 * The timing logic of one direction of an emulated link, kept free of sockets and timers so it can
 * be tested exactly: for a datagram arriving now, when does it leave the link, or is it lost?
 * Order: random loss, then the bandwidth cap (a FIFO drained at the rate, tail-dropping what would
 * wait longer than queueMs, like tbf's latency), then delay ± jitter. Datagrams never overtake
 * each other (a real path rarely reorders, and reordering would read as loss to the receiver).
 */
import type { LinkSpec } from './profiles.ts';

export interface ShaperStats {
  passed: number;
  /** Dropped by the random-loss draw. */
  lost: number;
  /** Dropped because the bandwidth queue was full. */
  queueDropped: number;
}

export class LinkShaper {
  readonly stats: ShaperStats = { passed: 0, lost: 0, queueDropped: 0 };
  #busyUntil = Number.NEGATIVE_INFINITY;
  #lastRelease = Number.NEGATIVE_INFINITY;

  /**
   * @param random uniform in [0, 1) (injected for tests)
   * @param queueMs the longest a datagram may wait for the bandwidth cap
   */
  constructor(readonly spec: LinkSpec, readonly random: () => number = Math.random, readonly queueMs = 300) {
    if (!(spec.delayMs >= 0) || !(spec.jitterMs >= 0) || spec.jitterMs > spec.delayMs) {
      throw new RangeError(`link delay ${spec.delayMs} ms ± ${spec.jitterMs} ms: need 0 ≤ jitter ≤ delay`);
    }
    if (!(spec.lossPct >= 0 && spec.lossPct <= 100)) throw new RangeError(`link loss ${spec.lossPct} %: need 0..100`);
    if (spec.rateKbit !== undefined && !(spec.rateKbit > 0)) throw new RangeError(`link rate ${spec.rateKbit} kbit/s: need > 0`);
  }

  /**
   * Release time (same clock as `now`, ms) of a datagram of `bytes` arriving at `now`; null when
   * dropped. `lossExempt`: spared the random loss (still queued and delayed).
   */
  schedule(now: number, bytes: number, lossExempt = false): number | null {
    const { delayMs, jitterMs, lossPct, rateKbit } = this.spec;
    if (lossPct > 0 && !lossExempt && this.random() * 100 < lossPct) {
      this.stats.lost++;
      return null;
    }
    let t = now;
    if (rateKbit !== undefined) {
      const start = Math.max(now, this.#busyUntil);
      if (start - now > this.queueMs) {
        this.stats.queueDropped++;
        return null;
      }
      // kbit/s is bits per ms: the datagram occupies the link for bits / rate ms.
      this.#busyUntil = start + (bytes * 8) / rateKbit;
      t = this.#busyUntil;
    }
    const jitter = jitterMs > 0 ? (this.random() * 2 - 1) * jitterMs : 0;
    t = Math.max(t + delayMs + jitter, this.#lastRelease);
    this.#lastRelease = t;
    this.stats.passed++;
    return t;
  }
}
