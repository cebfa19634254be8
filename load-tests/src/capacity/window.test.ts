import { describe, expect, it } from 'vitest';
import type { StreamInfo } from './sfu.ts';
import { stepResult, type Snapshot } from './window.ts';

function snap(atMs: number, workerCpuMs: number[], streams: [number, number, number][], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    atMs, workerCpuMs, workerUserMs: workerCpuMs.map((ms) => ms / 2), receiver: { streams, rtcp: 0, other: 0, atMs }, receiverCpuMs: 0, senderCpuMs: 0,
    sender: { atMs, packets: 0, bytes: 0, maxTickGapMs: 3, maxPacerQueue: 0 }, kernelDrops: 10, sampled: { receivers: 1, packets: 0, atMs }, offLayer: 0, ingressLost: 3, machineBusyMs: 0, selfCpuMs: 0, ...extra,
  };
}

// Two receivers on two routers: video+audio each.
const streams = new Map<number, StreamInfo>([
  [1, { kind: 'video', router: 0 }], [2, { kind: 'audio', router: 0 }],
  [3, { kind: 'video', router: 1 }], [4, { kind: 'audio', router: 1 }],
]);

describe('stepResult', () => {
  it('turns counter deltas into rates, loss, CPU share and CPU per packet', () => {
    const before = snap(1_000, [100, 50], [[1, 10, 10], [2, 5, 5], [3, 10, 10], [4, 5, 5]]);
    const after = snap(11_000, [5_100, 2_050], [[1, 1_010, 1_010], [2, 505, 505], [3, 1_000, 1_010], [4, 505, 505], [99, 7, 7]], {
      receiverCpuMs: 2_000, senderCpuMs: 100, kernelDrops: 12, sender: { atMs: 11_000, packets: 2_000, bytes: 0, maxTickGapMs: 4, maxPacerQueue: 9 }, ingressLost: 5,
      sampled: { receivers: 1, packets: 1_500, atMs: 11_000 }, machineBusyMs: 14_000, selfCpuMs: 400,
    });
    const r = stepResult(2, before, after, streams);
    expect(r.wallS).toBe(10);
    expect(r.workerCpuPct).toEqual([50, 20]);
    expect(r.maxWorkerCpuPct).toBe(50);
    expect(r.receivedPps).toBe((1_000 + 500 + 990 + 500) / 10); // stream 99 is not ours
    expect(r.expectedPps).toBe(300);
    expect(r.loss).toBeCloseTo(10 / 3_000);
    expect(r.videoLoss).toBeCloseTo(10 / 2_000);
    expect(r.audioLoss).toBe(0);
    expect(r.usPerPacket).toBeCloseTo((7_000 * 1000) / 2_990);
    expect(r.usPerPacketByWorker[0]).toBeCloseTo((5_000 * 1000) / 1_500);
    expect(r.userUsPerPacket).toBeCloseTo((3_500 * 1000) / 2_990);
    expect(r.workerReportedPps).toBe(300); // 1 500 packets per sampled receiver × 2 receivers / 10 s
    expect(r.receiverCpuPct).toBe(20);
    expect(r.otherCpuPct).toBeCloseTo(45); // 14 000 - 7 000 workers - 2 000 receiver - 100 sender - 400 bench, over 10 s
    expect(r.senderPps).toBe(200);
    expect(r.kernelDrops).toBe(2);
    expect(r.ingressLost).toBe(2);
    expect(r.senderMaxPacerQueue).toBe(9);
    expect(r.silentStreams).toBe(0);
    expect(r.consumers).toBe(4);
  });

  it('counts consumers that delivered nothing, including ones never heard from', () => {
    const before = snap(0, [0, 0], [[1, 10, 10], [2, 5, 5]]);
    const after = snap(1_000, [10, 10], [[1, 10, 10], [2, 55, 55], [4, 3, 3]], { receiverCpuMs: null });
    const r = stepResult(2, before, after, streams);
    expect(r.silentStreams).toBe(2); // stream 1 stalled, stream 3 never started
    expect(r.receiverCpuPct).toBeNull();
  });

  it('times each source over its own interval, so a late answer does not inflate a rate', () => {
    const one = new Map<number, StreamInfo>([[1, { kind: 'video', router: 0 }]]);
    const before = snap(0, [0], [[1, 0, 0]]);
    const after = snap(10_000, [5_000], [[1, 1_200, 1_200]]);
    after.receiver.atMs = 12_000; // answered 2 s late: its counts cover 12 s
    const r = stepResult(1, before, after, one);
    expect(r.receivedPps).toBe(100);
    expect(r.workerCpuPct).toEqual([50]);
    expect(r.usPerPacket).toBeCloseTo(5_000); // 50 % of a core for 100 packets/s, not 5 000 000 µs / 1 200
  });
});
