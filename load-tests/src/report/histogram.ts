/**
 * A mergeable log-bucket histogram for values too many to keep (one delay sample per audio packet
 * per receiver). Client processes send their buckets; the parent merges them and reads percentiles
 * to within the bucket width (5%). Exact percentiles of small samples (join times) use
 * ../stats/percentiles.ts instead.
 */

const GROWTH = 1.05;
/** Values at or below this land in bucket 0; delays are in ms, so 0.05 ms is "no delay". */
const FLOOR = 0.05;
const LOG_GROWTH = Math.log(GROWTH);

/** Sparse bucket counts, as sent over IPC: bucket index → count. */
export type HistogramData = Record<number, number>;

export class LogHistogram {
  readonly counts = new Map<number, number>();
  count = 0;
  sum = 0;
  max = Number.NEGATIVE_INFINITY;
  min = Number.POSITIVE_INFINITY;

  static from(data: HistogramData): LogHistogram {
    const h = new LogHistogram();
    h.merge(data);
    return h;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    const i = bucketOf(value);
    this.counts.set(i, (this.counts.get(i) ?? 0) + 1);
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
    if (value < this.min) this.min = value;
  }

  /** Adds another histogram's buckets (min, max and sum are then bucket-accurate only). */
  merge(data: HistogramData): void {
    for (const [key, n] of Object.entries(data)) {
      const i = Number(key);
      this.counts.set(i, (this.counts.get(i) ?? 0) + n);
      this.count += n;
      const v = valueOf(i);
      this.sum += v * n;
      if (v > this.max) this.max = v;
      if (v < this.min) this.min = v;
    }
  }

  /** The value below which p% of the samples fall, to within a bucket; null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const i of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(i)!;
      if (seen >= rank) return Math.min(valueOf(i), this.max);
    }
    return this.max;
  }

  get mean(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  toJSON(): HistogramData {
    return Object.fromEntries(this.counts);
  }

  clear(): void {
    this.counts.clear();
    this.count = 0;
    this.sum = 0;
    this.max = Number.NEGATIVE_INFINITY;
    this.min = Number.POSITIVE_INFINITY;
  }
}

/** Bucket 0 holds everything ≤ FLOOR (including negative clock noise); bucket i the range up to FLOOR·GROWTH^i. */
export function bucketOf(value: number): number {
  if (value <= FLOOR) return 0;
  return Math.ceil(Math.log(value / FLOOR) / LOG_GROWTH);
}

/** The upper edge of a bucket: percentiles err on the side of the larger value. */
export function valueOf(bucket: number): number {
  return bucket <= 0 ? FLOOR : FLOOR * GROWTH ** bucket;
}
