import { describe, expect, it } from 'vitest';
import { verifyToken } from '@tongtang/signaling/tokens';
import { parseNetworkShares } from '../net/profiles.ts';
import { isSpeaker, planRun } from './plan.ts';

const base = { classrooms: 2, students: 148, rampPerS: 10, speakers: 3, lectureId: 'lec-x', peersPerProcess: 50, layers: 'mix' as const };

describe('planRun', () => {
  it('puts the lecturer alone in the publisher process and spreads receivers evenly', () => {
    const plan = planRun(base, 'secret');
    expect(plan.publisher).toHaveLength(1);
    expect(plan.publisher[0]).toMatchObject({ role: 'lecturer', publishes: 'lecturer', index: 0 });
    expect(plan.receivers).toHaveLength(3); // 150 receivers, 50 per process
    expect(plan.receivers.map((g) => g.length)).toEqual([50, 50, 50]);
    const all = plan.receivers.flat();
    expect(new Set(all.map((p) => p.index)).size).toBe(150);
    expect(all.filter((p) => p.role === 'classroom')).toHaveLength(2);
    expect(all.filter((p) => p.publishes === 'classroom')).toHaveLength(2);
  });

  it('ramps joins at the given rate, classrooms first', () => {
    const plan = planRun(base, 'secret');
    const all = plan.receivers.flat().sort((a, b) => a.startAfterS - b.startAfterS);
    expect(all.slice(0, 2).map((p) => p.role)).toEqual(['classroom', 'classroom']);
    expect(all[10]!.startAfterS).toBeCloseTo(1);
    expect(plan.rampS).toBeCloseTo(14.9);
  });

  it('mints tokens the server accepts, with stable subjects and classroom claims', () => {
    const plan = planRun({ ...base, students: 1, speakers: 0 }, 'secret');
    expect(verifyToken('secret', plan.publisher[0]!.token)).toMatchObject({ role: 'lecturer', lec: 'lec-x', sub: 'load-lecturer-1' });
    const room = plan.receivers.flat().find((p) => p.role === 'classroom')!;
    expect(verifyToken('secret', room.token)).toMatchObject({ role: 'classroom', cls: 'load-room-1' });
    expect(() => verifyToken('other', room.token)).toThrow();
  });

  it('chooses layers by policy', () => {
    const layersOf = (layers: 'mix' | 'auto' | 1) =>
      planRun({ ...base, classrooms: 0, students: 4, speakers: 0, layers }, 's').receivers.flat().sort((a, b) => a.index - b.index).map((p) => p.preferredLayer);
    expect(layersOf('mix')).toEqual([0, 1, 2, 0]);
    expect(layersOf('auto')).toEqual([undefined, undefined, undefined, undefined]);
    expect(layersOf(1)).toEqual([1, 1, 1, 1]);
  });

  it('picks exactly K speakers among the students', () => {
    for (const [students, speakers] of [[250, 3], [3, 3], [10, 1], [7, 0], [100, 7]] as const) {
      const n = Array.from({ length: students }, (_, i) => i).filter((i) => isSpeaker(i, students, speakers)).length;
      expect(n, `${speakers} of ${students}`).toBe(speakers);
    }
    expect(planRun(base, 's').receivers.flat().filter((p) => p.speaker).every((p) => p.role === 'student')).toBe(true);
  });
});

describe('planRun over several nodes', () => {
  it('puts the lecturer on node 0 and spreads classrooms and students round-robin', () => {
    const plan = planRun({ ...base, classrooms: 4, students: 60 }, 's', 2);
    expect(plan.publisher[0]!.node).toBe(0);
    const all = plan.receivers.flat();
    const on = (node: number, role: string) => all.filter((p) => p.node === node && p.role === role).length;
    expect([on(0, 'classroom'), on(1, 'classroom'), on(0, 'student'), on(1, 'student')]).toEqual([2, 2, 30, 30]);
    // Consecutive joins alternate nodes, so both see the same join pace.
    expect(all.sort((a, b) => a.index - b.index).slice(0, 4).map((p) => p.node)).toEqual([0, 1, 0, 1]);
  });

  it('keeps everyone on the one node by default', () => {
    expect(planRun(base, 's').receivers.flat().every((p) => p.node === 0)).toBe(true);
  });

  it('puts the --network share of the receivers, students first, on their profile', () => {
    const plan = planRun({ ...base, classrooms: 2, students: 8, network: parseNetworkShares('kashgar:20%,lossy-5:0.1') }, 's');
    const all = plan.receivers.flat().sort((a, b) => a.index - b.index);
    expect(all.map((p) => p.network ?? '-')).toEqual(['-', '-', '-', '-', '-', '-', '-', 'lossy-5', 'kashgar', 'kashgar']);
    expect(planRun(base, 's').receivers.flat().some((p) => p.network)).toBe(false);
  });
});
