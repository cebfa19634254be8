/** The bench's answer: a table per mode, the summary against the targets, and the JSON record. */
import { largestCarried, scalingRatio } from './rules.ts';
import type { ModeResult } from './run.ts';

/** Targets of issue 5. */
export const TARGETS = { usPerPacket: 20, consumersPerWorker: 500 } as const;

export interface Summary {
  workers: number;
  largestReceivers: number | null;
  largestConsumers: number | null;
  /** Largest consumers per worker over the ≥ 500 target (> 1 meets it). */
  consumersPerWorkerRatio: number | null;
  /** false: even the largest step passed, so largestReceivers is only a floor. */
  limitReached: boolean;
  /** µs of worker CPU per forwarded packet at the largest carried step, over the ≤ 20 µs target (< 1 meets it). */
  usPerPacket: number | null;
  usPerPacketRatio: number | null;
}

export function summarize(mode: ModeResult): Summary {
  const largest = largestCarried(mode.steps);
  const at = mode.steps.find((s) => s.receivers === largest);
  const consumers = largest === null ? null : 2 * largest;
  const usPerPacket = at?.usPerPacket ?? null;
  return {
    workers: mode.workers,
    largestReceivers: largest,
    largestConsumers: consumers,
    consumersPerWorkerRatio: consumers === null ? null : consumers / mode.workers / TARGETS.consumersPerWorker,
    usPerPacket,
    usPerPacketRatio: usPerPacket === null ? null : usPerPacket / TARGETS.usPerPacket,
    limitReached: mode.steps.some((s) => s.receivers > (largest ?? 0)),
  };
}

export function scaling(modes: ModeResult[]): number | null {
  const largest = (workers: number) => {
    const mode = modes.find((m) => m.workers === workers);
    return mode && largestCarried(mode.steps);
  };
  return scalingRatio(largest(1), largest(2));
}

const f = (n: number | null, digits = 0) => (n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const pctOf = (x: number) => (100 * x).toFixed(3);

/** Markdown, so it pastes straight into docs/benchmarks.md. */
export function formatTable(mode: ModeResult): string {
  const two = mode.workers > 1;
  const head = ['receivers', 'consumers', two ? 'worker CPU (1 + 2)' : 'worker CPU', 'forwarded pkt/s', 'worker-reported pkt/s',
    two ? 'µs / pkt (all; w1, w2)' : 'µs / pkt', 'of which user', 'loss video / audio', 'ingress lost', 'silent', 'off layer', 'receiver CPU', 'others\' CPU', 'kernel drops', 'sender pkt/s (max gap)'];
  const rows = mode.steps.map((s) => [
    String(s.receivers), String(s.consumers), s.workerCpuPct.map((p) => `${p.toFixed(0)} %`).join(' + '),
    f(s.receivedPps), f(s.workerReportedPps),
    two ? `${f(s.usPerPacket, 1)} (${s.usPerPacketByWorker.map((u) => f(u, 1)).join(', ')})` : f(s.usPerPacket, 1), f(s.userUsPerPacket, 1),
    `${pctOf(s.videoLoss)} / ${pctOf(s.audioLoss)} %`, String(s.ingressLost), String(s.silentStreams), String(s.offLayer), `${f(s.receiverCpuPct)} %`, `${f(s.otherCpuPct)} %${s.disturbed ? ' ⚠' : ''}`, f(s.kernelDrops),
    `${f(s.senderPps)} (${f(s.senderMaxTickGapMs)} ms)`,
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function formatSummary(modes: ModeResult[]): string {
  const lines = modes.map((m) => {
    const s = summarize(m);
    const carried = s.largestReceivers === null
      ? 'no step carried'
      : `${s.limitReached ? '' : '≥ '}${s.largestReceivers} receivers = ${s.largestConsumers} consumers` +
        ` (${f(s.largestConsumers! / m.workers)} per worker, ${f(s.consumersPerWorkerRatio, 2)} of the ≥ ${TARGETS.consumersPerWorker} target)` +
        `, ${f(s.usPerPacket, 1)} µs/pkt (${f(s.usPerPacketRatio, 2)} of the ≤ ${TARGETS.usPerPacket} µs target)`;
    return `${m.workers} worker(s): ${carried}`;
  });
  const ratio = scaling(modes);
  if (ratio !== null) lines.push(`scaling 2 workers / 1 worker: ${ratio.toFixed(2)}`);
  return lines.join('\n');
}
