/**
 * Percentiles for latency samples.
 *
 * Definition: linear interpolation between closest ranks over the sorted sample, the "R-7" /
 * NumPy-default / Excel PERCENTILE.INC method: with n values x[0..n-1] sorted ascending, the
 * p-th percentile sits at rank h = (n - 1) · p / 100 and is x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋+1] − x[⌊h⌋]).
 * So p0 is the minimum, p100 the maximum, and p50 of an even count is the mean of the middle two.
 * Note that with few samples p99 interpolates towards the maximum rather than equalling it.
 */

export interface Summary {
  count: number;
  /** All null when count is 0: null survives JSON.stringify, NaN would silently become null anyway. */
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** The p-th percentile (0 ≤ p ≤ 100) of values, sorted or not; NaN for an empty input. */
export function percentile(values: readonly number[], p: number): number {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100 (got ${p})`);
  if (values.length === 0) return Number.NaN;
  return percentileOfSorted(sortedCopy(values), p);
}

/** Count, extremes, p50/p95/p99 and mean in one pass over one sorted copy. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, min: null, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = sortedCopy(values);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    min: sorted[0]!,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  };
}

function sortedCopy(values: readonly number[]): number[] {
  for (const v of values) {
    // A NaN would sort anywhere and poison every percentile without a trace.
    if (!Number.isFinite(v)) throw new TypeError(`samples must be finite numbers (got ${v})`);
  }
  return [...values].sort((a, b) => a - b);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}
