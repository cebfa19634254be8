/** Per-second timeline of a run: client ticks, server and host samples lined up on one clock. */
import type { LayerKey } from '../rtp/ConsumerMeter.ts';
import { LogHistogram } from './histogram.ts';
import type { RunRecord, TimelinePoint } from './types.ts';

export function buildTimeline(run: RunRecord): TimelinePoint[] {
  const sec = (at: number) => Math.round((at - run.rampStartAt) / 1000);
  const points = new Map<number, TimelinePoint & { expected: number; received: number; delay: LogHistogram; rtt: LogHistogram; joinedBy: Map<number, number>; failedBy: Map<number, number> }>();
  const point = (t: number) => {
    let p = points.get(t);
    if (!p) {
      p = {
        t, joined: 0, failed: 0, rxKbps: {}, lossPct: 0, delayP50Ms: null, delayP95Ms: null, rttP95Ms: null,
        clientCpuMaxPct: 0, serverWorkerCpuPct: {}, serverNodeCpuPct: null, hostCpuPct: null,
        expected: 0, received: 0, delay: new LogHistogram(), rtt: new LogHistogram(), joinedBy: new Map(), failedBy: new Map(),
      };
      points.set(t, p);
    }
    return p;
  };

  for (const { worker, tick } of run.ticks) {
    const p = point(sec(tick.at));
    for (const [k, bytes] of Object.entries(tick.rxBytes) as [LayerKey, number][]) p.rxKbps[k] = (p.rxKbps[k] ?? 0) + (bytes * 8) / 1000;
    p.expected += tick.expected;
    p.received += tick.received;
    p.delay.merge(tick.delay);
    p.rtt.merge(tick.rtt);
    p.clientCpuMaxPct = Math.max(p.clientCpuMaxPct, tick.cpuPct);
    // Counts are absolute per process: the latest tick of each process in this second wins.
    p.joinedBy.set(worker, tick.joined);
    p.failedBy.set(worker, tick.failed);
  }
  for (const s of run.server) {
    const p = point(sec(s.at));
    for (const w of s.workers) p.serverWorkerCpuPct[String(w.pid)] = w.cpuPct;
    p.serverNodeCpuPct = s.nodeCpuPct;
  }
  for (const h of run.host) point(sec(h.at)).hostCpuPct = h.cpuPct;

  const sorted = [...points.values()].sort((a, b) => a.t - b.t);
  // Carry each process's last count through seconds where its tick landed in a neighbour.
  const lastJoined = new Map<number, number>();
  const lastFailed = new Map<number, number>();
  return sorted.map(({ expected, received, delay, rtt, joinedBy, failedBy, ...p }) => {
    for (const [w, n] of joinedBy) lastJoined.set(w, n);
    for (const [w, n] of failedBy) lastFailed.set(w, n);
    return {
      ...p,
      joined: sum(lastJoined),
      failed: sum(lastFailed),
      lossPct: expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : 0,
      delayP50Ms: delay.percentile(50),
      delayP95Ms: delay.percentile(95),
      rttP95Ms: rtt.percentile(95),
    };
  });
}

function sum(m: Map<number, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}
