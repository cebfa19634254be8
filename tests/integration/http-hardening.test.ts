/** The HTTP side against a real node: headers that protect the join page, errors without stacks, any install path. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const dist = path.resolve(import.meta.dirname, '../../web-client/dist');
let node: TestNode;
let dotted: TestNode;
let dottedRoot: string;

beforeAll(async () => {
  // An install under a directory with a dot-segment, as ~/.local/share/tongtang would be.
  dottedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-'));
  const webDist = path.join(dottedRoot, '.local', 'tongtang', 'dist');
  fs.cpSync(dist, webDist, { recursive: true });
  node = await startTestNode();
  dotted = await startTestNode({ webDist });
});
afterAll(async () => {
  await node?.close();
  await dotted?.close();
  fs.rmSync(dottedRoot, { recursive: true, force: true });
});

describe('the web client over HTTP', () => {
  it('sends the join page with a strict CSP, no framing, no referrer and no caching', async () => {
    const res = await fetch(`${node.url}/?token=secret-join-token`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The page itself has no inline script the CSP would block.
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('ships no source maps', () => {
    const files = fs.readdirSync(path.join(dist, 'assets'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      expect(fs.readFileSync(path.join(dist, 'assets', f), 'utf8')).not.toContain('sourceMappingURL');
    }
  });

  it('serves the client from an install path with a dot-segment', async () => {
    const page = await fetch(`${dotted.url}/lecture`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${dotted.url}${script}`)).status).toBe(200);
  });

  it('answers a failure with a JSON error, never a stack trace or a server path', async () => {
    // The page vanishes under a running server (a botched deploy): sendFile fails into the error handler.
    fs.rmSync(path.join(dottedRoot, '.local', 'tongtang', 'dist', 'index.html'));
    const res = await fetch(`${dotted.url}/lecture`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(body).not.toMatch(/ at |node_modules|\/tmp\/|\.local/);
  });
});
