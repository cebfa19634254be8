/** The one-line live view, printed every second while a run goes on. */
import { LogHistogram } from '../report/histogram.ts';
import { tickSaturation } from '../report/saturation.ts';
import type { ServerSample } from './serverProbe.ts';
import type { WorkerTick } from './workerProtocol.ts';

export interface ProgressInput {
  elapsedS: number;
  planned: number;
  /** Each client process's latest tick (the lecturer's process included). */
  ticks: WorkerTick[];
  server: ServerSample | null;
  hostCpuPct: number | null;
  /** Kernel UDP receive-buffer drops on this machine since the start. */
  udpDrops?: number | null;
}

export function progressLine(p: ProgressInput): string {
  let joined = 0, failed = 0, expected = 0, received = 0, bytes = 0, cpuMax = 0, loopMax = 0;
  let saturated = 0;
  const delay = new LogHistogram();
  for (const t of p.ticks) {
    joined += t.joined;
    failed += t.failed;
    expected += t.expected;
    received += t.received;
    for (const b of Object.values(t.rxBytes)) bytes += b ?? 0;
    cpuMax = Math.max(cpuMax, t.cpuPct);
    loopMax = Math.max(loopMax, t.loopDelayP99Ms);
    if (tickSaturation(t)) saturated++;
    delay.merge(t.delay);
  }
  const loss = expected > 0 ? (100 * Math.max(0, expected - received)) / expected : 0;
  const parts = [
    `[${String(Math.round(p.elapsedS)).padStart(4)}s]`,
    `joined ${joined}/${p.planned + 1} failed ${failed}`,
    `rx ${(bytes * 8 / 1e6).toFixed(1)} Mbps`,
    `loss ${loss.toFixed(2)}%`,
    `delay p95 ${delay.count ? delay.percentile(95)!.toFixed(1) : '–'} ms`,
    `client cpu max ${cpuMax.toFixed(0)}% loop ${loopMax.toFixed(0)} ms${saturated ? ` (${saturated} SATURATED)` : ''}`,
  ];
  if (p.server) {
    const workers = p.server.workers.map((w) => `${w.cpuPct.toFixed(0)}%`).join('/');
    parts.push(`server sfu ${workers || '–'} node ${p.server.nodeCpuPct === null ? '–' : p.server.nodeCpuPct.toFixed(0) + '%'}`);
  } else {
    parts.push('server –');
  }
  if (p.hostCpuPct !== null) parts.push(`host ${p.hostCpuPct.toFixed(0)}%`);
  if (p.udpDrops) parts.push(`KERNEL UDP DROPS ${p.udpDrops}`);
  const [time, ...rest] = parts;
  return `${time} ${rest.join(' | ')}`;
}
