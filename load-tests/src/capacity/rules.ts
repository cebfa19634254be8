/**
 * When a step counts as "carried", when to stop stepping up, and what the run's answer is.
 * Kept apart from the measuring so the rules can be tested exactly.
 */

/** A worker carries a load when the receivers lose < 0.5 % and no worker is above 85 % of a core. */
export const PASS = { maxLoss: 0.005, maxWorkerCpuPct: 85 } as const;
/** Past either of these the worker is clearly saturated: larger steps only take longer to fail. */
export const SATURATED = { loss: 0.02, workerCpuPct: 95 } as const;

export interface StepOutcome {
  receivers: number;
  /** Lost / expected over all streams of the window, 0..1. */
  loss: number;
  /** The busiest worker, % of one core. */
  maxWorkerCpuPct: number;
  /** Consumers that delivered nothing in the window (e.g. never got a key frame): they hide loss. */
  silentStreams: number;
}

/**
 * Other processes share this machine (other benchmarks, browser tests). A window in which they
 * took more than this share of a core, or in which the sender fell short of the clip's rate,
 * measured the neighbours as much as the worker: it is measured again.
 */
export const DISTURBED = { otherCpuPct: 30, senderShortfall: 0.05 } as const;

export function disturbed(w: { otherCpuPct: number | null; senderPps: number; nominalSenderPps: number }): boolean {
  return (w.otherCpuPct ?? 0) > DISTURBED.otherCpuPct || w.senderPps < (1 - DISTURBED.senderShortfall) * w.nominalSenderPps;
}

export function passes(s: StepOutcome): boolean {
  return s.loss < PASS.maxLoss && s.maxWorkerCpuPct < PASS.maxWorkerCpuPct && s.silentStreams === 0;
}

export function saturated(s: StepOutcome): boolean {
  return s.loss >= SATURATED.loss || s.maxWorkerCpuPct >= SATURATED.workerCpuPct;
}

/**
 * The largest receiver count that passed with every smaller step passing too: a pass above a
 * failure is noise (a quiet moment on a shared machine), not capacity. null when the first failed.
 */
export function largestCarried(steps: StepOutcome[]): number | null {
  let best: number | null = null;
  for (const s of [...steps].sort((a, b) => a.receivers - b.receivers)) {
    if (!passes(s)) break;
    best = s.receivers;
  }
  return best;
}

/** Receivers 2 workers carry per receiver 1 worker carries; null without both answers. */
export function scalingRatio(oneWorker: number | null | undefined, twoWorkers: number | null | undefined): number | null {
  if (oneWorker == null || twoWorkers == null || oneWorker === 0) return null;
  return twoWorkers / oneWorker;
}
