import { describe, expect, it } from 'vitest';
import { disturbed, largestCarried, passes, saturated, scalingRatio, type StepOutcome } from './rules.ts';

const step = (receivers: number, loss: number, maxWorkerCpuPct: number, silentStreams = 0): StepOutcome => ({
  receivers, loss, maxWorkerCpuPct, silentStreams,
});

describe('capacity rules', () => {
  it('passes under 0.5 % loss and 85 % CPU with every stream delivering', () => {
    expect(passes(step(100, 0.0049, 84.9))).toBe(true);
    expect(passes(step(100, 0.005, 10))).toBe(false);
    expect(passes(step(100, 0, 85))).toBe(false);
    expect(passes(step(100, 0, 10, 1))).toBe(false);
  });

  it('calls a worker saturated at 2 % loss or 95 % CPU', () => {
    expect(saturated(step(100, 0.01, 90))).toBe(false);
    expect(saturated(step(100, 0.02, 10))).toBe(true);
    expect(saturated(step(100, 0, 95))).toBe(true);
  });

  it('calls a window disturbed when neighbours took > 30 % of a core or the sender fell 5 % short', () => {
    expect(disturbed({ otherCpuPct: 29, senderPps: 290, nominalSenderPps: 300 })).toBe(false);
    expect(disturbed({ otherCpuPct: 31, senderPps: 300, nominalSenderPps: 300 })).toBe(true);
    expect(disturbed({ otherCpuPct: null, senderPps: 280, nominalSenderPps: 300 })).toBe(true);
  });

  it('takes the largest step below the first failure, ignoring a lucky pass above it', () => {
    expect(largestCarried([step(50, 0, 10), step(100, 0, 40), step(200, 0.01, 70), step(300, 0, 80)])).toBe(100);
    expect(largestCarried([step(200, 0, 60), step(100, 0, 30)])).toBe(200); // order-independent
    expect(largestCarried([step(50, 0.1, 99)])).toBeNull();
    expect(largestCarried([])).toBeNull();
  });

  it('gives the scaling ratio only with both answers', () => {
    expect(scalingRatio(400, 600)).toBe(1.5);
    expect(scalingRatio(null, 600)).toBeNull();
    expect(scalingRatio(400, undefined)).toBeNull();
  });
});
