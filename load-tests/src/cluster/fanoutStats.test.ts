import { describe, expect, it } from 'vitest';
import { fanoutStats } from './fanoutStats.ts';

describe('fanoutStats', () => {
  it('takes the last receiver per broadcast, every reception, and both per node', () => {
    const s = fanoutStats([
      { ackMs: 1, arrivals: Float64Array.from([2, 4, 6, 8]) },
      { ackMs: 3, arrivals: Float64Array.from([1, 3, 5, 7]) },
    ], [0, 1, 0, 1]);
    expect(s).toMatchObject({ broadcasts: 2, missing: 0 });
    expect(s.lastReceiverMs).toMatchObject({ count: 2, min: 7, max: 8 });
    expect(s.perClientMs).toMatchObject({ count: 8, min: 1, max: 8 });
    expect(s.ackMs.p50).toBe(2);
    expect(s.byNode.map((n) => [n.node, n.clients, n.lastReceiverMs.max, n.perClientMs.count])).toEqual([[0, 2, 6, 4], [1, 2, 8, 4]]);
  });

  it('counts missing receptions and leaves incomplete broadcasts out of the last-receiver time', () => {
    const s = fanoutStats([
      { ackMs: null, arrivals: Float64Array.from([2, Number.NaN]) },
      { ackMs: 1, arrivals: Float64Array.from([3, 9]) },
    ], [0, 1]);
    expect(s.missing).toBe(1);
    expect(s.lastReceiverMs).toMatchObject({ count: 1, max: 9 });
    expect(s.perClientMs.count).toBe(3);
    expect(s.byNode[0]!.lastReceiverMs.count).toBe(2); // node 0's client got both
    expect(s.ackMs.count).toBe(1);
  });
});
