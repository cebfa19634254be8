/**
 * A partner classroom's hardware joining as its room camera and microphone, against a real node
 * (real Socket.IO, real mediasoup, real ffmpeg as the room's RTMP encoder): the lecturer gets an
 * RTMP URL and key; a push with a wrong key is refused and said so, the right key brings the
 * camera to the lecturer's wall; the room microphone is heard only while the classroom holds the
 * floor (raised by its assistant); the projector PC stops publishing its own camera; only the
 * lecturer and IT manage sources; a burst of opens for one classroom starts one.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomSource, ProducerInfo } from '@tongtang/shared';
import { hardwareClip, pushRtmp, type Encoder } from '../../sfu-server/test-support/testClips.ts';
import { observeMediasoup } from '../../sfu-server/test-support/testSupport.ts';
import { whipTestClient, type WhipTestClient } from '../../sfu-server/test-support/whipClient.ts';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const seen = observeMediasoup();
const lectureId = 'hardware';
let n: TestNode;
const peers: FakePeer[] = [];
const encoders: Encoder[] = [];
const whipClients: WhipTestClient[] = [];
let lecturer: FakePeer;
let room: FakePeer;
let assistant: FakePeer;
let student: FakePeer;
let observer: FakePeer;
let source: ClassroomSource;
let cameraInfo: ProducerInfo;

async function join(opts: Parameters<TestNode['token']>[0]): Promise<FakePeer> {
  const peer = await FakePeer.join(n.url, n.token({ lectureId, ...opts }));
  peers.push(peer);
  return peer;
}

function push(url: string): Encoder {
  const encoder = pushRtmp(clipPath, url);
  encoders.push(encoder);
  return encoder;
}

/** RTP bytes the mediasoup producer has received so far. */
async function bytesIn(producerId: string): Promise<number> {
  const stats = await seen.producers.get(producerId)!.getStats();
  return stats.reduce((sum, s) => sum + (s.byteCount ?? 0), 0);
}

function rtmpProducer(peer: FakePeer, source: 'camera' | 'microphone'): Promise<ProducerInfo> {
  return peer.client.next('producer:added', (p) => p.participantId === 'room-k' && p.source === source && p.via === 'rtmp', 15_000);
}

let clipPath: string;

beforeAll(async () => {
  clipPath = await hardwareClip('h264-aac');
  n = await startTestNode();
  lecturer = await join({ role: 'lecturer', name: 'Prof', subject: 'prof' });
  await lecturer.client.call('lecture:start', {});
  room = await join({ role: 'classroom', name: 'Kashgar room', subject: 'room-k', classroomId: 'kashgar-1' });
  await room.publish('camera');
  assistant = await join({ role: 'assistant', name: 'Ms Ayi', subject: 'ayi', classroomId: 'kashgar-1' });
  student = await join({ role: 'student', name: 'Li Hua', subject: 'li' });
  observer = await join({ role: 'observer', name: 'IT', subject: 'it' });
}, 60_000);
afterAll(async () => {
  for (const e of encoders) e.stop();
  for (const c of whipClients) await c.close();
  for (const p of peers) p.close();
  await n?.close();
});

describe('classroom hardware (RTMP)', () => {
  it('lets only the lecturer and IT connect hardware, for a classroom of this lecture, with a valid URL', async () => {
    for (const peer of [student, assistant, room]) {
      expect(await peer.client.request('source:open', { classroomId: 'kashgar-1', kind: 'rtmp' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await lecturer.client.request('source:open', { classroomId: 'nowhere', kind: 'rtmp' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await observer.client.request('source:open', { classroomId: 'kashgar-1', kind: 'rtsp', url: 'http://10.0.0.8/stream' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('rtsp://') } });
    expect(await lecturer.client.raw('source:open', { classroomId: 'kashgar-1', kind: 'srt' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await lecturer.client.request('source:close', { classroomId: 'kashgar-1' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(student.joined.sources).toBeNull();
    expect(lecturer.joined.sources).toEqual([]);
  });

  it('starts one source for a burst of simultaneous opens, and replaces the projector PC\'s own camera', async () => {
    const told = room.client.next('source:updated', (s) => s.kind === 'rtmp', 15_000);
    const camera = rtmpProducer(lecturer, 'camera');
    const answers = await Promise.all(Array.from({ length: 5 }, () => lecturer.client.request('source:open', { classroomId: 'kashgar-1', kind: 'rtmp' })));
    const ok = answers.filter((a) => a.ok);
    expect(ok).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map((a) => !a.ok && a.error.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    source = (ok[0] as { data: ClassroomSource }).data;
    expect(source).toMatchObject({ classroomId: 'kashgar-1', participantId: 'room-k', kind: 'rtmp', health: { state: 'waiting' } });
    expect(source.ingestUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
    expect(source.key).toMatch(/^[\w-]{20,}$/);
    await told;
    cameraInfo = await camera;
    expect(cameraInfo.paused).toBe(true); // nothing pushed yet
    // The projector PC's own camera left the wall, and it may not publish one beside the hardware.
    await expect.poll(() => [...seen.producers.values()].filter((p) => String(p.appData['peerId']).startsWith('room-k~') && p.appData['peerId'] !== 'room-k~hw' && !p.closed).length).toBe(0);
    const again = await room.client.request('media:produce', { transportId: room.sendTransportId!, kind: 'video', source: 'camera', rtpParameters: { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }] } });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('RTMP') } });
  });

  it('refuses a push with a wrong key and says so; the right key brings the room camera to the wall', async () => {
    push(`${source.ingestUrl}/not-the-key`);
    await lecturer.client.next('sources:updated', (list) => list[0]?.health.lastError === 'refused a publish with a wrong stream key', 20_000);
    for (const e of encoders.splice(0)) e.stop();
    const live = lecturer.client.next('sources:updated', (list) => list[0]?.health.state === 'live', 30_000);
    push(`${source.ingestUrl}/${source.key}`);
    const [list] = await Promise.all([live, lecturer.client.next('producer:updated', (u) => u.producerId === cameraInfo.id && !u.paused, 30_000)]);
    expect(list[0]!.health).toMatchObject({ state: 'live', keyFrameSeconds: 1 });
    const camera = cameraInfo;
    await expect.poll(() => bytesIn(camera.id), { timeout: 10_000 }).toBeGreaterThan(20_000);
    // Simulcast: a 180p layer for thin links and small tiles, a 360p one for projectors, both flowing.
    const layers = async () => (await seen.producers.get(camera.id)!.getStats()).filter((st) => (st.byteCount ?? 0) > 2_000).length;
    expect(seen.producers.get(camera.id)!.rtpParameters.encodings).toHaveLength(2);
    await expect.poll(layers, { timeout: 10_000 }).toBe(2);
    // IT sees the same source and its health; students see neither the key nor the camera.
    expect(observer.client.events.some((e) => e.event === 'sources:updated')).toBe(true);
    expect(student.client.events.some((e) => e.event === 'sources:updated' || (e.event === 'producer:added' && (e.payload as ProducerInfo).via))).toBe(false);
    // A mistyped camera URL is refused and leaves the running encoder alone.
    expect(await observer.client.request('source:open', { classroomId: 'kashgar-1', kind: 'rtsp', url: 'htp://10.0.0.8/live' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const stillLive = await lecturer.client.next('sources:updated', () => true, 5_000);
    expect(stillLive).toMatchObject([{ kind: 'rtmp', health: { state: 'live' } }]);
    const byOwner = await room.client.request('media:closeProducer', { producerId: camera.id });
    expect(byOwner).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('opens the room microphone only while the classroom holds the floor, raised by its assistant', async () => {
    const mic = [...seen.producers.values()].find((p) => p.kind === 'audio' && String(p.appData['peerId']) === 'room-k~hw' && !p.closed)!;
    expect(mic.paused).toBe(true);
    const hands = await assistant.client.call('hand:raise', {});
    const entry = hands.entries.find((e) => e.classroomId === 'kashgar-1')!;
    const heard = student.client.next('producer:added', (p) => p.id === mic.id, 10_000);
    await lecturer.client.call('floor:grant', { entryId: entry.id });
    expect(await heard).toMatchObject({ participantId: 'room-k', source: 'microphone', via: 'rtmp' });
    await expect.poll(() => student.client.events.some((e) => e.event === 'producer:updated'
      && (e.payload as { producerId: string; paused: boolean }).producerId === mic.id && !(e.payload as { paused: boolean }).paused), { timeout: 10_000 }).toBe(true);
    expect(mic.paused).toBe(false);
    const before = await bytesIn(mic.id);
    await expect.poll(() => bytesIn(mic.id), { timeout: 10_000 }).toBeGreaterThan(before + 4_000);

    await lecturer.client.call('floor:revoke', { participantId: 'room-k' });
    await student.client.next('producer:removed', (r) => r.producerId === mic.id, 10_000);
    await expect.poll(() => mic.paused, { timeout: 5_000 }).toBe(true);
    // The hardware stays: the camera on the wall, the microphone paused, not closed.
    expect(mic.closed).toBe(false);
    expect([...seen.producers.values()].some((p) => p.kind === 'video' && String(p.appData['peerId']) === 'room-k~hw' && !p.closed)).toBe(true);
  });

  it('disconnecting revokes the key and gives the projector PC its camera back', async () => {
    const port = Number(new URL(source.ingestUrl!).port);
    const told = room.client.next('source:updated', (s) => s.kind === null, 10_000);
    const gone = lecturer.client.next('producer:removed', () => true, 10_000);
    const list = await lecturer.client.call('source:close', { classroomId: 'kashgar-1' });
    expect(list).toEqual([]);
    await Promise.all([told, gone]);
    await expect.poll(() => canConnect(port), { timeout: 5_000 }).toBe(false);
    expect(await room.publish('camera')).toBeDefined();
  });
});

describe('classroom hardware (WHIP)', () => {
  let whip: ClassroomSource;

  async function post(offer: string, key: string | undefined, type = 'application/sdp'): Promise<Response> {
    return fetch(`${n.url}${whip.ingestUrl}`, {
      method: 'POST', body: offer, headers: { 'Content-Type': type, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    });
  }

  it('gives the lecturer an endpoint and key; a publish with the key reaches the wall, a wrong key or a bad offer is refused', async () => {
    whip = await lecturer.client.call('source:open', { classroomId: 'kashgar-1', kind: 'whip' });
    expect(whip).toMatchObject({ kind: 'whip', ingestUrl: `/whip/${lectureId}/kashgar-1`, health: { state: 'waiting' } });
    expect(whip.key!.length).toBeGreaterThanOrEqual(32);

    const client = await whipTestClient({ video: 'vp8', audio: true });
    whipClients.push(client);
    expect((await post(client.offerSdp, undefined)).status).toBe(401);
    expect((await post(client.offerSdp, 'x'.repeat(whip.key!.length))).status).toBe(401);
    const garbage = await post('v=0\r\nnot an offer', whip.key!);
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await post(client.offerSdp, whip.key!, 'text/plain')).status).toBe(400);
    expect((await fetch(`${n.url}/whip/no-such-lecture/kashgar-1`, { method: 'POST', body: client.offerSdp, headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${whip.key!}` } })).status).toBe(404);

    const camera = lecturer.client.next('producer:added', (p) => p.participantId === 'room-k' && p.source === 'camera' && p.via === 'whip', 10_000);
    const res = await post(client.offerSdp, whip.key!);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/sdp/);
    const location = res.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/whip/${lectureId}/kashgar-1/[\\w-]+$`));
    await client.accept(await res.text());
    await client.startMedia();
    const info = await camera;
    await lecturer.client.next('producer:updated', (u) => u.producerId === info.id && !u.paused, 20_000);
    await expect.poll(() => bytesIn(info.id), { timeout: 10_000 }).toBeGreaterThan(10_000);
    expect((await fetch(`${n.url}${location}`, { method: 'PATCH', headers: { Authorization: `Bearer ${whip.key!}` } })).status).toBe(405);

    // DELETE ends the publish; the key stays for the encoder's next one, a stale DELETE is refused.
    const gone = lecturer.client.next('producer:removed', (r) => r.producerId === info.id, 10_000);
    expect((await fetch(`${n.url}${location}`, { method: 'DELETE', headers: { Authorization: `Bearer ${whip.key!}` } })).status).toBe(200);
    await gone;
    expect((await fetch(`${n.url}${location}`, { method: 'DELETE', headers: { Authorization: `Bearer ${whip.key!}` } })).status).toBe(404);
    expect(lecturer.client.events.some((e) => e.event === 'sources:updated')).toBe(true);
  });

  it('opens a WHIP encoder\'s microphone while the classroom holds the floor', async () => {
    const client = await whipTestClient({ video: 'vp8', audio: true });
    whipClients.push(client);
    const res = await post(client.offerSdp, whip.key!);
    expect(res.status).toBe(201);
    await client.accept(await res.text());
    await client.startMedia();
    const hands = await assistant.client.call('hand:raise', {});
    const heard = student.client.next('producer:added', (p) => p.source === 'microphone' && p.via === 'whip', 10_000);
    await lecturer.client.call('floor:grant', { entryId: hands.entries.find((e) => e.classroomId === 'kashgar-1')!.id });
    const audio = await heard;
    // Announced paused, then opened: the update may already be in by now.
    await expect.poll(() => student.client.events.some((e) => e.event === 'producer:updated'
      && (e.payload as { producerId: string; paused: boolean }).producerId === audio.id && !(e.payload as { paused: boolean }).paused), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => bytesIn(audio.id), { timeout: 10_000 }).toBeGreaterThan(4_000);
    await lecturer.client.call('floor:revoke', { participantId: 'room-k' });
    await expect.poll(() => seen.producers.get(audio.id)!.paused, { timeout: 5_000 }).toBe(true);
    await lecturer.client.call('source:close', { classroomId: 'kashgar-1' });
    expect((await post(client.offerSdp, whip.key!)).status).toBe(404);
  });
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
