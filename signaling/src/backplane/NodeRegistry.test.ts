/** Registry entries are written by other nodes: one that does not parse is skipped as a gone node, never trusted. */
import { PassThrough } from 'node:stream';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { NodeRegistry } from './NodeRegistry.ts';

/** The few Redis commands the registry reads, over a plain map. */
function fakeRedis(values: Record<string, string>) {
  const fake = {
    smembers: async () => Object.keys(values).map((k) => k.replace(/^t:node:/, '')),
    mget: async (...keys: string[]) => keys.map((k) => values[k] ?? null),
    srem: async () => 0,
    get: async (key: string) => values[key] ?? null,
  };
  return fake as unknown as Redis;
}

function registry(values: Record<string, string>) {
  const out = new PassThrough();
  let logged = '';
  out.on('data', (chunk: Buffer) => { logged += chunk.toString(); });
  const r = new NodeRegistry(fakeRedis(values), { id: 'self', url: 'http://self' }, { prefix: 't:' }, createLogger('warn', 'json', out));
  return { r, logged: () => logged.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string }) };
}

const good = { id: 'a', url: 'http://a:3000', load: 3, updatedAt: 1 };

describe('NodeRegistry', () => {
  it('lists the nodes whose entries parse and logs the others', async () => {
    const { r, logged } = registry({
      't:node:a': JSON.stringify(good),
      't:node:b': '{"id":',
      't:node:c': JSON.stringify({ ...good, id: 'c', load: -1 }),
      't:node:d': JSON.stringify({ id: 'd', url: 'http://d' }),
    });
    expect(await r.alive()).toEqual([good]);
    expect(logged().map((l) => l.msg)).toEqual(Array(3).fill('ignored a malformed node registry entry'));
  });

  it('does not take a node\'s address from a malformed entry: the last good one stands in', async () => {
    const values: Record<string, string> = { 't:node:a': JSON.stringify(good) };
    const { r } = registry(values);
    expect(await r.urlOf('a')).toBe('http://a:3000');
    values['t:node:a'] = JSON.stringify({ ...good, url: 42 });
    expect(await r.urlOf('a')).toBe('http://a:3000');
    expect(await r.urlOf('never-seen')).toBeUndefined();
  });
});
