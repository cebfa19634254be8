/**
 * `npm start`'s process as a log collector sees it (output piped): every log line is one JSON
 * object with each key once (component and nodeId used to be written twice), around the banner.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startNode, type StartedNode } from '@tongtang/load-tests';
import { until } from '../helpers/cluster.ts';

let node: StartedNode | undefined;
afterAll(() => node?.stop());

/** Top-level keys that appear more than once in a raw JSON line (JSON.parse would hide them). */
function repeatedKeys(line: string): string[] {
  const keys = Object.keys(JSON.parse(line) as object);
  return keys.filter((k) => line.split(`"${k}":`).length - 1 > 1);
}

describe('start-up logs', () => {
  it('are JSON lines without repeated keys when piped', async () => {
    node = await startNode({ args: ['--demo'], env: { SFU_WORKERS: '2', LOG_LEVEL: 'info', LOG_FORMAT: '' }, timeoutMs: 25_000 });
    // Ready may be answered before the banner's output has reached us.
    const out = await until(() => {
      const text = node!.lines().join('\n');
      return text.includes('is ready.') && text.includes('"msg":"tongtang listening"') && text;
    }, 'the demo banner', 5_000);
    const jsonLines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(jsonLines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toEqual(
      expect.arrayContaining(['mediasoup worker started', 'tongtang listening']));
    expect(jsonLines.filter((l) => l.includes('"component":"sfu"')).length).toBeGreaterThanOrEqual(2); // one per worker
    for (const line of jsonLines) expect(repeatedKeys(line), line).toEqual([]);
  }, 40_000);
});
