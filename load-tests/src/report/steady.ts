/**
 * The steady state of a run: from a few seconds after the last join to the end, where the
 * numbers describe forwarding rather than joining. Its headline is the SFU's CPU per forwarded
 * packet, which — unlike CPU% — barely depends on what else the machine is doing.
 */
import { LogHistogram } from './histogram.ts';
import type { RunRecord } from './types.ts';

/** Joins stir up key frames, probation and DTLS; let them settle before measuring. */
export const SETTLE_S = 5;

export interface SteadyState {
  fromS: number;
  toS: number;
  /** Packets the SFU sent to the load test's receivers per second (sequence numbers it assigned). */
  forwardedPps: number;
  /** All SFU workers together, % of one core. */
  sfuCpuPct: number | null;
  /** Worker CPU time per forwarded packet, microseconds. */
  sfuCpuUsPerPacket: number | null;
  lossPct: number;
  delayP50Ms: number | null;
  delayP95Ms: number | null;
}

export function steadyState(run: RunRecord, rampS: number): SteadyState | null {
  const from = run.rampStartAt + (rampS + SETTLE_S) * 1000;
  const to = run.endedAt - 500; // the last, partial second is the stop
  if (to - from < 2000) return null;
  const inWindow = (at: number) => at > from && at <= to;
  let expected = 0, received = 0, firstTick = Infinity, lastTick = -Infinity;
  const delay = new LogHistogram();
  for (const { tick } of run.ticks) {
    if (!inWindow(tick.at)) continue;
    expected += tick.expected;
    received += tick.received;
    delay.merge(tick.delay);
    firstTick = Math.min(firstTick, tick.at - 1000);
    lastTick = Math.max(lastTick, tick.at);
  }
  // Server samples hold % over the second before them: core-seconds = Σ pct/100 × interval.
  let coreS = 0, wallS = 0;
  run.server.forEach((s, i) => {
    const prev = run.server[i - 1];
    if (!prev || !inWindow(s.at)) return;
    const dt = (s.at - prev.at) / 1000;
    coreS += (s.workers.reduce((n, w) => n + w.cpuPct, 0) / 100) * dt;
    wallS += dt;
  });
  const seconds = Math.max(1, (lastTick - firstTick) / 1000);
  return {
    fromS: (from - run.rampStartAt) / 1000,
    toS: (to - run.rampStartAt) / 1000,
    forwardedPps: expected / seconds,
    sfuCpuPct: wallS > 0 ? (100 * coreS) / wallS : null,
    // Both over the same window, so the rate mismatch between samplers cancels out.
    sfuCpuUsPerPacket: wallS > 0 && expected > 0 ? (1e6 * (coreS / wallS)) / (expected / seconds) : null,
    lossPct: expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : 0,
    delayP50Ms: delay.percentile(50),
    delayP95Ms: delay.percentile(95),
  };
}
