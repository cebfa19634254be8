/**
 * When the load generator, not the server, is the bottleneck. A client process is saturated when
 * it uses ~a whole core, or when its event loop waits long for the CPU — which also happens at
 * low CPU% if other processes (a local server, other jobs) crowd the machine. Either way its
 * receivers' loss and delay are its own doing and must not be read as the server's.
 */
import type { WorkerTick } from '../cli/workerProtocol.ts';

export const SATURATED_CPU_PCT = 90;
export const SATURATED_LOOP_DELAY_MS = 100;
/** The whole machine (all cores) this busy leaves nothing spare for either side. */
export const SATURATED_HOST_PCT = 95;
/** One bad second is a burst (a wave of DTLS handshakes); two are a pattern. */
export const SATURATED_SECONDS = 2;

/** Why this second of a client process counts as saturated, or null if it does not. */
export function tickSaturation(t: Pick<WorkerTick, 'cpuPct' | 'loopDelayP99Ms'>): 'cpu' | 'event loop' | null {
  if (t.cpuPct >= SATURATED_CPU_PCT) return 'cpu';
  if (t.loopDelayP99Ms >= SATURATED_LOOP_DELAY_MS) return 'event loop';
  return null;
}

export function hostSaturated(samples: { cpuPct: number }[]): boolean {
  return samples.filter((s) => s.cpuPct >= SATURATED_HOST_PCT).length >= SATURATED_SECONDS;
}
