/** Turns what a run recorded into the report: the summary, one row per receiver, the timeline. */
import { summarize } from '../stats/percentiles.ts';
import type { LayerKey } from '../rtp/ConsumerMeter.ts';
import type { PeerSummary } from '../cli/workerProtocol.ts';
import { LogHistogram, type HistogramData } from './histogram.ts';
import { hostSaturated, SATURATED_SECONDS, tickSaturation } from './saturation.ts';
import { steadyState } from './steady.ts';
import { buildTimeline } from './timeline.ts';
import { networkRows } from './networks.ts';
import type { ClientRow, FloorEvent, LoadTestReport, Quantiles, ReceiverRow, RunRecord } from './types.ts';

export function buildReport(run: RunRecord): LoadTestReport {
  const clients = clientRows(run);
  const saturated = new Set(clients.filter((c) => c.saturated).map((c) => c.worker));
  const lecturerId = run.peers.find((p) => p.role === 'lecturer')?.participantId ?? null;
  const receivers = run.peers.filter((p) => p.role !== 'lecturer').map((p) => receiverRow(p, lecturerId, saturated.has(p.worker), run.endedAt));
  const attempted = receivers.filter((r) => r.error !== 'not started');
  const joined = attempted.filter((r) => r.error === null);
  // Loss and gaps an emulated link causes on purpose are reported per profile, not as the server's.
  const plain = joined.filter((r) => r.network === null);
  const num = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

  const layerKbps: Partial<Record<LayerKey, number>> = {};
  for (const key of ['video-0', 'video-1', 'video-2', 'video-?', 'screen', 'audio'] as LayerKey[]) {
    const got = joined.map((r) => r.layerKbps[key] ?? 0).filter((k) => k > 0);
    if (got.length > 0) layerKbps[key] = got.reduce((a, b) => a + b, 0) / got.length;
  }

  return {
    version: 1,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(run.endedAt).toISOString(),
    aborted: run.aborted,
    target: { url: run.url, local: run.local },
    options: run.options,
    summary: {
      planned: run.planned,
      attempted: attempted.length,
      joined: joined.length,
      failed: attempted.length - joined.length,
      dropped: run.peers.filter((p) => p.role !== 'lecturer' && p.disconnected).length,
      joinSuccessRate: attempted.length > 0 ? joined.length / attempted.length : null,
      joinMs: summarize(num(joined.map((r) => r.joinMs))),
      firstVideoMs: summarize(num(joined.map((r) => r.firstVideoMs))),
      firstAudioMs: summarize(num(joined.map((r) => r.firstAudioMs))),
      receiversWithoutMedia: joined.filter((r) => r.kbps <= 0).length,
      mediaGaps: gapSummary(run.peers.filter((p) => p.role !== 'lecturer' && p.error === null && !p.network)),
      lossPct: summarize(num(plain.map((r) => r.lossPct))),
      reliableLossPct: summarize(num(plain.filter((r) => !r.unreliable).map((r) => r.lossPct))),
      jitterMs: summarize(num(joined.map((r) => r.jitterMs))),
      receiverKbps: summarize(joined.map((r) => r.kbps)),
      layerKbps,
      delayMs: quantiles(run.delay),
      rttMs: Object.fromEntries([...new Set(run.rtt.flatMap((r) => Object.keys(r)))].sort().map((name) => [name, quantiles(run.rtt.map((r) => r[name] ?? {}))])),
      raiseToLecturerMs: summarize(num(run.floor.map(raiseToLecturer))),
      poll: run.poll ?? null,
      speakers: run.floor.filter((f) => f.grantedAt !== undefined).map((f) => ({
        participantId: f.participantId,
        raiseToLecturerMs: raiseToLecturer(f),
        grantToFirstRtpMs: summarize(run.peers.flatMap((p) => p.consumers)
          .filter((c) => c.participantId === f.participantId && c.source === 'microphone' && c.firstRtpAt !== null)
          .map((c) => c.firstRtpAt! - f.grantedAt!)),
      })),
      server: serverSummary(run),
      clients,
      clientSaturated: saturated.size > 0,
      hostCpuMaxPct: run.host.length > 0 ? Math.max(...run.host.map((h) => h.cpuPct)) : null,
      hostSaturated: hostSaturated(run.host),
      udpRcvbufErrors: run.udpRcvbufErrors,
      steady: steadyState(run, run.rampS),
      networks: networkRows(run, joined),
    },
    timeline: buildTimeline(run),
    receivers,
    errors: run.errors,
  };
}

function receiverRow(p: PeerSummary, lecturerId: string | null, unreliable: boolean, endedAt: number): ReceiverRow {
  const fromLecturer = (source: string) => p.consumers.find((c) => c.participantId === lecturerId && c.source === source);
  const since = (at: number | null | undefined) => (at != null && p.joinStartedAt !== null ? at - p.joinStartedAt : null);
  const expected = p.consumers.reduce((n, c) => n + c.expected, 0);
  const lost = p.consumers.reduce((n, c) => n + c.lost, 0);
  const activeS = p.joinedAt !== null ? (Math.max(...p.consumers.map((c) => c.closedAt ?? endedAt), p.joinedAt) - p.joinedAt) / 1000 : 0;
  const kbpsOf = (bytes: number) => (activeS > 0 ? (bytes * 8) / 1000 / activeS : 0);
  const layerKbps: Partial<Record<LayerKey, number>> = {};
  for (const c of p.consumers) {
    for (const [k, bytes] of Object.entries(c.layerBytes) as [LayerKey, number][]) layerKbps[k] = (layerKbps[k] ?? 0) + kbpsOf(bytes);
  }
  const jitters = p.consumers.filter((c) => c.packets > 1).map((c) => c.jitterMs);
  return {
    index: p.index,
    role: p.role,
    worker: p.worker,
    participantId: p.participantId,
    joinMs: p.joinedAt !== null ? since(p.joinedAt) : null,
    firstVideoMs: since(fromLecturer('camera')?.firstRtpAt),
    firstAudioMs: since(fromLecturer('microphone')?.firstRtpAt),
    lossPct: expected > 0 ? (100 * lost) / expected : null,
    jitterMs: jitters.length > 0 ? Math.max(...jitters) : null,
    kbps: kbpsOf(p.consumers.reduce((n, c) => n + c.bytes, 0)),
    layerKbps,
    unreliable,
    longestGapMs: (p.gaps ?? []).some((g) => g.longestMs > 0) ? Math.max(...(p.gaps ?? []).map((g) => g.longestMs)) : null,
    unrecovered: (p.gaps ?? []).filter((g) => g.openMs !== null).map((g) => g.stream),
    network: p.network?.profile ?? null,
    error: p.error,
  };
}

function clientRows(run: RunRecord): ClientRow[] {
  const byWorker = new Map<number, RunRecord['ticks'][number]['tick'][]>();
  for (const { worker, tick } of run.ticks) byWorker.set(worker, [...(byWorker.get(worker) ?? []), tick]);
  return [...byWorker].sort(([a], [b]) => a - b).map(([worker, ticks]) => {
    const cpu = ticks.map((t) => t.cpuPct);
    const reasons = ticks.map(tickSaturation).filter((r) => r !== null);
    return {
      worker,
      peers: run.peers.filter((p) => p.worker === worker).length,
      cpuMeanPct: cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length),
      cpuMaxPct: Math.max(0, ...cpu),
      loopDelayP99MaxMs: Math.max(0, ...ticks.map((t) => t.loopDelayP99Ms)),
      saturated: reasons.length >= SATURATED_SECONDS,
      saturatedSeconds: reasons.length,
      saturatedBy: [...new Set(reasons)],
    };
  });
}

function serverSummary(run: RunRecord): LoadTestReport['summary']['server'] {
  // Skip the first sample of each series: its CPU has no previous reading to difference against.
  const samples = run.server.slice(1);
  if (samples.length === 0) return null;
  const pids = [...new Set(samples.flatMap((s) => s.workers.map((w) => w.pid)))];
  const node = samples.map((s) => s.nodeCpuPct).filter((x): x is number => x !== null);
  const rss = samples.map((s) => s.nodeRssMb).filter((x): x is number => x !== null);
  return {
    source: samples[0]!.source,
    workers: pids.map((pid) => {
      const w = samples.flatMap((s) => s.workers.filter((x) => x.pid === pid));
      return {
        pid,
        ...(w[0]!.node !== undefined ? { node: w[0]!.node } : {}),
        cpuMeanPct: w.reduce((a, x) => a + x.cpuPct, 0) / w.length,
        cpuMaxPct: Math.max(...w.map((x) => x.cpuPct)),
        rssMaxMb: Math.max(...w.map((x) => x.rssMb)),
      };
    }),
    nodeCpuMeanPct: node.length ? node.reduce((a, b) => a + b, 0) / node.length : null,
    nodeCpuMaxPct: node.length ? Math.max(...node) : null,
    nodeRssMaxMb: rss.length ? Math.max(...rss) : null,
    ...(samples[0]!.nodes ? { nodes: perNode(samples) } : {}),
  };
}

/** Several nodes: each one's signaling process, and all its workers together. */
function perNode(samples: RunRecord['server']): NonNullable<NonNullable<LoadTestReport['summary']['server']>['nodes']> {
  const urls = [...new Set(samples.flatMap((s) => (s.nodes ?? []).map((n) => n.url)))];
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return urls.map((url) => {
    const own = samples.flatMap((s) => (s.nodes ?? []).filter((n) => n.url === url));
    const cpu = own.map((n) => n.cpuPct).filter((x): x is number => x !== null);
    return {
      url,
      cpuMeanPct: mean(cpu),
      cpuMaxPct: cpu.length ? Math.max(...cpu) : null,
      workersCpuMeanPct: mean(samples.map((s) => s.workers.filter((w) => w.node === url).reduce((a, w) => a + w.cpuPct, 0))),
    };
  });
}

function gapSummary(peers: PeerSummary[]): LoadTestReport['summary']['mediaGaps'] {
  const gaps = peers.map((p) => p.gaps ?? []);
  const longest = gaps.flat().map((g) => g.longestMs).filter((ms) => ms > 0);
  return {
    receiversWithGaps: gaps.filter((g) => g.some((s) => s.count > 0 || s.openMs !== null)).length,
    receiversNeverRecovered: gaps.filter((g) => g.some((s) => s.openMs !== null)).length,
    longestMs: longest.length ? Math.max(...longest) : null,
    recoverMs: summarize(gaps.flat().flatMap((s) => s.recoveredMs)),
    mediaResets: peers.reduce((n, p) => n + (p.mediaResets ?? 0), 0),
  };
}

function quantiles(parts: HistogramData[]): Quantiles {
  const h = new LogHistogram();
  for (const part of parts) h.merge(part);
  return { p50: h.percentile(50), p95: h.percentile(95), p99: h.percentile(99), max: h.count > 0 ? h.max : null, count: h.count };
}

function raiseToLecturer(f: FloorEvent): number | null {
  return f.raiseSentAt !== undefined && f.lecturerSawAt !== undefined ? f.lecturerSawAt - f.raiseSentAt : null;
}
