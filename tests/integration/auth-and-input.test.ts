/** Tokens, malformed input and role checks over real Socket.IO against a real node. */
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, PROTOCOL_VERSION } from '@tongtang/shared';
import { TestClient } from '../helpers/client.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
const clients: TestClient[] = [];

async function join(opts: Parameters<TestNode['token']>[0]): Promise<TestClient> {
  const c = await TestClient.connect(node.url, node.token(opts));
  clients.push(c);
  await c.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
  return c;
}

beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe('join tokens', () => {
  it('refuses a forged token with TOKEN_INVALID', async () => {
    const forged = jwt.sign({ sub: 's1', lec: 'lec-1', role: 'lecturer', name: 'Mallory' }, 'not-the-secret', { expiresIn: 60 });
    await expect(TestClient.connect(node.url, forged)).rejects.toMatchObject({ message: 'TOKEN_INVALID' });
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const expired = jwt.sign({ sub: 's1', lec: 'lec-1', role: 'student', name: 'Late', exp: Math.floor(Date.now() / 1000) - 10 }, node.config.jwtSecret);
    await expect(TestClient.connect(node.url, expired)).rejects.toMatchObject({ message: 'TOKEN_EXPIRED' });
  });

  it('refuses a missing token, a token with alg none and one with bad claims', async () => {
    await expect(TestClient.connect(node.url, undefined)).rejects.toMatchObject({ message: 'TOKEN_INVALID' });
    const none = jwt.sign({ sub: 's1', lec: 'lec-1', role: 'lecturer', name: 'X' }, '', { algorithm: 'none' });
    await expect(TestClient.connect(node.url, none)).rejects.toMatchObject({ message: 'TOKEN_INVALID' });
    const badRole = jwt.sign({ sub: 's1', lec: 'lec-1', role: 'admin', name: 'X' }, node.config.jwtSecret, { expiresIn: 60 });
    await expect(TestClient.connect(node.url, badRole)).rejects.toMatchObject({ message: 'TOKEN_INVALID' });
    const noClassroom = jwt.sign({ sub: 'c', lec: 'lec-1', role: 'classroom', name: 'Room' }, node.config.jwtSecret, { expiresIn: 60 });
    await expect(TestClient.connect(node.url, noClassroom)).rejects.toMatchObject({ message: 'TOKEN_INVALID' });
  });

  it('joins with a valid token and answers with the lecture snapshot', async () => {
    const c = await TestClient.connect(node.url, node.token({ role: 'student', name: 'Li Hua', subject: 'stu-join' }));
    clients.push(c);
    const res = await c.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    expect(res.self).toMatchObject({ id: 'stu-join', role: 'student', displayName: 'Li Hua' });
    expect(res.lecture.state).toBe('scheduled');
    expect(res.routerRtpCapabilities).toHaveProperty('codecs');
    expect(res.hands).toEqual({ entries: [], total: 0, myPosition: null });
  });
});

describe('bad input', () => {
  it('answers requests before join with NOT_JOINED', async () => {
    const c = await TestClient.connect(node.url, node.token({ role: 'student', name: 'Early' }));
    clients.push(c);
    const res = await c.request('hand:raise', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
  });

  it('answers unknown events, malformed and oversized payloads with clear errors and keeps serving', async () => {
    const c = await join({ role: 'student', name: 'Fuzzy' });
    expect(await c.raw('admin:shutdown', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    expect(await c.raw('hand:raise', 'not an object')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.raw('hand:raise', { note: 42 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.raw('hand:raise', { note: 'ok', extra: true })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.raw('media:consume', { producerId: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const huge = { note: 'x'.repeat(MAX_REQUEST_BYTES + 10) };
    expect(await c.raw('hand:raise', huge)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    // Still connected and served after all of that.
    expect(c.socket.connected).toBe(true);
    expect(await c.request('hand:raise', { note: 'question on slide 12' })).toMatchObject({ ok: true });
  });

  it('rate-limits a burst from one client without affecting another', async () => {
    const busy = await join({ role: 'student', name: 'Busy' });
    const calm = await join({ role: 'student', name: 'Calm' });
    // Under the strike budget: refused, still connected.
    const results = await Promise.all(Array.from({ length: 40 }, () => busy.raw('chat:send', { to: 'lecturer', text: 'hi' })));
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(5);
    expect(results.some((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toBe(true);
    expect(busy.socket.connected).toBe(true);
    expect(await calm.request('chat:send', { to: 'lecturer', text: 'still here' })).toMatchObject({ ok: true });
  });

  it('drops a connection that keeps flooding, and one that sends a frame far beyond the protocol', async () => {
    const flooderId = 'stu-flooder';
    const flooder = await join({ role: 'student', name: 'Flood', subject: flooderId });
    const calm = await join({ role: 'student', name: 'Calm too' });
    const gone = new Promise<string>((resolve) => flooder.socket.once('disconnect', resolve));
    for (let i = 0; i < 2_000 && flooder.socket.connected; i++) {
      (flooder.socket as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit('hand:lower', {}, () => undefined);
    }
    expect(await gone).toBe('io server disconnect');
    // It sits out a penalty: coming straight back (a reconnect loop costs everyone a join and a leave) is refused.
    await expect(TestClient.connect(node.url, node.token({ role: 'student', name: 'Flood', subject: flooderId }))).rejects.toMatchObject({ message: 'RATE_LIMITED' });
    const huge = await join({ role: 'student', name: 'Huge' });
    const closed = new Promise<string>((resolve) => huge.socket.once('disconnect', resolve));
    (huge.socket as unknown as { emit(e: string, p: unknown): void }).emit('chat:send', { to: 'lecturer', text: 'x'.repeat(1_000_000) });
    expect(await closed).toMatch(/transport (close|error)/);
    expect(await calm.request('hand:raise', {})).toMatchObject({ ok: true });
  });

  it('ignores events sent without an acknowledgement and stays up', async () => {
    const c = await join({ role: 'student', name: 'NoAck' });
    (c.socket as unknown as { emit(e: string, p: unknown): void }).emit('hand:raise', { note: 'no ack' });
    expect(await c.request('hand:lower', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('role checks', () => {
  it('refuses lecture control, stats and the send transport of a student', async () => {
    const s = await join({ role: 'student', name: 'Curious' });
    expect(await s.request('lecture:start', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s.request('stats:get', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const o = await join({ role: 'observer', name: 'IT' });
    expect(await o.request('media:createTransport', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await o.request('stats:get', {})).toMatchObject({ ok: true });
  });

  it('answers a burst of joins on one socket once, and the socket stays connected', async () => {
    const c = await TestClient.connect(node.url, node.token({ role: 'student', name: 'Eager', subject: 'stu-eager' }));
    clients.push(c);
    const results = await Promise.all(Array.from({ length: 5 }, () => c.raw('lecture:join', { protocolVersion: PROTOCOL_VERSION })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.socket.connected).toBe(true);
    expect(c.events.some((e) => e.event === 'session:replaced')).toBe(false);
    expect(await c.request('hand:raise', {})).toMatchObject({ ok: true });
  });

  it('answers a second connect of a transport with CONFLICT', async () => {
    const c = await join({ role: 'student', name: 'Twice connected' });
    const t = await c.call('media:createTransport', { direction: 'recv' });
    const dtlsParameters = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
    expect(await c.request('media:connectTransport', { transportId: t.id, dtlsParameters })).toMatchObject({ ok: true });
    expect(await c.request('media:connectTransport', { transportId: t.id, dtlsParameters })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('replaces an older connection of the same participant', async () => {
    const first = await join({ role: 'student', name: 'Twice', subject: 'stu-twice' });
    const replaced = first.next('session:replaced');
    const second = await join({ role: 'student', name: 'Twice', subject: 'stu-twice' });
    await replaced;
    await new Promise((r) => setTimeout(r, 100));
    expect(first.socket.connected).toBe(false);
    expect(await second.request('hand:raise', {})).toMatchObject({ ok: true });
  });
});
