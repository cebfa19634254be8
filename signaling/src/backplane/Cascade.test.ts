/** The cascade's control half over real HTTP between two CascadeLinks, with a fake media side. */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type CascadingMediaNode, type ExportedProducer } from '@tongtang/shared';
import { createLogger } from '../logger.ts';
import { CascadeLinks, clusterSecret } from './Cascade.ts';

const log = createLogger('silent');
const secret = clusterSecret('test-secret');
const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** Records what the cascade asked of the media node; exports fail for unknown producers. */
function fakeMedia(producers: string[] = []) {
  const calls: string[] = [];
  const media = {
    hasProducer: () => false,
    openPipe: async () => ({ ip: '127.0.0.1', port: 40_000 }),
    connectPipe: async () => void calls.push('connect'),
    exportProducer: async (_l: string, _n: string, producerId: string): Promise<ExportedProducer> => {
      if (!producers.includes(producerId)) throw new AppError('NOT_FOUND', 'no such producer');
      return { producerId, kind: 'audio', source: 'microphone', rtpParameters: {}, paused: false };
    },
    importProducer: async (_l: string, _n: string, exported: ExportedProducer) => void calls.push(`import ${exported.producerId}`),
    closePipe: async () => undefined,
  };
  return { media: media as unknown as CascadingMediaNode, calls };
}

async function originAt(producers: string[]): Promise<string> {
  const origin = new CascadeLinks(fakeMedia(producers).media, 'node-a', { urlOf: async () => undefined }, secret, log);
  return serve(express().use(origin.router()));
}

async function serve(app: express.Express): Promise<string> {
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('CascadeLinks.pull', () => {
  it('retries while the origin is unknown for a moment (Redis just came back), then imports', async () => {
    const url = await originAt(['p1']);
    let asked = 0;
    const { media, calls } = fakeMedia();
    const links = new CascadeLinks(media, 'node-b', { urlOf: async () => (++asked === 1 ? undefined : url) }, secret, log);
    await links.pull('lec', 'node-a', 'p1');
    expect(asked).toBe(2);
    expect(calls).toEqual(['connect', 'import p1']);
  });

  it('gives up after a few tries on a node that stays unreachable, with UNAVAILABLE', async () => {
    const { media } = fakeMedia();
    let asked = 0;
    const links = new CascadeLinks(media, 'node-b', { urlOf: async () => (asked++, undefined) }, secret, log);
    await expect(links.pull('lec', 'node-x', 'p1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(asked).toBe(3);
  }, 10_000);

  it('does not retry a producer the origin no longer has', async () => {
    const url = await originAt([]);
    let asked = 0;
    const links = new CascadeLinks(fakeMedia().media, 'node-b', { urlOf: async () => (asked++, url) }, secret, log);
    await expect(links.pull('lec', 'node-a', 'gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(asked).toBe(1);
  });

  it('is refused by an origin that does not share the cluster secret', async () => {
    const url = await originAt(['p1']);
    const links = new CascadeLinks(fakeMedia().media, 'node-b', { urlOf: async () => url }, 'wrong-secret', log);
    await expect(links.pull('lec', 'node-a', 'p1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the export endpoint', () => {
  const post = (url: string, body: string, key = secret) => fetch(`${url}/internal/cascade/export`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-tongtang-cluster': key }, body,
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } }));
  const request = { lectureId: 'lec', producerId: 'p1', toNode: 'node-b', endpoint: { ip: '127.0.0.1', port: 40_000 } };

  it('answers a member\'s well-formed request with the pipe end and the producer', async () => {
    const res = await post(await originAt(['p1']), JSON.stringify(request));
    expect(res).toMatchObject({ status: 200, body: { endpoint: { ip: '127.0.0.1', port: 40_000 }, exported: { producerId: 'p1' } } });
  });

  it.each([
    ['a body that is not JSON', '{"lectureId":', 'the export request is not JSON'],
    ['a missing producer', JSON.stringify({ ...request, producerId: undefined }), 'invalid export request: producerId'],
    ['a port out of range', JSON.stringify({ ...request, endpoint: { ip: '127.0.0.1', port: 70_000 } }), 'invalid export request: endpoint.port'],
    ['a field it does not know', JSON.stringify({ ...request, extra: 1 }), 'invalid export request: (body)'],
    ['a list instead of a request', '[]', 'invalid export request: (body)'],
  ])('answers %s with a clear 400', async (_what, body, message) => {
    const res = await post(await originAt(['p1']), body);
    expect(res).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message } } });
  });

  it('refuses a stranger before reading its body', async () => {
    expect((await post(await originAt(['p1']), '{"lectureId":', 'wrong')).status).toBe(403);
  });
});

describe('a malformed reply from the origin', () => {
  it.each([
    ['not JSON', (res: express.Response) => void res.type('json').send('{"endpoint":')],
    ['no producer', (res: express.Response) => void res.json({ endpoint: { ip: '127.0.0.1', port: 40_001 } })],
    ['a producer of an unknown kind', (res: express.Response) => void res.json({
      endpoint: { ip: '127.0.0.1', port: 40_001 }, exported: { producerId: 'p1', kind: 'smell', source: 'camera', rtpParameters: {}, paused: false },
    })],
  ])('(%s) is refused as INTERNAL, imports nothing and is not retried', async (_what, reply) => {
    let asked = 0;
    const url = await serve(express().post('/internal/cascade/export', (_req, res) => reply(res)));
    const { media, calls } = fakeMedia();
    const links = new CascadeLinks(media, 'node-b', { urlOf: async () => (asked++, url) }, secret, log);
    await expect(links.pull('lec', 'node-a', 'p1')).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(calls).toEqual([]);
    expect(asked).toBe(1);
  });
});
