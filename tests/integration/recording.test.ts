/**
 * Recording a real lecture: real Socket.IO, real mediasoup, real ffmpeg. The lecturer and a
 * student on the floor publish real VP8 + Opus (ffmpeg sending RTP into PlainTransport producers
 * registered with the lecture as theirs); the files are read back with ffprobe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type MediaSource } from '@tongtang/shared';
import { publishWithFfmpeg, testClip, type FfmpegPublisher } from '../../sfu-server/test-support/ffmpegSource.ts';
import { lumaStats, packetSpan, streams } from '../helpers/ffprobe.ts';
import { TestClient } from '../helpers/client.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-lecture-rec-'));
const nodes: TestNode[] = [];
const clients: TestClient[] = [];
const publishers: FfmpegPublisher[] = [];

beforeAll(async () => {
  await testClip();
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  for (const p of publishers) p.close();
  for (const n of nodes) await n.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function node(overrides: Parameters<typeof startTestNode>[0]): Promise<TestNode> {
  const n = await startTestNode(overrides);
  nodes.push(n);
  return n;
}

async function join(n: TestNode, lectureId: string, role: 'lecturer' | 'student', subject: string, name: string) {
  const client = await TestClient.connect(n.url, n.token({ lectureId, role, subject, name }));
  clients.push(client);
  const joined = await client.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
  return { client, joined };
}

/** Real media from `participantId`, registered with the lecture as if its client had produced it. */
async function publish(n: TestNode, lectureId: string, participantId: string, video: MediaSource | null, audio = true) {
  const room = n.server.lectures.get(lectureId)!;
  const session = room.session(participantId)!;
  const pub = await publishWithFfmpeg(n.media, lectureId, session.peerId);
  publishers.push(pub);
  const { id, role, displayName } = session.participant;
  if (video) await room.addProducer(session, { id: pub.video.id, participantId: id, role, displayName, source: video, kind: 'video', paused: false });
  if (audio) await room.addProducer(session, { id: pub.audio.id, participantId: id, role, displayName, source: 'microphone', kind: 'audio', paused: false });
  await room.syncVisibility();
  return pub;
}

const files = (dir: string, ext: string) => fs.readdirSync(dir).filter((f) => f.endsWith(ext)).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readEvents = (dir: string) =>
  fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { at: number; type: string; [k: string]: unknown });

describe('recording a lecture', () => {
  it('records the program and the floor as WebM tracks, with an event log on the same clock', async () => {
    const n = await node({ recordingsDir: root });
    const lectureId = 'chem-rec';
    const lecturer = await join(n, lectureId, 'lecturer', 'prof', 'Prof. Wang');
    const student = await join(n, lectureId, 'student', 'li', 'Li Hua');
    expect(student.joined.lecture.recording).toEqual({ state: 'idle', since: null, message: null });
    expect(await student.client.request('recording:start', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await lecturer.client.call('lecture:start', {});
    await publish(n, lectureId, 'prof', 'camera');
    const told = student.client.next('lecture:updated', (l) => l.recording.state === 'recording');
    const started = await lecturer.client.call('recording:start', {});
    expect(started.recording.state).toBe('recording');
    expect((await told).recording.since).toBe(started.recording.since);
    const late = await join(n, lectureId, 'student', 'late', 'Late Comer');
    expect(late.joined.lecture.recording.state).toBe('recording');

    // The floor brings a student in; what happens in the lecture goes into the log.
    const hand = await student.client.call('hand:raise', { note: 'why argon?' });
    await lecturer.client.call('floor:grant', { entryId: hand.entries[0]!.id });
    await publish(n, lectureId, 'li', null);
    await student.client.call('chat:send', { to: 'everyone', text: 'public question' });
    await student.client.call('chat:send', { to: 'lecturer', text: 'private secret' });
    await student.client.call('reaction:send', { emoji: '👍' });
    await late.client.call('reaction:send', { emoji: '👍' });
    const poll = await lecturer.client.call('poll:open', { question: 'Noble gas?', options: ['N2', 'Ar'], multiple: false });
    await late.client.call('poll:answer', { pollId: poll.id, choices: [1] });
    await lecturer.client.call('poll:close', { pollId: poll.id });
    await sleep(9_000);
    await lecturer.client.call('floor:revoke', { participantId: 'li' });
    await sleep(1_000);
    const stoppedAt = Date.now();
    const stopped = await lecturer.client.call('recording:stop', {});
    expect(stopped.recording.state).toBe('idle');

    const [stamp] = fs.readdirSync(path.join(root, lectureId));
    const dir = path.join(root, lectureId, stamp!);
    const webm = files(dir, '.webm');
    expect(webm).toHaveLength(3);
    const camera = path.join(dir, webm.find((f) => f.startsWith('camera-prof-'))!);
    const profMic = path.join(dir, webm.find((f) => f.startsWith('microphone-prof-'))!);
    const liMic = path.join(dir, webm.find((f) => f.startsWith('microphone-li-'))!);
    expect(await streams(camera)).toMatchObject([{ codec_name: 'vp8', codec_type: 'video' }]);
    for (const f of [profMic, liMic]) expect(await streams(f)).toMatchObject([{ codec_name: 'opus', codec_type: 'audio' }]);
    for (const f of [camera, profMic]) {
      const sidecar = JSON.parse(fs.readFileSync(f.replace(/webm$/, 'json'), 'utf8'));
      expect(sidecar).toMatchObject({ participantId: 'prof', displayName: 'Prof. Wang', role: 'lecturer' });
      const wall = (stoppedAt - sidecar.startedAt) / 1000;
      expect(wall).toBeGreaterThan(5); // ~10 s, less whatever ffmpeg took to start on a loaded machine
      const { seconds } = await packetSpan(f);
      expect(Math.abs(seconds - wall), `${path.basename(f)}: ${seconds} s of media in ${wall} s`).toBeLessThan(1.5);
    }
    const frames = await lumaStats(camera);
    expect(frames.length).toBeGreaterThan(19 * (await packetSpan(camera)).seconds);
    expect(frames.every((f) => f.max - f.min > 100)).toBe(true);

    const events = readEvents(dir);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['lecture.live', 'recording.started']);
    expect(types.at(-1)).toBe('recording.stopped');
    expect(events[0]!.at).toBe(n.server.lectures.get(lectureId)!.info.startedAt);
    expect(events.find((e) => e.type === 'hand.raised')).toMatchObject({ displayName: 'Li Hua', site: 'online', note: 'why argon?' });
    expect(events.find((e) => e.type === 'floor.granted')).toMatchObject({ participantId: 'li', displayName: 'Li Hua', site: 'online' });
    expect(events.find((e) => e.type === 'floor.revoked')).toMatchObject({ participantId: 'li', displayName: 'Li Hua' });
    expect(events.filter((e) => e.type === 'chat').map((e) => e.text)).toEqual(['public question']);
    expect(JSON.stringify(events)).not.toContain('private secret');
    expect(events.filter((e) => e.type === 'reaction').at(-1)).toMatchObject({ site: 'online', counts: { '👍': 2 } });
    expect(events.find((e) => e.type === 'poll.closed')).toMatchObject({ question: 'Noble gas?', results: { perOption: [0, 1], respondents: 1 } });
    expect(events.filter((e) => e.type === 'track.started')).toHaveLength(3);
    // One clock: the log's times fall inside the recording, in order.
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
    expect(events.at(-1)!.at).toBeGreaterThanOrEqual(stoppedAt);

    // The lecturer's list and the event log download, over HTTP with the join token.
    const get = (url: string, token?: string) => fetch(`${n.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const profToken = n.token({ lectureId, role: 'lecturer', subject: 'prof', name: 'Prof. Wang' });
    const list = await (await get(`/api/recordings/${lectureId}`, profToken)).json();
    expect(list.recordings).toHaveLength(1);
    const rec = list.recordings[0];
    // Stopped: its replay is being composed (or already is, on a quick machine).
    expect(rec).toMatchObject({ id: stamp, reason: null });
    expect(['composing', 'ready']).toContain(rec.state);
    expect(rec.tracks).toHaveLength(3);
    expect(rec.bytes).toBe(webm.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0));
    expect(Math.abs(rec.durationMs - (events.at(-1)!.at - events[1]!.at))).toBeLessThan(50);
    expect(rec.tracks.find((t: { source: string }) => t.source === 'camera')).toMatchObject({ participantId: 'prof', codec: 'video/VP8', segment: 1 });
    const download = await get(`/api/recordings/${lectureId}/${stamp}/events`, profToken);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?chem-rec-.*-events\.json"?$/);
    expect(await download.json()).toEqual(events);
    const csv = await (await get(`/api/recordings/${lectureId}/${stamp}/events.csv`, profToken)).text();
    expect(csv.split('\r\n')[0]).toBe('time,event,who,site,detail');
    expect(csv).toContain(`${new Date(events.find((e) => e.type === 'floor.granted')!.at).toISOString()},floor.granted,Li Hua,online,`);
    expect(csv).not.toContain('private secret');
    expect((await get(`/api/recordings/${lectureId}`)).status).toBe(401);
    expect((await get(`/api/recordings/${lectureId}`, n.token({ lectureId, role: 'student', subject: 'li', name: 'Li Hua' }))).status).toBe(403);
    expect((await get('/api/recordings/other-lecture', profToken)).status).toBe(403);
    expect((await get(`/api/recordings/${lectureId}/..%2F..%2Fetc/events`, profToken)).status).toBe(404);

    // The replay composed from it: H.264 + AAC as long as the recording, a chapter for the floor turn and the poll.
    await expect.poll(async () => (await (await get(`/api/recordings/${lectureId}`, profToken)).json()).recordings[0].state, { timeout: 90_000, interval: 1_000 }).toBe('ready');
    const composed = (await (await get(`/api/recordings/${lectureId}`, profToken)).json()).recordings[0];
    expect(composed.replay).toMatchObject({ state: 'ready', progress: 1, gaps: [], chapters: 2, videoStartedAt: events[1]!.at });
    expect(Math.abs(composed.replay.durationMs - composed.durationMs)).toBeLessThan(50);
    const mp4 = path.join(dir, 'replay', 'replay.mp4');
    expect((await streams(mp4)).map((st) => st.codec_name)).toEqual(['h264', 'aac']);
    expect(Math.abs((await packetSpan(mp4)).seconds * 1000 - composed.durationMs)).toBeLessThan(1_000);
    const vtt = fs.readFileSync(path.join(dir, 'replay', 'chapters.vtt'), 'utf8');
    expect(vtt).toMatch(/^floor-1\n[\d:.]+ --> [\d:.]+\nLi Hua$/m);
    expect(vtt).toMatch(/^poll-1\n[\d:.]+ --> [\d:.]+\nNoble gas\?$/m);
  }, 150_000);

  it('closes a recording the server stopped in the middle of, and makes its replay, when the server starts again', async () => {
    // What a node that died mid-recording leaves: a track without an end, a log without a stop.
    const dir = path.join(root, 'crashed', '2026-11-27T00-00-00-000Z');
    fs.mkdirSync(dir, { recursive: true });
    const startedAt = Date.now() - 124_000;
    fs.copyFileSync(await testClip(), path.join(dir, 'camera-prof-cam-001.webm'));
    fs.writeFileSync(path.join(dir, 'camera-prof-cam-001.json'), JSON.stringify({
      participantId: 'prof', displayName: 'Prof. Wang', role: 'lecturer', source: 'camera', kind: 'video', producerId: 'cam', segment: 1, startedAt,
    }));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), `${JSON.stringify({ at: startedAt, type: 'recording.started', lectureId: 'crashed' })}\n`);
    const lastWrite = new Date(startedAt + 4_000);
    for (const f of [...fs.readdirSync(dir).map((x) => path.join(dir, x)), dir]) fs.utimesSync(f, lastWrite, lastWrite);

    const n = await node({ recordingsDir: root });
    const profToken = n.token({ lectureId: 'crashed', role: 'lecturer', subject: 'prof', name: 'Prof. Wang' });
    const list = async () => (await (await fetch(`${n.url}/api/recordings/crashed`, { headers: { authorization: `Bearer ${profToken}` } })).json()).recordings;
    await expect.poll(async () => (await list())[0].state, { timeout: 60_000, interval: 500 }).toBe('ready');
    const [rec] = await list();
    expect(rec).toMatchObject({ reason: null, durationMs: 4_000, replay: { state: 'ready', durationMs: 4_000 } });
    expect(readEvents(dir).at(-1)).toMatchObject({ type: 'recording.stopped', at: startedAt + 4_000, interrupted: 'the server stopped during the recording' });
    expect((await streams(path.join(dir, 'replay', 'replay.mp4'))).map((st) => st.codec_name)).toEqual(['h264', 'aac']);
  }, 90_000);

  it('resumes recording on the lecturer\'s node when the lecture says it is recorded but nothing records it', async () => {
    // As after a restart in a cluster: the status outlived the node that was recording.
    const n = await node({ recordingsDir: root });
    const lectureId = 'resumed';
    const lecturer = await join(n, lectureId, 'lecturer', 'prof', 'Prof. Wang');
    await lecturer.client.call('lecture:start', {});
    const room = n.server.lectures.get(lectureId)!;
    await room.dispatch({ type: 'recording.set', recording: { state: 'recording', since: Date.now() - 60_000, message: null } });
    await publish(n, lectureId, 'prof', 'camera');
    await expect.poll(() => fs.existsSync(path.join(root, lectureId)) && files(path.join(root, lectureId, fs.readdirSync(path.join(root, lectureId))[0]!), '.webm').length, { timeout: 15_000 }).toBe(2);
    expect(fs.readdirSync(path.join(root, lectureId))).toHaveLength(1);
    // Stopping is stopping: a stage change meanwhile does not start it again.
    const stopping = lecturer.client.call('recording:stop', {});
    await room.syncVisibility(); // tells the recorder the stage changed, while it stops
    expect((await stopping).recording.state).toBe('idle');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fs.readdirSync(path.join(root, lectureId))).toHaveLength(1);
    expect(room.info.recording.state).toBe('idle');
  });

  it('records a classroom\'s room camera only while the classroom holds the floor', async () => {
    const n = await node({ recordingsDir: path.join(root, 'floor') });
    const lecturer = await join(n, 'floor-lec', 'lecturer', 'prof', 'Prof. Wang');
    const room = await TestClient.connect(n.url, n.token({ lectureId: 'floor-lec', role: 'classroom', subject: 'room-a', name: 'Kashgar 101', classroomId: 'kashgar' }));
    clients.push(room);
    await room.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    await lecturer.client.call('lecture:start', {});
    const pub = await publish(n, 'floor-lec', 'room-a', 'camera', false);
    await lecturer.client.call('recording:start', {});
    const [stamp] = fs.readdirSync(path.join(root, 'floor', 'floor-lec'));
    const dir = path.join(root, 'floor', 'floor-lec', stamp!);
    const tracks = (type: string) => readEvents(dir).filter((e) => e.type === type && e.producerId === pub.video.id);

    await sleep(1_000);
    expect(tracks('track.started')).toEqual([]); // on the lecturer's wall only: not recorded
    await lecturer.client.call('floor:grant', { participantId: 'room-a' });
    await expect.poll(() => tracks('track.started'), { timeout: 15_000 }).toMatchObject([{ source: 'camera', site: 'kashgar', displayName: 'Kashgar 101' }]);
    await sleep(3_000);
    await lecturer.client.call('floor:revoke', { participantId: 'room-a' });
    await expect.poll(() => tracks('track.stopped').length, { timeout: 15_000 }).toBe(1);
    expect(n.server.lectures.get('floor-lec')!.producer(pub.video.id)).toBeDefined(); // still on the wall
    const file = files(dir, '.webm').find((f) => f.startsWith('camera-room-a-'))!;
    expect(await streams(path.join(dir, file))).toMatchObject([{ codec_name: 'vp8' }]);
    await lecturer.client.call('recording:stop', {});
  });

  it('tells the lecturer when the directory cannot be written, and the lecture goes on', async () => {
    const blocker = path.join(root, 'a-file');
    fs.writeFileSync(blocker, '');
    const n = await node({ recordingsDir: path.join(blocker, 'recordings') });
    const lecturer = await join(n, 'unwritable', 'lecturer', 'prof', 'Prof. Wang');
    const student = await join(n, 'unwritable', 'student', 'li', 'Li Hua');
    await lecturer.client.call('lecture:start', {});
    const told = student.client.next('lecture:updated', (l) => l.recording.state === 'error');
    const res = await lecturer.client.request('recording:start', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/recording directory cannot be written/) } });
    expect((await told).recording.message).toMatch(/cannot be written/);
    expect((await student.client.call('chat:send', { to: 'everyone', text: 'still here' })).text).toBe('still here');
    expect(n.server.lectures.get('unwritable')!.info.state).toBe('live');
  });

  it('tells everyone when ffmpeg keeps failing mid-lecture (a full disk), and the lecture goes on', async () => {
    const n = await node({ recordingsDir: path.join(root, 'failing') });
    const lecturer = await join(n, 'failing', 'lecturer', 'prof', 'Prof. Wang');
    const student = await join(n, 'failing', 'student', 'li', 'Li Hua');
    await lecturer.client.call('lecture:start', {});
    await lecturer.client.call('recording:start', {});
    const room = n.server.lectures.get('failing')!;
    const session = room.session('prof')!;
    const pub = await publishWithFfmpeg(n.media, 'failing', session.peerId);
    publishers.push(pub);
    // Every file name this track will try is taken by a directory: each ffmpeg fails at once.
    const [stamp] = fs.readdirSync(path.join(root, 'failing', 'failing'));
    for (let i = 1; i <= 5; i++) fs.mkdirSync(path.join(root, 'failing', 'failing', stamp!, `camera-prof-${pub.video.id.slice(0, 8)}-00${i}.webm`));
    const failed = student.client.next('lecture:updated', (l) => l.recording.state === 'error', 30_000);
    const { id, role, displayName } = session.participant;
    await room.addProducer(session, { id: pub.video.id, participantId: id, role, displayName, source: 'camera', kind: 'video', paused: false });
    await room.syncVisibility();
    expect((await failed).recording.message).toMatch(/ffmpeg failed 3 times/);
    expect(room.info.state).toBe('live');
    const res = await fetch(`${n.url}/api/recordings/failing`, { headers: { authorization: `Bearer ${n.token({ lectureId: 'failing', role: 'observer', subject: 'it', name: 'IT' })}` } });
    expect((await res.json()).recordings).toMatchObject([{ id: stamp, state: 'failed', reason: expect.stringMatching(/ffmpeg failed 3 times/) }]);
    expect((await student.client.call('chat:send', { to: 'everyone', text: 'still here' })).text).toBe('still here');
  });

  it('starts by itself when the operator says so, and stops when the lecture ends', async () => {
    const dir = path.join(root, 'auto');
    const n = await node({ recordingsDir: dir, recordAutomatically: true });
    const lecturer = await join(n, 'auto-lec', 'lecturer', 'prof', 'Prof. Wang');
    await publish(n, 'auto-lec', 'prof', 'screen');
    const recording = lecturer.client.next('lecture:updated', (l) => l.recording.state === 'recording', 10_000);
    await lecturer.client.call('lecture:start', {});
    await recording;
    const screenFile = () => fs.readdirSync(path.join(dir, 'auto-lec')).flatMap((d) => fs.readdirSync(path.join(dir, 'auto-lec', d)).filter((f) => f.startsWith('screen-') && f.endsWith('.webm')).map((f) => path.join(dir, 'auto-lec', d, f)));
    await expect.poll(() => screenFile().some((f) => fs.statSync(f).size > 20_000), { timeout: 15_000 }).toBe(true);
    const idle = lecturer.client.next('lecture:updated', (l) => l.state === 'ended' && l.recording.state === 'idle', 15_000);
    await lecturer.client.call('lecture:end', {});
    await idle;
    const [stamp] = fs.readdirSync(path.join(dir, 'auto-lec'));
    const out = path.join(dir, 'auto-lec', stamp!);
    expect(readEvents(out).map((e) => e.type)).toEqual(expect.arrayContaining(['recording.started', 'lecture.live', 'lecture.ended', 'recording.stopped']));
    const screen = files(out, '.webm').find((f) => f.startsWith('screen-prof-'));
    expect(await streams(path.join(out, screen!))).toMatchObject([{ codec_name: 'vp8' }]);
  });
});
