/**
 * startNode against real node processes: ready means /readyz answers 200, a node that dies or
 * never gets ready is reported with what it printed, and no process outlives its start or stop.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../cluster/processes.ts';
import { startNode } from './startNode.ts';

/** Node processes running signaling/src/main.ts whose parent is this test process. */
function ourNodes(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const ppid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      return ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('signaling/src/main.ts');
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('startNode', () => {
  it('returns once /readyz answers 200, and stop() ends the process', async () => {
    const node = await startNode({ env: { JWT_SECRET: 'start-node-test' } });
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    expect(ourNodes()).toEqual([node.pid]);
    await node.stop();
    await node.stop(); // safe twice
    expect(node.alive).toBe(false);
    expect(ourNodes()).toEqual([]);
  }, 40_000);

  it('reports a node that exits during start-up with its stderr', async () => {
    const started = startNode({ name: 'the bad node', env: { JWT_SECRET: 'start-node-test', SFU_WORKERS: 'many' } });
    await expect(started).rejects.toThrow(/the bad node exited \(1\) before \/readyz answered 200\nstderr:[^]*SFU_WORKERS must be a non-negative integer/);
    expect(ourNodes()).toEqual([]);
  }, 40_000);

  it('gives up on a node that never gets ready, and kills it', async () => {
    // A cluster node whose Redis nobody serves never answers /readyz with 200.
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const started = startNode({ env: { JWT_SECRET: 'start-node-test', REDIS_URL: redisUrl, NODE_ID: 'lonely' }, publicUrl: true, timeoutMs: 8_000 });
    await expect(started).rejects.toThrow(/was not ready \(\/readyz 200\) within 8000 ms[^]*mediasoup worker started/);
    expect(ourNodes()).toEqual([]);
  }, 40_000);
});
