import { describe, expect, it } from 'vitest';
import { LinkShaper } from './shaper.ts';

/** A repeatable sequence of "random" numbers. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('LinkShaper', () => {
  it('holds every datagram for the configured delay when there is no jitter, loss or cap', () => {
    const s = new LinkShaper({ delayMs: 75, jitterMs: 0, lossPct: 0 });
    expect([0, 10, 20].map((t) => s.schedule(t, 1200))).toEqual([75, 85, 95]);
    expect(s.stats).toEqual({ passed: 3, lost: 0, queueDropped: 0 });
  });

  it('spreads delay uniformly over delay ± jitter', () => {
    // random 0 → -jitter, 0.5 → 0, 0.999.. → +jitter
    const s = new LinkShaper({ delayMs: 100, jitterMs: 20, lossPct: 0 }, sequence(0, 0.5, 0.9999));
    expect(s.schedule(0, 100)).toBe(80);
    expect(s.schedule(100, 100)).toBe(200);
    expect(s.schedule(200, 100)).toBeCloseTo(320, 1);
  });

  it('never lets a datagram overtake an earlier one', () => {
    const s = new LinkShaper({ delayMs: 50, jitterMs: 40, lossPct: 0 }, sequence(0.9999, 0));
    const first = s.schedule(0, 100)!; // ≈ 90
    const second = s.schedule(1, 100)!; // would be 11, waits behind the first
    expect(first).toBeCloseTo(90, 1);
    expect(second).toBe(first);
  });

  it('drops the configured share at random', () => {
    const s = new LinkShaper({ delayMs: 0, jitterMs: 0, lossPct: 3 }, sequence(0.01, 0.02, 0.5, 0.03, 0.99));
    const out = [0, 1, 2, 3, 4].map((t) => s.schedule(t, 100));
    expect(out).toEqual([null, null, 2, 3, 4]); // 1 % and 2 % draws fall under 3 %, 3 % does not
    expect(s.stats).toMatchObject({ passed: 3, lost: 2 });
  });

  it('spares a loss-exempt datagram the random loss, not the delay', () => {
    const s = new LinkShaper({ delayMs: 20, jitterMs: 0, lossPct: 100 });
    expect(s.schedule(0, 100)).toBeNull();
    expect(s.schedule(0, 100, true)).toBe(20);
  });

  it('drops about lossPct of many datagrams with a real random source', () => {
    const s = new LinkShaper({ delayMs: 0, jitterMs: 0, lossPct: 5 });
    for (let i = 0; i < 20_000; i++) s.schedule(i, 100);
    expect(s.stats.lost / 20_000).toBeGreaterThan(0.04);
    expect(s.stats.lost / 20_000).toBeLessThan(0.06);
  });

  it('serialises datagrams at the capped rate and tail-drops what would queue too long', () => {
    // 100 kbit/s = 100 bits per ms: a 1250-byte datagram takes 100 ms on the link.
    const s = new LinkShaper({ delayMs: 10, jitterMs: 0, lossPct: 0, rateKbit: 100 }, Math.random, 250);
    expect(s.schedule(0, 1250)).toBe(110);
    expect(s.schedule(0, 1250)).toBe(210); // waits 100 ms behind the first
    expect(s.schedule(0, 1250)).toBe(310); // waits 200 ms
    expect(s.schedule(0, 1250)).toBeNull(); // would wait 300 ms > 250
    expect(s.schedule(400, 1250)).toBe(510); // the link has drained by then
    expect(s.stats).toEqual({ passed: 4, lost: 0, queueDropped: 1 });
  });

  it('refuses impossible links', () => {
    expect(() => new LinkShaper({ delayMs: 10, jitterMs: 20, lossPct: 0 })).toThrow(/jitter/);
    expect(() => new LinkShaper({ delayMs: 0, jitterMs: 0, lossPct: 101 })).toThrow(/loss/);
    expect(() => new LinkShaper({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 0 })).toThrow(/rate/);
  });
});
