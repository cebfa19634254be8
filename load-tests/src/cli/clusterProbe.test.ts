import { describe, expect, it } from 'vitest';
import { mergeSamples } from './clusterProbe.ts';
import type { ServerSample } from './serverProbe.ts';

const sample = (at: number, pid: number, workerPct: number, nodePct: number | null): ServerSample => ({
  at, source: 'metrics', workers: [{ pid, cpuPct: workerPct, rssMb: 30 }], nodeCpuPct: nodePct, nodeRssMb: 80, consumers: 10, participants: 5,
});

describe('mergeSamples', () => {
  it('keeps every worker with its node, sums the signaling processes and lists each node', () => {
    const m = mergeSamples([{ url: 'http://a', sample: sample(1000, 11, 20, 5) }, { url: 'http://b', sample: sample(1010, 22, 30, 7) }])!;
    expect(m.workers).toEqual([{ pid: 11, cpuPct: 20, rssMb: 30, node: 'http://a' }, { pid: 22, cpuPct: 30, rssMb: 30, node: 'http://b' }]);
    expect(m).toMatchObject({ at: 1010, nodeCpuPct: 12, nodeRssMb: 160, consumers: 20 });
    expect(m.nodes).toEqual([{ url: 'http://a', cpuPct: 5, rssMb: 80 }, { url: 'http://b', cpuPct: 7, rssMb: 80 }]);
  });

  it('gives no sample when a node did not answer, and no sum over an unknown part', () => {
    expect(mergeSamples([{ url: 'http://a', sample: sample(1, 1, 1, 1) }, { url: 'http://b', sample: null }])).toBeNull();
    expect(mergeSamples([{ url: 'http://a', sample: sample(1, 1, 1, 1) }, { url: 'http://b', sample: sample(1, 2, 1, null) }])!.nodeCpuPct).toBeNull();
  });
});
