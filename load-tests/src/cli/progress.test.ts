import { describe, expect, it } from 'vitest';
import type { WorkerTick } from './workerProtocol.ts';
import { progressLine } from './progress.ts';

const tick = (over: Partial<WorkerTick>): WorkerTick => ({
  at: 0, cpuPct: 30, loopDelayP99Ms: 3, rssMb: 90, joined: 50, joining: 0, failed: 0, dropped: 0,
  rxBytes: { 'video-1': 1_000_000, audio: 250_000 }, expected: 1000, received: 990, delay: {}, rtt: {}, rttErrors: 0, ...over,
});

describe('progressLine', () => {
  it('sums client processes and flags a saturated one', () => {
    const line = progressLine({
      elapsedS: 12.4, planned: 100,
      ticks: [tick({}), tick({ cpuPct: 95, failed: 2 })],
      server: { at: 0, source: 'metrics', workers: [{ pid: 1, cpuPct: 41.6, rssMb: 50 }], nodeCpuPct: 12, nodeRssMb: 100, consumers: 300, participants: 101 },
      hostCpuPct: 80,
    });
    expect(line).toBe('[  12s] joined 100/101 failed 2 | rx 20.0 Mbps | loss 1.00% | delay p95 – ms | client cpu max 95% loop 3 ms (1 SATURATED) | server sfu 42% node 12% | host 80%');
  });

  it('copes with nothing to show yet', () => {
    expect(progressLine({ elapsedS: 0, planned: 3, ticks: [], server: null, hostCpuPct: null }))
      .toBe('[   0s] joined 0/4 failed 0 | rx 0.0 Mbps | loss 0.00% | delay p95 – ms | client cpu max 0% loop 0 ms | server –');
  });
});
