/** CPU of both sides per benchmark phase, so a saturated client or server shows next to its numbers. */
import { childPids, machineBusyMs, processCpuMs, startCpuMeter, type CpuSample } from '../stats/cpu.ts';

export interface PhaseStats {
  name: string;
  client: CpuSample;
  /** Percent of one core; null when the server is not a local child process (--url). */
  serverNodeCpuPct: number | null;
  /** All mediasoup worker processes together, percent of one core. */
  serverWorkersCpuPct: number | null;
  /**
   * Everything else on the machine (other users' jobs), percent of one core. The benchmark
   * shares the cores with whatever runs beside it; a high value here discredits the phase.
   */
  otherCpuPct: number | null;
  /**
   * The server's own event-loop delay p99 over the phase (ms), from its /metrics: how long the
   * server itself kept requests and broadcasts waiting, apart from the clients' own delay.
   */
  serverLoopP99Ms: number | null;
}

/** The server's event-loop lag p99 since the previous scrape (prom-client resets it on each). */
async function serverLoopP99(serverUrl: string | undefined): Promise<number | null> {
  if (!serverUrl) return null;
  try {
    const text = await (await fetch(`${serverUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const match = /^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(text);
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

function serverCpu(pid: number | undefined): { node: number | null; workers: number | null } {
  if (pid === undefined) return { node: null, workers: null };
  const workers = childPids(pid).map(processCpuMs);
  return {
    node: processCpuMs(pid),
    workers: workers.length === 0 || workers.some((w) => w === null) ? null : workers.reduce<number>((a, b) => a + (b ?? 0), 0),
  };
}

const pct = (before: number | null, after: number | null, wallMs: number): number | null =>
  before === null || after === null || wallMs <= 0 ? null : (100 * (after - before)) / wallMs;

/** Runs fn and appends the phase's CPU figures to `out`, even when fn throws. */
export async function inPhase<T>(
  name: string, serverPid: number | undefined, out: PhaseStats[], fn: () => Promise<T>, serverUrl?: string,
): Promise<T> {
  await serverLoopP99(serverUrl); // resets the server's histogram: what follows is this phase's
  const meter = startCpuMeter();
  const before = serverCpu(serverPid);
  const machineBefore = machineBusyMs();
  try {
    return await fn();
  } finally {
    const client = meter.stop();
    const serverLoopP99Ms = await serverLoopP99(serverUrl);
    const after = serverCpu(serverPid);
    const serverNodeCpuPct = pct(before.node, after.node, client.wallMs);
    const serverWorkersCpuPct = pct(before.workers, after.workers, client.wallMs);
    const machine = pct(machineBefore, machineBusyMs(), client.wallMs);
    const ours = client.cpuPct + (serverNodeCpuPct ?? 0) + (serverWorkersCpuPct ?? 0);
    out.push({
      name,
      client,
      serverNodeCpuPct,
      serverWorkersCpuPct,
      // Clamped: tick rounding can push a quiet machine slightly below what we account for.
      otherCpuPct: machine === null || serverPid === undefined ? null : Math.max(0, machine - ours),
      serverLoopP99Ms,
    });
  }
}
