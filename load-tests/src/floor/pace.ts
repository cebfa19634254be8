/** Paced, bounded fan-out: start at most `perSecond` tasks a second, with at most `concurrency` in flight. */

export interface PaceOptions {
  perSecond: number;
  concurrency: number;
  signal?: AbortSignal;
}

/**
 * Runs fn over items on a fixed schedule (item i no earlier than i / perSecond seconds in), so a
 * slow task delays later starts only when the concurrency cap is reached — the ramp stays honest
 * rather than speeding up to catch up. Resolves when every started task has settled.
 */
export async function runPaced<T>(items: readonly T[], opts: PaceOptions, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const running = new Set<Promise<void>>();
  for (let i = 0; i < items.length; i++) {
    if (opts.signal?.aborted) break;
    const due = start + (i * 1000) / opts.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    while (running.size >= opts.concurrency) await Promise.race(running);
    const task: Promise<void> = fn(items[i]!, i).catch(() => undefined).finally(() => running.delete(task));
    running.add(task);
  }
  await Promise.all(running);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls cond every intervalMs; resolves true when it holds, false at the deadline. */
export async function waitFor(cond: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() >= deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
