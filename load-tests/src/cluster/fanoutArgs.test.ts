import { describe, expect, it } from 'vitest';
import { parseFanoutArgs, parseSetups, UsageError } from './fanoutArgs.ts';

describe('fan-out benchmark arguments', () => {
  it('has defaults: one node without Redis, then one and two clustered nodes', () => {
    const c = parseFanoutArgs([], '/repo', new Date('2026-11-22T10:00:00Z'));
    expect(c).toMatchObject({ clients: 500, messages: 200, warmup: 20, gapMs: 20, joinRate: 100, out: '/repo/load-tests/results/fanout-2026-11-22T10-00-00-000Z.json' });
    expect(c.setups).toEqual([{ name: 'single', clusterNodes: 0 }, { name: 'cluster-1', clusterNodes: 1 }, { name: 'cluster-2', clusterNodes: 2 }]);
  });

  it('reads setups and numbers, and rejects nonsense', () => {
    expect(parseSetups('cluster-3, single')).toEqual([{ name: 'cluster-3', clusterNodes: 3 }, { name: 'single', clusterNodes: 0 }]);
    expect(parseFanoutArgs(['--clients', '50', '--messages', '10', '--gap-ms', '0'], '/r')).toMatchObject({ clients: 50, messages: 10, gapMs: 0 });
    for (const bad of ['cluster-0', 'cluster-x', 'double', ',']) expect(() => parseSetups(bad)).toThrow(UsageError);
    expect(() => parseFanoutArgs(['--clients', '0'], '/r')).toThrow(UsageError);
    expect(() => parseFanoutArgs(['--bogus'], '/r')).toThrow(UsageError);
  });
});
