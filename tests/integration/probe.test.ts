/** The pre-join media check over HTTP, against real mediasoup workers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeOptions } from '@tongtang/shared';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  await node?.close();
});

const post = (path: string, body?: string, type = 'application/json') =>
  fetch(`${node.url}${path}`, { method: 'POST', ...(body === undefined ? {} : { body, headers: { 'content-type': type } }) });
const dtls = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };

describe('POST /api/probe', () => {
  it('opens a throwaway transport on the media port, over UDP and TCP, with a data channel', async () => {
    const res = await post('/api/probe');
    expect(res.status).toBe(200);
    const probe = (await res.json()) as ProbeOptions;
    const candidates = probe.iceCandidates as { protocol: string; port: number }[];
    expect(candidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(probe.sctpParameters).toMatchObject({ port: 5000 });
    expect(probe.ttlMs).toBeGreaterThan(0);
    expect((probe.routerRtpCapabilities as { codecs: unknown[] }).codecs.length).toBeGreaterThan(0);
  });

  it('answers bad input with a clear JSON error and unknown probes with NOT_FOUND', async () => {
    const { id } = (await (await post('/api/probe')).json()) as ProbeOptions;
    for (const [body, type] of [['{"dtlsParameters": 1}', 'application/json'], ['{not json', 'application/json'], ['{}', 'application/json']] as const) {
      const res = await post(`/api/probe/${id}/connect`, body, type);
      expect(res.status, body).toBe(400);
      expect((await res.json()).error.code).toBe('BAD_REQUEST');
    }
    const big = await post(`/api/probe/${id}/connect`, JSON.stringify({ dtlsParameters: dtls, pad: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    const unknown = await post('/api/probe/no-such-probe/connect', JSON.stringify({ dtlsParameters: dtls }));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');
    // The probe is still usable after all that: the media node shrugged it off.
    expect((await post(`/api/probe/${id}/connect`, JSON.stringify({ dtlsParameters: dtls }))).status).toBe(204);
    // Connecting twice is the page's mistake: a 409 that says so, not a 500.
    const twice = await post(`/api/probe/${id}/connect`, JSON.stringify({ dtlsParameters: dtls }));
    expect(twice.status).toBe(409);
    expect((await twice.json()).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already connected') });
  });

  it('limits checks per address, and the media node caps probes open at once', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const res = await post('/api/probe');
      if (res.status === 429) limited = res;
    }
    expect(limited, 'an address gets at most 10 checks a minute').toBeDefined();
    expect((await limited!.json()).error.code).toBe('RATE_LIMITED');

    const opened: Promise<ProbeOptions>[] = [];
    for (let i = 0; i < 60; i++) opened.push(node.media.createProbe());
    const results = await Promise.allSettled(opened);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'RATE_LIMITED' });
    // The lecture side is untouched by probes: the node stays ready.
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });
});
