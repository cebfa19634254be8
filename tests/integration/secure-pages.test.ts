/**
 * HTTPS served by the node itself (TLS_CERT/TLS_KEY), the HTTP→HTTPS redirect, Socket.IO over
 * the same TLS server handing out TURN credentials in the join answer, and TRUST_PROXY deciding
 * which address the probe's per-address rate limit sees.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Ack, type JoinResponse } from '@tongtang/shared';
import { makeSelfSigned } from '../../signaling/src/startup.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongtang-tls-'));
const nodes: TestNode[] = [];
let tls: { certFile: string; keyFile: string };
let ca: Buffer;

beforeAll(() => {
  tls = makeSelfSigned(dir, ['127.0.0.1']);
  ca = fs.readFileSync(tls.certFile);
});
afterAll(async () => {
  for (const node of nodes) await node.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(...args: Parameters<typeof startTestNode>): Promise<TestNode> {
  const node = await startTestNode(...args);
  nodes.push(node);
  return node;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS', () => {
  it('serves the app and Socket.IO over TLS, with a TURN credential in the join answer', async () => {
    const node = await start({
      tls,
      turn: { secret: 'turn-secret', urls: ['turn:127.0.0.1:3478?transport=udp', 'turns:127.0.0.1:443?transport=tcp'], ttlSeconds: 3600 },
    });
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`${node.url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse((await get(`${node.url}/api/config`)).body)).toEqual({ demo: false, turn: true });
    // A client that does not trust the certificate is refused: it really is TLS.
    await expect(fetch(`${node.url}/healthz`)).rejects.toThrow();

    const socket = io(node.url, { auth: { token: node.token({ role: 'student', name: 'Li', subject: 'stu-1' }) }, transports: ['websocket'], reconnection: false, forceNew: true, ca: ca.toString() });
    try {
      const join = (await socket.timeout(10_000).emitWithAck('lecture:join', { protocolVersion: PROTOCOL_VERSION })) as Ack<JoinResponse>;
      expect(join.ok).toBe(true);
      const [server] = join.ok ? join.data.iceServers ?? [] : [];
      expect(server?.urls).toEqual(['turn:127.0.0.1:3478?transport=udp', 'turns:127.0.0.1:443?transport=tcp']);
      const [expiry, who] = server!.username.split(':');
      expect(who).toBe('stu-1');
      const lifetime = Number(expiry) - Date.now() / 1000;
      expect(lifetime).toBeGreaterThan(3500);
      expect(lifetime).toBeLessThanOrEqual(3600);
      expect(server!.credential).toMatch(/^[A-Za-z0-9+/]{27}=$/); // base64 of a 20-byte HMAC-SHA1
    } finally {
      socket.close();
    }
  });

  it('redirects plain HTTP to HTTPS when both ports are set, keeping the path', async () => {
    const node = await start({ tls: { ...tls, httpsPort: 0 } });
    const httpsPort = Number(new URL(node.url).port);
    const redirectPort = node.redirectPort!;
    expect(redirectPort).toBeGreaterThan(0);
    expect(redirectPort).not.toBe(httpsPort);
    const res = await get(`http://127.0.0.1:${redirectPort}/healthz?from=link`);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`https://127.0.0.1:${httpsPort}/healthz?from=link`);
    expect((await get(res.headers.location!)).status).toBe(200);
  });

  it('joins without iceServers when TURN is off', async () => {
    const node = await start();
    expect(await (await fetch(`${node.url}/api/config`)).json()).toEqual({ demo: false, turn: false });
    const socket = io(node.url, { auth: { token: node.token({ role: 'student', name: 'Li', subject: 'stu-2' }) }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const join = (await socket.timeout(10_000).emitWithAck('lecture:join', { protocolVersion: PROTOCOL_VERSION })) as Ack<JoinResponse>;
      expect(join.ok && join.data.iceServers).toBeUndefined();
    } finally {
      socket.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  // Ten checks per address per minute; the eleventh is refused.
  const probeTwelve = async (node: TestNode, forwardedFor: (i: number) => string) => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get(`${node.url}/api/probe`, { 'X-Forwarded-For': forwardedFor(i) }, 'POST')).status);
    return statuses;
  };

  it('behind a trusted proxy, rate-limits each forwarded client address on its own', async () => {
    const node = await start({ trustProxy: 'loopback' });
    const same = await probeTwelve(node, () => '198.51.100.7');
    expect(same.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(same.slice(10)).toEqual([429, 429]);
    // Another client behind the same proxy is not punished for the first one.
    expect((await probeTwelve(node, (i) => `198.51.100.${20 + i}`)).every((s) => s === 200)).toBe(true);
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For (a client cannot dodge the limit with it)', async () => {
    const node = await start();
    const statuses = await probeTwelve(node, (i) => `198.51.100.${40 + i}`);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
