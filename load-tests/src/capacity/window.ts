/**
 * One measured window: two snapshots of every counter, taken around it, turned into the step's
 * figures. Pure, so the arithmetic (deltas, rates, silent streams, the per-packet cost) is tested.
 */
import type { ReceiverSnapshot, SenderStats } from './protocol.ts';
import type { StepOutcome } from './rules.ts';
import type { StreamInfo } from './sfu.ts';

export interface Snapshot {
  /** Epoch ms the local counters (worker CPU from /proc, helpers' CPU, kernel drops) were read. */
  atMs: number;
  /** Per worker: user + system, and user alone (mediasoup's own code, without the kernel's socket work). */
  workerCpuMs: number[];
  workerUserMs: number[];
  receiver: ReceiverSnapshot;
  /** CPU ms of the helper processes, from /proc; null where unavailable. */
  receiverCpuMs: number | null;
  senderCpuMs: number | null;
  sender: SenderStats;
  /** Machine-wide UDP RcvbufErrors: datagrams a full socket buffer dropped (ours, the workers', anyone's). */
  kernelDrops: number | null;
  /** Packets the worker reports sending for a fixed sample of receivers, and when the answer came. */
  sampled: { receivers: number; packets: number; atMs: number };
  /** Video consumers not forwarding the 720p layer. */
  offLayer: number;
  /** Busy CPU ms of the whole machine, and of this (the bench's main) process: to tell what others used. */
  machineBusyMs: number | null;
  selfCpuMs: number | null;
  /** Cumulative packets missing on the way into the worker (sender → ingress socket). */
  ingressLost: number;
}

export interface StepResult extends StepOutcome {
  consumers: number;
  wallS: number;
  /** Per worker, % of one core. */
  workerCpuPct: number[];
  /** Packets the receiver process got, per second (RTP only). */
  receivedPps: number;
  /** Per second, from the sequence numbers: what the worker sent to the receivers, lost or not. */
  expectedPps: number;
  /** The worker's own packet counts for the sample, scaled to all receivers: a cross-check of receivedPps. */
  workerReportedPps: number;
  /** All workers' CPU over the packets received: the cost of one forwarded packet, fan-out and pipe included. */
  usPerPacket: number;
  /** Each worker's CPU over the packets its own receivers got (worker 1 also feeds the pipe). */
  usPerPacketByWorker: number[];
  /**
   * The user-space part of usPerPacket. On loopback a send's system time includes the kernel
   * delivering the datagram to the receiving socket, work a NIC would take off the worker.
   */
  userUsPerPacket: number;
  videoLoss: number;
  audioLoss: number;
  receiverCpuPct: number | null;
  senderCpuPct: number | null;
  senderPps: number;
  senderMaxTickGapMs: number;
  senderMaxPacerQueue: number;
  /** Lost before the worker could forward them: every consumer of the stream shows the gap. */
  ingressLost: number;
  kernelDrops: number | null;
  rtcpPps: number;
  /** At the end of the window: any here means the load was lighter than 720p for everyone. */
  offLayer: number;
  /** CPU the rest of the machine used (not workers, helpers or the bench itself), % of one core. */
  otherCpuPct: number | null;
  /** Set by the caller: whether the window was disturbed (rules.ts), and how many windows it took. */
  disturbed?: boolean;
  attempts?: number;
}

const pct = (ms: number | null, wallMs: number) => (ms === null ? null : (100 * ms) / wallMs);
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

function otherCpu(before: Snapshot, after: Snapshot, workerMs: number[], wallMs: number): number | null {
  const parts = [delta(before.machineBusyMs, after.machineBusyMs), delta(before.receiverCpuMs, after.receiverCpuMs),
    delta(before.senderCpuMs, after.senderCpuMs), delta(before.selfCpuMs, after.selfCpuMs)];
  if (parts.some((p) => p === null)) return null;
  const [machine, receiver, sender, self] = parts as number[];
  // /proc ticks are 10 ms: a small negative remainder is rounding, not negative work.
  return Math.max(0, pct(machine! - receiver! - sender! - self! - workerMs.reduce((a, b) => a + b, 0), wallMs)!);
}

export function stepResult(receivers: number, before: Snapshot, after: Snapshot, streams: Map<number, StreamInfo>): StepResult {
  const wallMs = after.atMs - before.atMs;
  // Each source's own interval: a helper or the worker may have answered a little (or, busy, much) later.
  const receiverWallMs = after.receiver.atMs - before.receiver.atMs;
  const senderWallMs = after.sender.atMs - before.sender.atMs;
  const sampleWallMs = after.sampled.atMs - before.sampled.atMs;
  const workers = after.workerCpuMs.length;
  const start = new Map(before.receiver.streams.map(([ssrc, received, expected]) => [ssrc, { received, expected }]));
  const byKind = { video: { received: 0, expected: 0 }, audio: { received: 0, expected: 0 } };
  const receivedByRouter = new Array<number>(workers).fill(0);
  const delivering = new Set<number>();
  for (const [ssrc, received, expected] of after.receiver.streams) {
    const info = streams.get(ssrc);
    if (!info) continue; // a stream of an earlier run's consumer cannot be ours; ignore rather than miscount
    const s = start.get(ssrc) ?? { received: 0, expected: 0 };
    const got = received - s.received;
    byKind[info.kind].received += got;
    byKind[info.kind].expected += expected - s.expected;
    receivedByRouter[info.router]! += got;
    if (got > 0) delivering.add(ssrc);
  }
  const received = byKind.video.received + byKind.audio.received;
  const expected = byKind.video.expected + byKind.audio.expected;
  const loss = (k: { received: number; expected: number }) => (k.expected > 0 ? Math.max(0, 1 - k.received / k.expected) : 0);
  const cpuMs = after.workerCpuMs.map((ms, i) => ms - before.workerCpuMs[i]!);
  const workerCpuPct = cpuMs.map((ms) => (100 * ms) / wallMs);
  const perSecond = (n: number, ms: number) => (n * 1000) / ms;
  const sampledPerReceiver = after.sampled.receivers > 0 ? (after.sampled.packets - before.sampled.packets) / after.sampled.receivers : 0;
  // CPU over the local window, packets scaled from the receiver's window to it (the rates are steady).
  const usPer = (ms: number, packets: number) => (packets > 0 ? (ms * 1000 * receiverWallMs) / (packets * wallMs) : NaN);
  return {
    receivers,
    consumers: 2 * receivers,
    wallS: wallMs / 1000,
    loss: loss({ received, expected }),
    maxWorkerCpuPct: Math.max(...workerCpuPct),
    silentStreams: streams.size - delivering.size,
    workerCpuPct,
    receivedPps: perSecond(received, receiverWallMs),
    expectedPps: perSecond(expected, receiverWallMs),
    workerReportedPps: perSecond(sampledPerReceiver * receivers, sampleWallMs),
    usPerPacket: usPer(cpuMs.reduce((a, b) => a + b, 0), received),
    usPerPacketByWorker: cpuMs.map((ms, i) => usPer(ms, receivedByRouter[i]!)),
    userUsPerPacket: usPer(after.workerUserMs.reduce((a, b, i) => a + b - before.workerUserMs[i]!, 0), received),
    videoLoss: loss(byKind.video),
    audioLoss: loss(byKind.audio),
    receiverCpuPct: pct(delta(before.receiverCpuMs, after.receiverCpuMs), wallMs),
    senderCpuPct: pct(delta(before.senderCpuMs, after.senderCpuMs), wallMs),
    senderPps: perSecond(after.sender.packets - before.sender.packets, senderWallMs),
    senderMaxTickGapMs: after.sender.maxTickGapMs,
    senderMaxPacerQueue: after.sender.maxPacerQueue,
    ingressLost: after.ingressLost - before.ingressLost,
    kernelDrops: delta(before.kernelDrops, after.kernelDrops),
    rtcpPps: perSecond(after.receiver.rtcp - before.receiver.rtcp, receiverWallMs),
    offLayer: after.offLayer,
    otherCpuPct: otherCpu(before, after, cpuMs, wallMs),
  };
}
