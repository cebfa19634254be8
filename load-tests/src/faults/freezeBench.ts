/**
 * How fast a frozen media worker is noticed and replaced, with the watchdog's default bounds:
 * starts a media node with two workers, freezes one (SIGSTOP) several times, and prints for each
 * round when /readyz would turn 503 (the worker reported hung) and when a replacement runs.
 *
 *   npm run bench:freeze [-- --rounds 3]
 */
import { parseArgs } from 'node:util';
import { MediasoupNode, sfuConfig } from '@tongtang/sfu-server';
import { summarize } from '../stats/percentiles.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const config = sfuConfig({ numWorkers: 2, rtcPort: 0 });
const node = await MediasoupNode.create(config);
const waitFor = async (ok: () => boolean, timeoutMs: number): Promise<number> => {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
};
const detected: number[] = [];
const replaced: number[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    await waitFor(() => node.health().ready, 30_000);
    const pid = node.health().workers[0]!.pid;
    process.kill(pid, 'SIGSTOP');
    const frozenAt = Date.now();
    await waitFor(() => node.health().workers[0]!.hung, 30_000);
    detected.push(Date.now() - frozenAt);
    await waitFor(() => node.health().workers[0]!.pid !== pid && node.health().ready, 60_000);
    replaced.push(Date.now() - frozenAt);
    process.stderr.write(`round ${i + 1}: not-ready after ${detected.at(-1)} ms, replaced after ${replaced.at(-1)} ms\n`);
  }
  const d = summarize(detected);
  const r = summarize(replaced);
  process.stdout.write(`watchdog every ${config.watchdogIntervalMs} ms, hung after ${config.workerHungAfterMs} ms, replaced after ${config.workerReplaceAfterMs} ms\n` +
    `freeze → reported not-ready: min ${d.min} / max ${d.max} ms over ${rounds} rounds\n` +
    `freeze → replacement worker ready: min ${r.min} / max ${r.max} ms\n`);
} finally {
  await node.close();
}
