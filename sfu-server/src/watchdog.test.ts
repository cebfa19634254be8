/** A frozen worker (SIGSTOP) against real mediasoup workers: noticed, avoided, then replaced. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sfuConfig } from './config.ts';
import { MediasoupNode } from './MediasoupNode.ts';
import { waitFor } from '../test-support/testSupport.ts';

let node: MediasoupNode;
const stopped: number[] = [];

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({
    numWorkers: 2, rtcPort: 0, watchdogIntervalMs: 200, workerHungAfterMs: 800, workerReplaceAfterMs: 4_000,
  }));
});
afterAll(async () => {
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already replaced and gone
    }
  }
  await node.close();
});

describe('the worker watchdog', () => {
  it('samples every worker, idle or not', async () => {
    await waitFor(() => node.health().workers.every((w) => w.cpuUserMs !== null && w.maxRssKb !== null), 5_000);
    expect(node.health().ready).toBe(true);
  });

  it('reports a frozen worker not-ready within the bound, places new lectures elsewhere, then replaces it', async () => {
    const frozen = node.health().workers[0]!.pid;
    const other = node.health().workers[1]!.pid;
    process.kill(frozen, 'SIGSTOP');
    stopped.push(frozen);
    const frozenAt = Date.now();

    await waitFor(() => node.health().workers[0]!.hung, 5_000);
    const detectedMs = Date.now() - frozenAt;
    expect(node.health().ready).toBe(false);
    expect(detectedMs, "reported before it is replaced").toBeLessThan(4_000);

    // New lectures go to the worker that answers, at once, rather than waiting on the frozen one.
    for (let i = 0; i < 3; i++) {
      const lectureId = randomUUID();
      const started = Date.now();
      await node.createTransport(lectureId, 'peer', 'recv');
      expect(Date.now() - started, "a new lecture does not wait on the frozen worker").toBeLessThan(2_500);
      const stats = await node.lectureStats(lectureId);
      expect(stats.routers).toBe(1);
      expect(node.health().workers[1]!.routers).toBeGreaterThanOrEqual(i + 1);
    }
    expect(node.health().workers[1]!.pid).toBe(other);

    // Hung past the longer bound: killed and replaced on its slot, and the node is ready again.
    await waitFor(() => node.health().workers[0]!.pid !== frozen && node.health().ready, 10_000);
    console.log(`worker frozen → reported not-ready after ${detectedMs} ms; replaced after ${Date.now() - frozenAt} ms`);
  });
});
