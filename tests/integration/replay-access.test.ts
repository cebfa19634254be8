/**
 * Who may watch a recording, over real HTTP against a real node: the lecture's people with their
 * join tokens, a replay link's holder for that recording only; forged, expired and misdirected
 * tokens get clear errors; the files are served with ranges and nothing outside the replay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@tongtang/shared';
import { mintReplayToken } from '../../signaling/src/auth/replayTokens.ts';
import { TestClient } from '../helpers/client.ts';
import { FIXTURE_RECORDING as REC, makeComposedRecording } from '../helpers/replayFixture.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const LEC = 'chem-replay';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-replay-'));
let n: TestNode;
let lecturer: string;
let student: string;
let observer: string;

beforeAll(async () => {
  await makeComposedRecording(root, LEC);
  n = await startTestNode({ recordingsDir: root });
  lecturer = n.token({ lectureId: LEC, role: 'lecturer', subject: 'prof', name: 'Prof. Wang' });
  student = n.token({ lectureId: LEC, role: 'student', subject: 'li', name: 'Li Hua' });
  observer = n.token({ lectureId: LEC, role: 'observer', subject: 'it', name: 'IT' });
}, 60_000);
afterAll(async () => {
  await n?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const base = `/api/recordings/${LEC}/${REC}`;
const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${n.url}${url}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
const link = (token: string, body: unknown) =>
  fetch(`${n.url}${base}/replay-link`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const errorOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code });

describe('replay access', () => {
  it('gives the lecture\'s participants the replay with its status and event log', async () => {
    for (const token of [lecturer, student, observer]) {
      const res = await get(`${base}/replay`, token);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ lectureId: LEC, recording: { id: REC, state: 'ready' }, replay: { state: 'ready', durationMs: 8_000, chapters: 2 } });
      expect(body.events.map((e: { type: string }) => e.type)).toContain('floor.granted');
      expect(body.recording.tracks).toBeUndefined();
    }
    // The list with sizes and tracks is for the lecturer and IT.
    expect((await get(`/api/recordings/${LEC}`, observer)).status).toBe(200);
    expect(await errorOf(await get(`/api/recordings/${LEC}`, student))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('makes replay links: a participant\'s for a month at most, the lecturer\'s for longer; a burst all succeed', async () => {
    const mine = await link(student, {});
    expect(mine.status).toBe(200);
    const { url, token, expiresAt } = await mine.json();
    expect(url).toBe(`/replay/${LEC}/${REC}?t=${token}`);
    expect(expiresAt - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await get(`${base}/replay?t=${token}`)).status).toBe(200);

    expect(await errorOf(await link(student, { days: 90 }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await errorOf(await link(lecturer, { days: 0 }))).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await errorOf(await link(lecturer, { days: 'forever' }))).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await errorOf(await link(lecturer, { days: 3, extra: 1 }))).toEqual({ status: 400, code: 'BAD_REQUEST' });
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => link(i % 2 ? lecturer : student, { days: i % 2 ? 180 : 31 })));
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 ? 200 : 403)));
    // A replay link's holder cannot make links of its own.
    expect(await errorOf(await link(token, {}))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('keeps a replay token to its recording: no list, no other recording, no joining the lecture', async () => {
    const replay = mintReplayToken(n.config.jwtSecret, { sub: 'guest', lec: LEC, rec: REC }, 3600);
    expect((await get(`${base}/replay`, replay)).status).toBe(200);
    expect((await get(`${base}/events.csv`, replay)).status).toBe(200);
    expect(await errorOf(await get(`/api/recordings/${LEC}`, replay))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const other = `/api/recordings/${LEC}/2026-11-28T01-00-00-000Z/replay`;
    expect(await errorOf(await get(other, replay))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await errorOf(await get(`/api/recordings/other-lecture/${REC}/replay`, replay))).toEqual({ status: 403, code: 'FORBIDDEN' });
    await expect(TestClient.connect(n.url, replay)).rejects.toThrow(/token/i);
    // And a join token is no replay token for another lecture.
    expect(await errorOf(await get(`/api/recordings/other-lecture/${REC}/replay`, student))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('refuses forged, expired and missing tokens with clear errors', async () => {
    const forged = mintReplayToken('not-the-secret', { sub: 'x', lec: LEC, rec: REC }, 3600);
    expect(await errorOf(await get(`${base}/replay`, forged))).toEqual({ status: 401, code: 'TOKEN_INVALID' });
    const expired = jwt.sign({ typ: 'replay', sub: 'x', lec: LEC, rec: REC, exp: Math.floor(Date.now() / 1000) - 10 }, n.config.jwtSecret);
    const res = await get(`${base}/replay`, expired);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: 'TOKEN_EXPIRED', message: 'the replay link has expired' });
    const noRecording = jwt.sign({ typ: 'replay', sub: 'x', lec: LEC, exp: Math.floor(Date.now() / 1000) + 60 }, n.config.jwtSecret);
    expect(await errorOf(await get(`${base}/replay`, noRecording))).toEqual({ status: 401, code: 'TOKEN_INVALID' });
    expect(await errorOf(await get(`${base}/replay`))).toEqual({ status: 401, code: 'TOKEN_INVALID' });
    expect(await errorOf(await get(`${base}/replay?t=garbage`))).toEqual({ status: 401, code: 'TOKEN_INVALID' });
  });

  it('serves the video with ranges, the HLS playlist and segments, chapters and thumbnail, and nothing else', async () => {
    const mp4 = await get(`${base}/replay/replay.mp4`, student, { range: 'bytes=0-99' });
    expect(mp4.status).toBe(206);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    expect((await mp4.arrayBuffer()).byteLength).toBe(100);
    const download = await get(`${base}/replay/replay.mp4?download=1&t=${student}`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?chem-replay-2026-11-27T01-00-00-000Z-replay\.mp4"?$/);
    await download.arrayBuffer();
    const playlist = await get(`${base}/replay/hls/index.m3u8`, student);
    expect(playlist.headers.get('content-type')).toMatch(/mpegurl/);
    const segment = (await playlist.text()).split('\n').find((l) => l.endsWith('.ts'))!;
    const ts = await get(`${base}/replay/hls/${segment}`, student);
    expect(ts.status).toBe(200);
    expect(ts.headers.get('content-type')).toBe('video/mp2t');
    expect((await (await get(`${base}/replay/chapters.vtt`, student)).text()).startsWith('WEBVTT')).toBe(true);
    expect((await get(`${base}/replay/thumbnail.jpg`, student)).headers.get('content-type')).toBe('image/jpeg');
    for (const bad of ['compose.json', '..%2Fevents.jsonl', 'hls/..%2F..%2Fevents.jsonl', 'hls/segment-001.ts.bak', '..%2F..%2F..%2Fetc%2Fpasswd']) {
      expect((await get(`${base}/replay/${bad}`, student)).status, bad).toBe(404);
    }
    expect((await get(`/api/recordings/${LEC}/..%2F${REC}/replay/replay.mp4`, lecturer)).status).toBe(404);
  });
});

describe('the join path stays closed to replay tokens', () => {
  it('a student joining with a join token still works beside all this', async () => {
    const c = await TestClient.connect(n.url, student);
    const joined = await c.request('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    c.close();
    expect(joined.ok).toBe(true);
  });
});
