import { describe, expect, it } from 'vitest';
import {
  delaySinceMs, intervalLoss, JitterEstimator, layerOfHeight, RateSampler, rtpTimestampAt, SequenceTracker,
} from './rtpStats.ts';

function track(seqs: number[]): SequenceTracker {
  const t = new SequenceTracker();
  for (const s of seqs) t.push(s);
  return t;
}

describe('SequenceTracker', () => {
  it('counts an unbroken run as no loss', () => {
    const t = track([10, 11, 12, 13]);
    expect([t.expected, t.received, t.lost]).toEqual([4, 4, 0]);
  });

  it('counts a gap as loss', () => {
    const t = new SequenceTracker();
    expect(t.push(100)).toBe('first');
    expect(t.push(101)).toBe('next');
    expect(t.push(105)).toBe('gap');
    expect([t.expected, t.received, t.lost]).toEqual([6, 3, 3]);
  });

  it('crosses the 16-bit wrap without inventing 65 535 lost packets', () => {
    const t = track([65533, 65534, 65535, 0, 1, 2]);
    expect([t.expected, t.received, t.lost]).toEqual([6, 6, 0]);
  });

  it('counts loss across the wrap', () => {
    const t = track([65534, 65535, 2, 3]); // 0 and 1 missing
    expect([t.expected, t.lost]).toEqual([6, 2]);
  });

  it('keeps counting over several wraps', () => {
    const t = new SequenceTracker();
    for (let i = 0; i < 3 * 65536 + 10; i++) if (i % 1000 !== 999) t.push(i & 0xffff);
    expect(t.expected).toBe(3 * 65536 + 10);
    expect(t.lost).toBe(Math.floor((3 * 65536 + 10) / 1000));
  });

  it('recovers a late (reordered or retransmitted) packet, also across the wrap', () => {
    const t = new SequenceTracker();
    for (const s of [65534, 65535, 1, 2]) t.push(s);
    expect(t.lost).toBe(1);
    expect(t.push(0)).toBe('late');
    expect([t.lost, t.late, t.received]).toEqual([0, 1, 5]);
  });

  it('does not let a duplicate hide a loss', () => {
    const t = new SequenceTracker();
    for (const s of [1, 2, 2, 4]) t.push(s);
    expect(t.duplicates).toBe(1);
    expect([t.expected, t.received, t.lost]).toEqual([4, 3, 1]);
  });

  it('extends the start backwards for a packet older than the first one', () => {
    const t = track([10, 11, 9]);
    expect([t.expected, t.received, t.lost]).toEqual([3, 3, 0]);
    const wrapped = track([0, 1, 65535]); // 65535 came before 0
    expect([wrapped.expected, wrapped.lost]).toEqual([3, 0]);
  });

  it('ignores stragglers older than its window instead of counting them twice', () => {
    const t = new SequenceTracker();
    for (let i = 0; i < 5000; i++) t.push(i);
    expect(t.push(10)).toBe('tooOld');
    expect([t.received, t.lost, t.tooOld]).toEqual([5000, 0, 1]);
  });

  it('extends sequence numbers to the nearest of the highest seen', () => {
    const t = track([65535]);
    expect(t.extend(0) - t.highest).toBe(1);
    expect(t.extend(65530) - t.highest).toBe(-5);
  });

  it('reports nothing before the first packet', () => {
    const t = new SequenceTracker();
    expect([t.expected, t.received, t.lost, t.highest]).toEqual([0, 0, 0, -1]);
  });
});

describe('JitterEstimator', () => {
  it('is zero for packets arriving exactly on their timestamps', () => {
    const j = new JitterEstimator(90_000);
    for (let i = 0; i < 100; i++) j.push(i * 3000, 1000 + (i * 100) / 3);
    expect(j.jitterMs).toBeCloseTo(0, 9);
  });

  it('converges to the mean absolute deviation of alternating delays (RFC 3550 6.4.1)', () => {
    // Delay alternates 0 and 10 ms: |D| is 10 ms every packet, so J tends to 10 ms.
    const j = new JitterEstimator(48_000);
    for (let i = 0; i < 400; i++) j.push(i * 960, i * 20 + (i % 2) * 10);
    expect(j.jitterMs).toBeCloseTo(10, 3);
  });

  it('follows the 1/16 gain after a single delayed packet', () => {
    const j = new JitterEstimator(1000); // 1 unit = 1 ms, for easy numbers
    j.push(0, 0);
    j.push(20, 20);
    j.push(40, 56); // 16 ms late: J = 16/16 = 1
    expect(j.jitterMs).toBeCloseTo(1, 9);
    j.push(60, 60); // back on time: D = -16 → J = 1 + (16 - 1)/16
    expect(j.jitterMs).toBeCloseTo(1 + 15 / 16, 9);
  });

  it('is unaffected by the 32-bit timestamp wrap', () => {
    const j = new JitterEstimator(90_000);
    const start = 0xffffffff - 3000 * 5;
    for (let i = 0; i < 20; i++) j.push((start + i * 3000) >>> 0, (i * 100) / 3);
    expect(j.jitterMs).toBeCloseTo(0, 6);
  });
});

describe('wall-clock RTP timestamps', () => {
  it('reads one-way delay back from a stamped timestamp', () => {
    const sentAt = 1_763_800_000_123.4;
    const ts = rtpTimestampAt(sentAt, 90_000);
    expect(delaySinceMs(ts, 90_000, sentAt + 12.5)).toBeCloseTo(12.5, 1);
    expect(delaySinceMs(rtpTimestampAt(sentAt, 48_000), 48_000, sentAt + 3)).toBeCloseTo(3, 1);
  });

  it('survives the timestamp wrapping between send and receipt', () => {
    const clock = 90_000;
    const wrapMs = (0x1_0000_0000 * 1000) / clock; // the timestamp wraps every ~13.25 hours
    const sentAt = 40 * wrapMs - 5; // 5 ms before a wrap
    const ts = rtpTimestampAt(sentAt, clock);
    expect(ts).toBeGreaterThan(0xffffffff - clock);
    expect(delaySinceMs(ts, clock, sentAt + 20)).toBeCloseTo(20, 1);
  });
});

describe('intervalLoss', () => {
  it('is the fraction lost between two snapshots', () => {
    expect(intervalLoss({ expected: 100, received: 100 }, { expected: 200, received: 190 })).toBeCloseTo(0.1);
  });
  it('is 0 for an idle interval and clamps late arrivals that exceed the interval', () => {
    expect(intervalLoss({ expected: 100, received: 90 }, { expected: 100, received: 90 })).toBe(0);
    expect(intervalLoss({ expected: 100, received: 90 }, { expected: 110, received: 105 })).toBe(0);
  });
});

describe('RateSampler', () => {
  it('turns cumulative bytes into a per-second rate over irregular intervals', () => {
    const r = new RateSampler();
    expect(r.sample(0, 0)).toBe(0);
    expect(r.sample(1000, 125_000)).toBe(125_000);
    expect(r.sample(1500, 187_500)).toBe(125_000);
    expect(r.sample(1500, 200_000)).toBe(0); // zero-length interval
  });
});

describe('layerOfHeight', () => {
  it('maps the clip sizes to simulcast layers', () => {
    expect([layerOfHeight(180), layerOfHeight(360), layerOfHeight(720), layerOfHeight(0)]).toEqual([0, 1, 2, -1]);
  });
});
