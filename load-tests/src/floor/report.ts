/** Turns the raw measurements into the JSON results file and the printed summary. */
import os from 'node:os';
import { summarize, type Summary } from '../stats/percentiles.ts';
import type { LectureStats } from '@tongtang/shared';
import type { BenchConfig } from './args.ts';
import type { RoundResult } from './grants.ts';
import type { HandsResult } from './hands.ts';
import type { PhaseStats } from './phases.ts';
import type { JoinStats } from './population.ts';

export interface TargetCheck {
  name: string;
  measuredMs: number | null;
  targetMs: number;
  /** measured / target: below 1 meets the target. */
  ratio: number | null;
  /** Also false when some samples never arrived: a percentile of the survivors would flatter. */
  met: boolean;
  note: string;
}

export interface BenchInputs {
  config: BenchConfig;
  server: { kind: 'local' | 'remote'; url: string; warnings: string[]; logFile?: string; revision: string };
  startedAt: Date;
  participants: number;
  joins: JoinStats;
  hands: HandsResult | null;
  rounds: RoundResult[];
  phases: PhaseStats[];
  /** The lecture's media footprint at the end (stats:get), when the lecturer could still ask. */
  serverStats: LectureStats | null;
  aborted: string | null;
}

const RAISE_HAND_P99_MS = 50;
const GRANT_P95_MS = 1000;

function check(name: string, measured: number | null, target: number, complete: boolean, note: string): TargetCheck {
  const ratio = measured === null ? null : measured / target;
  return { name, measuredMs: measured, targetMs: target, ratio, met: complete && ratio !== null && ratio < 1, note };
}

export function buildResults(input: BenchInputs) {
  const { joins, hands, rounds } = input;
  const relayAll = rounds.flatMap((r) => r.relayMs);
  const raise = summarize(hands?.latencyMs ?? []);
  const relay = summarize(relayAll);
  const receivers = rounds.reduce((a, r) => a + r.receivers, 0);
  const reached = rounds.reduce((a, r) => a + r.reached, 0);
  const targets = [
    check('raise-hand p99 (student emit → lecturer sees entry)', raise.p99, RAISE_HAND_P99_MS,
      hands !== null && hands.seenByLecturer === hands.attempted, `${hands?.seenByLecturer ?? 0}/${hands?.attempted ?? 0} seen`),
    check('grant → everyone p95 (grant emit → receiver resumeConsumer acked)', relay.p95, GRANT_P95_MS,
      rounds.length > 0 && reached === receivers, `${reached}/${receivers} receiver-rounds reached`),
  ];
  return {
    meta: {
      startedAt: input.startedAt.toISOString(),
      aborted: input.aborted,
      command: `node --import tsx load-tests/src/floor/floorBench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      // Other work on the machine skews every number here; the load average at the end shows it.
      loadAvgAtEnd: os.loadavg().map((v) => Number(v.toFixed(2))),
      server: { kind: input.server.kind, url: input.server.url, logFile: input.server.logFile, revision: input.server.revision },
      clientNote: `all ${input.participants} simulated clients run in this one Node process (mediasoup-client FakeHandler, no RTP)`,
      config: { ...input.config, secret: input.config.secret ? '(given)' : undefined },
    },
    targets,
    joins: {
      attempted: joins.attempted, ok: joins.ok, failed: joins.failed, failures: joins.failures, firstFailures: joins.firstFailures,
      connectMs: summarize(joins.connectMs), joinMs: summarize(joins.joinMs), readyMs: summarize(joins.readyMs), settleMs: joins.settleMs,
    },
    raiseHand: hands && {
      attempted: hands.attempted, acked: hands.acked, seenByLecturer: hands.seenByLecturer, failures: hands.failures,
      latencyMs: raise, ackMs: summarize(hands.ackMs), tailObserverMs: summarize(hands.tailLatencyMs), maxQueue: hands.maxQueue, lecturerUpdates: hands.lecturerUpdates,
    },
    grantRelay: {
      relayMs: relay,
      producerAddedMs: summarize(rounds.flatMap((r) => r.addedMs)),
      rounds: rounds.map((r) => ({
        round: r.round, speakerId: r.speakerId, receivers: r.receivers, reached: r.reached, grantAckMs: r.grantAckMs,
        floorSeenMs: r.floorSeenMs, producedMs: r.producedMs, relayMs: summarize(r.relayMs),
        revokeDropMs: r.revokeDropMs, notDropped: r.notDropped, errors: r.errors,
      })),
    },
    phases: input.phases,
    serverStats: input.serverStats,
    serverWarnings: { count: input.server.warnings.length, first: input.server.warnings.slice(0, 20) },
    // In completion order: ackMs against index shows whether a raise gets dearer as the queue grows.
    raw: {
      raiseHandMs: hands?.latencyMs ?? [], raiseHandAckMs: hands?.ackMs ?? [], raiseHandTailMs: hands?.tailLatencyMs ?? [], relayMs: relayAll,
    },
  };
}

export type BenchResults = ReturnType<typeof buildResults>;

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const row = (label: string, s: Summary) =>
  `  ${label.padEnd(34)} ${String(s.count).padStart(6)} ${[s.p50, s.p95, s.p99, s.max].map((v) => ms(v).padStart(8)).join(' ')}`;

export function formatSummary(res: BenchResults): string {
  const lines: string[] = [];
  lines.push(`Tongtang floor-control benchmark — ${res.meta.startedAt}${res.meta.aborted ? `  ABORTED: ${res.meta.aborted}` : ''}`);
  lines.push(`  ${res.meta.clientNote}`);
  lines.push(`  server: ${res.meta.server.kind} ${res.meta.server.url} (code ${res.meta.server.revision}); machine: ${res.meta.cpus} cores, Node ${res.meta.node}, load avg ${res.meta.loadAvgAtEnd.join(' ')}`);
  lines.push(`  joins: ${res.joins.ok} ok / ${res.joins.failed} failed of ${res.joins.attempted}` +
    (res.joins.failed ? `  ${JSON.stringify(res.joins.failures)}` : ''));
  lines.push('');
  lines.push(`  ${'latency (ms)'.padEnd(34)} ${'n'.padStart(6)} ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(8)).join(' ')}`);
  lines.push(row('connect (socket open)', res.joins.connectMs));
  lines.push(row('join ready (snapshot consumed)', res.joins.readyMs));
  if (res.raiseHand) {
    lines.push(row('raise hand → lecturer sees it', res.raiseHand.latencyMs));
    lines.push(row('raise hand → own ack', res.raiseHand.ackMs));
    lines.push(row('raise hand → last-joined observer', res.raiseHand.tailObserverMs));
  }
  lines.push(row('grant → producer:added', res.grantRelay.producerAddedMs));
  lines.push(row('grant → consumer resumed', res.grantRelay.relayMs));
  lines.push('');
  for (const r of res.grantRelay.rounds) {
    lines.push(`  round ${r.round}: ${r.reached}/${r.receivers} reached, grant ack ${ms(r.grantAckMs)}, speaker saw floor ${ms(r.floorSeenMs)}, ` +
      `produced ${ms(r.producedMs)}, last receiver ${ms(r.relayMs.max)}, revoke→all dropped ${ms(r.revokeDropMs)}` +
      (r.errors.length ? `, ${r.errors.length} error(s): ${r.errors[0]}` : ''));
  }
  lines.push('');
  const pc = (v: number | null) => (v === null ? '-' : v.toFixed(0));
  lines.push('  CPU (% of one core)              client   loop p99 ms   server node   server loop p99 ms   mediasoup workers   other processes');
  for (const p of res.phases) {
    lines.push(`  ${p.name.padEnd(30)} ${pc(p.client.cpuPct).padStart(8)} ${pc(p.client.loopDelayP99Ms).padStart(13)}` +
      ` ${pc(p.serverNodeCpuPct).padStart(13)} ${pc(p.serverLoopP99Ms ?? null).padStart(20)} ${pc(p.serverWorkersCpuPct).padStart(19)} ${pc(p.otherCpuPct).padStart(17)}`);
  }
  lines.push('');
  lines.push('  target                                                          measured   target   ratio  verdict');
  for (const t of res.targets) {
    lines.push(`  ${t.name.padEnd(62)} ${ms(t.measuredMs).padStart(8)} ${String(t.targetMs).padStart(8)} ${(t.ratio === null ? '-' : t.ratio.toFixed(2)).padStart(7)}  ` +
      `${t.met ? 'met' : 'MISSED'} (${t.note})`);
  }
  const st = res.serverStats;
  if (st) {
    lines.push(`  server at the end: ${st.participants} participants, ${st.routers} routers, ${st.transports} transports, ` +
      `${st.producers} producers, ${st.consumers} consumers; worker max RSS ${st.workers.map((w) => `${Math.round(w.maxRssKb / 1024)} MB`).join(', ')}`);
  }
  if (res.serverWarnings.count) lines.push(`\n  server logged ${res.serverWarnings.count} warning/error line(s); first: ${res.serverWarnings.first[0]?.slice(0, 200)}`);
  return lines.join('\n');
}
