import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePrometheus, ServerProbe } from './serverProbe.ts';

const servers: http.Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

/** A fake /metrics whose worker CPU counters advance by `step` seconds per scrape. */
async function fakeMetrics(step: number, token?: string): Promise<string> {
  let scrapes = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics' || (token && req.headers.authorization !== `Bearer ${token}`)) {
      res.writeHead(token ? 401 : 404).end();
      return;
    }
    const cpu = step * scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end([
      '# HELP tongtang_sfu_worker_cpu_seconds CPU time',
      '# TYPE tongtang_sfu_worker_cpu_seconds gauge',
      `tongtang_sfu_worker_cpu_seconds{worker="0",pid="41",mode="user"} ${cpu * 0.75}`,
      `tongtang_sfu_worker_cpu_seconds{worker="0",pid="41",mode="system"} ${cpu * 0.25}`,
      'tongtang_sfu_worker_max_rss_bytes{worker="0",pid="41"} 52000000',
      `process_cpu_seconds_total ${cpu / 2}`,
      'process_resident_memory_bytes 120000000',
      'tongtang_sfu_consumers 300',
      'tongtang_participants 101',
    ].join('\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('parsePrometheus', () => {
  it('reads names, labels and values, skipping comments', () => {
    const samples = parsePrometheus('# HELP x\nfoo{a="1",b="x y"} 3.5\nbar 7\nbaz{q="say \\"hi\\""} 1e3\n\n');
    expect(samples).toEqual([
      { name: 'foo', labels: { a: '1', b: 'x y' }, value: 3.5 },
      { name: 'bar', labels: {}, value: 7 },
      { name: 'baz', labels: { q: 'say \\"hi\\"' }, value: 1000 },
    ]);
  });
});

describe('ServerProbe', () => {
  it('turns cumulative CPU seconds from /metrics into per-worker CPU %', async () => {
    const probe = new ServerProbe(await fakeMetrics(0.5));
    const first = await probe.sample();
    expect(first?.source).toBe('metrics');
    await new Promise((r) => setTimeout(r, 250));
    const second = (await probe.sample())!;
    const worker = second.workers.find((w) => w.pid === 41)!;
    // 0.5 s of CPU in ~0.25 s of wall time: around 200% (two cores' worth), loosely bounded for slow machines.
    expect(worker.cpuPct).toBeGreaterThan(50);
    expect(worker.cpuPct).toBeLessThan(210);
    expect(worker.rssMb).toBeCloseTo(52);
    expect(second.nodeRssMb).toBeCloseTo(120);
    expect([second.consumers, second.participants]).toEqual([300, 101]);
  });

  it('sends the bearer token, and returns null for a server without metrics', async () => {
    expect(await new ServerProbe(await fakeMetrics(1, 'tok'), { token: 'tok' }).sample()).not.toBeNull();
    expect(await new ServerProbe(await fakeMetrics(1, 'tok')).sample()).toBeNull();
  });

  it('falls back to /proc for a local server', async () => {
    const probe = new ServerProbe('http://127.0.0.1:9', { localPid: process.pid });
    const s = await probe.sample();
    expect(s?.source).toBe('proc');
    expect(s?.nodeRssMb).toBeGreaterThan(10);
  });
});
