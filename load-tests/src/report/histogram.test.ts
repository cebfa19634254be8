import { describe, expect, it } from 'vitest';
import { bucketOf, LogHistogram, valueOf } from './histogram.ts';

describe('LogHistogram', () => {
  it('reads percentiles to within 5%', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 1000; v++) h.add(v);
    expect(h.percentile(50)!).toBeGreaterThanOrEqual(500);
    expect(h.percentile(50)!).toBeLessThanOrEqual(500 * 1.05);
    expect(h.percentile(99)!).toBeGreaterThanOrEqual(990);
    expect(h.percentile(99)!).toBeLessThanOrEqual(1000);
    expect(h.percentile(100)).toBe(1000);
    expect(h.mean).toBeCloseTo(500.5);
  });

  it('merges histograms from several processes as if one had seen every sample', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const all = new LogHistogram();
    for (let i = 0; i < 500; i++) {
      a.add(i % 7);
      b.add(10 + (i % 13));
      all.add(i % 7);
      all.add(10 + (i % 13));
    }
    const merged = LogHistogram.from(a.toJSON());
    merged.merge(JSON.parse(JSON.stringify(b.toJSON())));
    expect(merged.count).toBe(1000);
    for (const p of [10, 50, 90, 99]) {
      // The same bucket; only the exact maximum is lost in the merge.
      expect(merged.percentile(p)!).toBeGreaterThanOrEqual(all.percentile(p)!);
      expect(merged.percentile(p)!).toBeLessThanOrEqual(all.percentile(p)! * 1.05);
    }
  });

  it('is empty-safe and puts zero or negative noise in the lowest bucket', () => {
    const h = new LogHistogram();
    expect(h.percentile(50)).toBeNull();
    expect(h.mean).toBeNull();
    h.add(-0.3);
    h.add(0);
    h.add(Number.NaN);
    expect(h.count).toBe(2);
    expect(bucketOf(-1)).toBe(0);
    expect(h.percentile(99)).toBeLessThanOrEqual(valueOf(0));
  });

  it('has bucket edges that contain their values', () => {
    for (const v of [0.06, 1, 3.3, 250, 60_000]) {
      const i = bucketOf(v);
      expect(valueOf(i)).toBeGreaterThanOrEqual(v * 0.999999);
      expect(valueOf(i - 1)).toBeLessThan(v);
    }
  });
});
