/**
 * How busy the load generator itself is. Every simulated client lives in one Node process, so
 * when this process is saturated the latencies it measures include its own queueing: the
 * report must show that, or a slow client reads as a slow server.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface CpuSample {
  wallMs: number;
  /** User + system CPU time of this process. */
  cpuMs: number;
  /** cpuMs / wallMs in percent of ONE core (can exceed 100 with libuv threads, rarely does). */
  cpuPct: number;
  /** Event-loop delay: how long a ready callback waited. High p99 = the client was the bottleneck. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** The histogram samples a timer of this period and records the whole interval, period included. */
const LOOP_RESOLUTION_MS = 10;
const excess = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

/** Measures this process from now until stop(). */
export function startCpuMeter(): { stop(): CpuSample } {
  const startWall = performance.now();
  const startCpu = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  return {
    stop() {
      loop.disable();
      const wallMs = performance.now() - startWall;
      const used = process.cpuUsage(startCpu);
      const cpuMs = (used.user + used.system) / 1000;
      return {
        wallMs,
        cpuMs,
        cpuPct: wallMs > 0 ? (100 * cpuMs) / wallMs : 0,
        loopDelayP99Ms: loop.count > 0 ? excess(loop.percentile(99)) : 0,
        loopDelayMaxMs: loop.count > 0 ? excess(loop.max) : 0,
      };
    },
  };
}

/** Clock ticks per second for /proc/<pid>/stat; 100 on every mainstream Linux build. */
const CLK_TCK = 100;

/** User + system CPU milliseconds of another local process, from /proc; null where unavailable. */
export function processCpuMs(pid: number): number | null {
  const t = processCpuTimes(pid);
  return t && t.userMs + t.systemMs;
}

/** User and system CPU milliseconds of a local process, from /proc; null where unavailable. */
export function processCpuTimes(pid: number): { userMs: number; systemMs: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing paren are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return { userMs: (utime * 1000) / CLK_TCK, systemMs: (stime * 1000) / CLK_TCK };
  } catch {
    return null;
  }
}

/** Direct children of a local process (e.g. a server's mediasoup workers), from /proc; [] where unavailable. */
export function childPids(pid: number): number[] {
  try {
    const pids = new Set<number>();
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      for (const p of text.trim().split(/\s+/)) if (p) pids.add(Number(p));
    }
    return [...pids];
  } catch {
    return [];
  }
}

/** CPU milliseconds all cores spent busy since boot (every process, ours and others'), from /proc/stat. */
export function machineBusyMs(): number | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...ticks] = line.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return Number.isFinite(total) ? ((total - idle) * 1000) / CLK_TCK : null;
  } catch {
    return null;
  }
}
