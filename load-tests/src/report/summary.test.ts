import { describe, expect, it } from 'vitest';
import type { PeerSummary, WorkerTick } from '../cli/workerProtocol.ts';
import type { ConsumerSummary } from '../rtp/ConsumerMeter.ts';
import { LogHistogram } from './histogram.ts';
import { renderHtml } from './html.ts';
import { buildReport } from './summary.ts';
import type { RunRecord } from './types.ts';

const T = 1_763_800_000_000;

function consumer(over: Partial<ConsumerSummary>): ConsumerSummary {
  return {
    consumerId: 'c', producerId: 'p', participantId: 'lect', source: 'camera', kind: 'video', createdAt: T,
    firstRtpAt: T + 300, closedAt: T + 10_000, packets: 1000, bytes: 1_000_000, expected: 1000, lost: 0, late: 0,
    duplicates: 0, jitterMs: 1, keyFrames: 5, layer: 1, layerBytes: { 'video-1': 1_000_000 }, ...over,
  };
}

function peer(index: number, over: Partial<PeerSummary> = {}): PeerSummary {
  return {
    index, role: 'student', worker: 1, participantId: `s${index}`, joinStartedAt: T, joinedAt: T + 50, error: null,
    disconnected: null, errors: [],
    consumers: [
      consumer({ consumerId: `v${index}` }),
      consumer({ consumerId: `a${index}`, source: 'microphone', kind: 'audio', firstRtpAt: T + 200, bytes: 50_000, layerBytes: { audio: 50_000 }, layer: -1 }),
    ],
    ...over,
  };
}

function tick(at: number, over: Partial<WorkerTick> = {}): WorkerTick {
  const delay = new LogHistogram();
  delay.add(2);
  return {
    at, cpuPct: 40, loopDelayP99Ms: 5, rssMb: 100, joined: 3, joining: 0, failed: 0, dropped: 0,
    rxBytes: { 'video-1': 100_000 }, expected: 100, received: 99, delay: delay.toJSON(), rtt: {}, rttErrors: 0, ...over,
  };
}

function run(over: Partial<RunRecord> = {}): RunRecord {
  return {
    options: { students: 3 }, url: 'http://127.0.0.1:1', local: true, startedAt: T - 5000, rampStartAt: T, endedAt: T + 10_050,
    aborted: null, planned: 4, rampS: 0.3, udpRcvbufErrors: 0,
    ticks: [1, 2, 3].map((s) => ({ worker: 1, tick: tick(T + s * 1000) })),
    server: [1, 2, 3].map((s) => ({ at: T + s * 1000, source: 'metrics' as const, workers: [{ pid: 9, cpuPct: 10 * s, rssMb: 50 }], nodeCpuPct: 5, nodeRssMb: 100, consumers: 6, participants: 4 })),
    host: [{ at: T + 1000, cpuPct: 70 }],
    peers: [
      { ...peer(0), role: 'lecturer', worker: 0, participantId: 'lect', consumers: [] },
      peer(1),
      peer(2, { consumers: [consumer({ lost: 10 })] }),
      peer(3, { error: 'join timed out', participantId: null, joinedAt: null, consumers: [] }),
      peer(4, { error: 'not started', participantId: null, joinStartedAt: null, joinedAt: null, consumers: [] }),
    ],
    delay: [], rtt: [], floor: [], errors: [],
    ...over,
  };
}

describe('buildReport', () => {
  it('counts joins, excluding peers the ramp never reached', () => {
    const s = buildReport(run()).summary;
    expect([s.attempted, s.joined, s.failed, s.joinSuccessRate]).toEqual([3, 2, 1, 2 / 3]);
    expect(s.joinMs.p50).toBe(50);
    expect(s.firstVideoMs.max).toBe(300);
    expect(s.firstAudioMs.count).toBe(1); // peer 2 has no audio consumer
  });

  it('computes per-receiver loss and bitrate over the time it was joined', () => {
    const r = buildReport(run());
    const [one, two] = r.receivers;
    expect(one!.lossPct).toBe(0);
    expect(two!.lossPct).toBeCloseTo(1);
    // 1.05 MB over 9.95 s joined (T+50 → closed at T+10 000).
    expect(one!.kbps).toBeCloseTo((1_050_000 * 8) / 1000 / 9.95, 3);
    expect(r.summary.layerKbps['video-1']).toBeCloseTo((1_000_000 * 8) / 1000 / 9.95, 3);
    expect(r.summary.receiversWithoutMedia).toBe(0);
  });

  it('marks receivers on a saturated client process unreliable, and reports reliable loss apart', () => {
    const hot = run({ ticks: [1, 2, 3].map((s) => ({ worker: 1, tick: tick(T + s * 1000, { cpuPct: 97 }) })) });
    const r = buildReport(hot);
    expect(r.summary.clientSaturated).toBe(true);
    expect(r.receivers.every((x) => x.worker !== 1 || x.unreliable)).toBe(true);
    expect(r.summary.reliableLossPct.count).toBe(0);
    // One hot second is a burst, not saturation.
    const burst = run({ ticks: [97, 40, 40].map((cpuPct, s) => ({ worker: 1, tick: tick(T + s * 1000, { cpuPct }) })) });
    expect(buildReport(burst).summary.clientSaturated).toBe(false);
    // Starved by other processes: low CPU, but the event loop waits for the processor.
    const starved = run({ ticks: [1, 2, 3].map((s) => ({ worker: 1, tick: tick(T + s * 1000, { cpuPct: 30, loopDelayP99Ms: 400 }) })) });
    expect(buildReport(starved).summary.clients[0]).toMatchObject({ saturated: true, saturatedBy: ['event loop'], saturatedSeconds: 3 });
  });

  it('shows an outage as media gaps, which loss and bitrate alone would hide', () => {
    const gap = (stream: string, recoveredMs: number[], openMs: number | null) =>
      ({ stream, count: recoveredMs.length, longestMs: Math.max(0, openMs ?? 0, ...recoveredMs), recoveredMs, openMs });
    const r = buildReport(run({ peers: [
      peer(0, { role: 'lecturer', participantId: 'lect', consumers: [] }),
      peer(1, { gaps: [gap('lect/camera', [2_600], null), gap('lect/microphone', [2_500], null)], mediaResets: 1 }),
      peer(2, { gaps: [gap('lect/camera', [], 8_000)] }),
      peer(3, { gaps: [gap('lect/camera', [], null)] }),
    ] })).summary;
    expect(r.lossPct.max).toBe(0); // nothing lost: a receiver that gets nothing loses nothing
    expect(r.mediaGaps).toMatchObject({ receiversWithGaps: 2, receiversNeverRecovered: 1, longestMs: 8_000, mediaResets: 1 });
    expect(r.mediaGaps.recoverMs).toMatchObject({ count: 2, max: 2_600 });
    expect(buildReport(run()).summary.mediaGaps.receiversWithGaps).toBe(0);
  });

  it('flags a machine that was flat out', () => {
    expect(buildReport(run({ host: [{ at: T, cpuPct: 99 }, { at: T + 1000, cpuPct: 97 }] })).summary.hostSaturated).toBe(true);
    expect(buildReport(run()).summary.hostSaturated).toBe(false);
  });

  it('measures grant → first audio of a speaker at every other receiver', () => {
    const speakerAudio = (at: number) => consumer({ participantId: 's9', source: 'microphone', kind: 'audio', firstRtpAt: at });
    const r = buildReport(run({
      floor: [{ participantId: 's9', raiseSentAt: T + 3990, lecturerSawAt: T + 3996, raisedAt: T + 4000, grantedAt: T + 5000 }],
      peers: [peer(1, { consumers: [speakerAudio(T + 5300)] }), peer(2, { consumers: [speakerAudio(T + 5500)] })],
    }));
    expect(r.summary.speakers).toEqual([expect.objectContaining({ participantId: 's9' })]);
    expect(r.summary.speakers[0]!.grantToFirstRtpMs).toMatchObject({ count: 2, min: 300, max: 500 });
    expect(r.summary.speakers[0]!.raiseToLecturerMs).toBe(6);
    expect(r.summary.raiseToLecturerMs).toMatchObject({ count: 1, min: 6, max: 6 });
  });

  it('builds a per-second timeline and the server summary', () => {
    const r = buildReport(run());
    expect(r.timeline.map((p) => p.t)).toEqual([1, 2, 3]);
    expect(r.timeline[0]!.rxKbps['video-1']).toBe(800);
    expect(r.timeline[0]!.lossPct).toBeCloseTo(1);
    expect(r.timeline[0]!.serverWorkerCpuPct['9']).toBe(10);
    expect(r.timeline[0]!.hostCpuPct).toBe(70);
    expect(r.summary.server?.workers[0]).toMatchObject({ pid: 9, cpuMaxPct: 30, rssMaxMb: 50 });
    expect(r.summary.server?.workers[0]!.cpuMeanPct).toBe(25); // the first sample has no baseline
  });

  it('measures the steady state: forwarded packets and SFU CPU per packet', () => {
    // 12 s run, ramp 0.3 s, settle 5 s: the window is ~5.3 s → 10.5 s.
    const ticks = Array.from({ length: 11 }, (_, s) => ({ worker: 1, tick: tick(T + (s + 1) * 1000, { expected: 2000, received: 1990 }) }));
    const server = Array.from({ length: 12 }, (_, s) => ({
      at: T + s * 1000, source: 'metrics' as const, workers: [{ pid: 9, cpuPct: 20, rssMb: 50 }], nodeCpuPct: 5, nodeRssMb: 100, consumers: 6, participants: 4,
    }));
    const steady = buildReport(run({ ticks, server, endedAt: T + 11_000 })).summary.steady!;
    expect(steady.fromS).toBeCloseTo(5.3);
    expect(steady.forwardedPps).toBeCloseTo(2000);
    expect(steady.sfuCpuPct).toBeCloseTo(20);
    expect(steady.sfuCpuUsPerPacket).toBeCloseTo(100); // 0.2 core / 2000 pps
    expect(steady.lossPct).toBeCloseTo(0.5);
    expect(buildReport(run({ endedAt: T + 4000 })).summary.steady).toBeNull();
  });

  it('renders a self-contained page that escapes what it shows', () => {
    const html = renderHtml(buildReport(run({ errors: ['<script>alert(1)</script>'] })));
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
