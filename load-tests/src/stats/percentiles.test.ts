import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.ts';

describe('percentile', () => {
  it('interpolates linearly between closest ranks (R-7)', () => {
    const v = [1, 2, 3, 4];
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 100)).toBe(4);
    expect(percentile(v, 50)).toBe(2.5); // mean of the middle two
    expect(percentile(v, 25)).toBeCloseTo(1.75); // h = 0.75
    expect(percentile(v, 90)).toBeCloseTo(3.7); // h = 2.7
  });

  it('matches numpy.percentile on 1..100', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 95)).toBeCloseTo(95.05);
    expect(percentile(v, 99)).toBeCloseTo(99.01);
  });

  it('accepts unsorted input and leaves it untouched', () => {
    const v = [40, 10, 30, 20];
    expect(percentile(v, 50)).toBe(25);
    expect(v).toEqual([40, 10, 30, 20]);
  });

  it('returns the only value for a single sample, at any p', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('returns NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses p outside 0..100 and non-finite samples', () => {
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(TypeError);
    expect(() => percentile([1, Number.POSITIVE_INFINITY], 50)).toThrow(TypeError);
  });
});

describe('summarize', () => {
  it('gives count, extremes, percentiles and mean', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(summarize(v)).toEqual({
      count: 100,
      min: 1,
      p50: 50.5,
      p95: expect.closeTo(95.05, 6),
      p99: expect.closeTo(99.01, 6),
      max: 100,
      mean: 50.5,
    });
  });

  it('reports count 0 and null fields for no samples', () => {
    const s = summarize([]);
    expect(s).toEqual({ count: 0, min: null, p50: null, p95: null, p99: null, max: null, mean: null });
    // null, not NaN, so the JSON results file and the in-memory summary say the same thing.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
