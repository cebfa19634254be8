import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClient } from '../../../sfu-server/test-support/fakeClient.ts';
import { MediasoupNode, sfuConfig } from '@tongtang/sfu-server';
import { metricsRouter } from './metrics.ts';

// Fail loudly rather than skip: a missing binary must not turn this green.
if (!process.env['MEDIASOUP_WORKER_BIN']) throw new Error('MEDIASOUP_WORKER_BIN is not set');

let node: MediasoupNode;
const servers: http.Server[] = [];
const open = new Map<string, number>(); // lecture id → participants

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 2, rtcPort: 0 }));
}, 30_000);
afterAll(async () => {
  for (const s of servers) s.close();
  await node.close();
});

async function serve(router: express.Router): Promise<string> {
  const app = express();
  app.use(router);
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Value of one sample line, e.g. `tongtang_sfu_consumers 3`, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('metricsRouter', () => {
  const sources = {
    lectureIds: () => [...open.keys()],
    participants: (id: string) => open.get(id) ?? 0,
  };

  it('reports workers, lecture totals and process metrics from a real node', async () => {
    const base = await serve(metricsRouter(node, sources));
    const idle = await (await fetch(`${base}/metrics`)).text();
    expect(sample(idle, 'tongtang_sfu_ready')).toBe(1);
    expect(sample(idle, 'tongtang_sfu_worker_up', { worker: '0' })).toBe(1);
    expect(sample(idle, 'tongtang_sfu_worker_up', { worker: '1' })).toBe(1);
    expect(sample(idle, 'tongtang_lectures')).toBe(0);
    expect(sample(idle, 'tongtang_sfu_consumers')).toBe(0);
    expect(sample(idle, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const lecturer = await FakeClient.join(node, 'lec-a', 'lecturer');
    await lecturer.openSendTransport();
    const cam = await lecturer.produce('camera');
    const mic = await lecturer.produce('microphone');
    const viewers = await Promise.all(['s1', 's2'].map((id) => FakeClient.join(node, 'lec-a', id)));
    for (const v of viewers) {
      await v.openRecvTransport();
      await v.consume(cam.id);
      await v.consume(mic.id);
    }
    open.set('lec-a', 3);
    const other = await FakeClient.join(node, 'lec-b', 'lecturer-b');
    await other.openSendTransport();
    await other.produce('screen');
    open.set('lec-b', 1);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'tongtang_lectures')).toBe(2);
    expect(sample(text, 'tongtang_participants')).toBe(4);
    expect(sample(text, 'tongtang_sfu_producers')).toBe(3);
    expect(sample(text, 'tongtang_sfu_consumers')).toBe(4);
    expect(sample(text, 'tongtang_sfu_transports')).toBe(4);
    expect(sample(text, 'tongtang_sfu_routers')).toBe(2);
    // The per-worker view from health() agrees with the lecture totals.
    const perWorker = ['0', '1'].map((w) => sample(text, 'tongtang_sfu_worker_consumers', { worker: w }) ?? 0);
    expect(perWorker[0]! + perWorker[1]!).toBe(4);
    // Usage comes from the watchdog's samples: every worker reports, whether it carries a lecture or not.
    for (const w of ['0', '1']) {
      expect(sample(text, 'tongtang_sfu_worker_cpu_seconds', { worker: w, mode: 'user' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'tongtang_sfu_worker_max_rss_bytes', { worker: w })).toBeGreaterThan(1_000_000);
    }
    for (const c of [lecturer, other, ...viewers]) c.close();
  }, 20_000);

  it('keeps a separate registry per router and skips a lecture that cannot report', async () => {
    const broken = {
      lectureIds: () => ['gone'],
    };
    const a = await serve(metricsRouter(node, broken));
    const b = await serve(metricsRouter(node, sources, { prefix: 'other_' }));
    const textA = await (await fetch(`${a}/metrics`)).text();
    const textB = await (await fetch(`${b}/metrics`)).text();
    expect(sample(textA, 'tongtang_lectures')).toBe(1);
    expect(sample(textA, 'tongtang_sfu_consumers')).toBe(0);
    expect(sample(textA, 'tongtang_participants')).toBeUndefined();
    expect(sample(textB, 'other_lectures')).toBe(open.size);
    expect(textB).not.toContain('tongtang_lectures');
  }, 20_000);

  it('asks for a bearer token when one is configured', async () => {
    const base = await serve(metricsRouter(node, sources, { token: 's3cret' }));
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('tongtang_sfu_ready 1');
  }, 20_000);
});
