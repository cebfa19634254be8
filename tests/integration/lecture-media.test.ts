/** The lecture program over real Socket.IO and real mediasoup workers, with media-less clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
const peers: FakePeer[] = [];
const lectureId = 'lec-media';

async function peer(opts: Parameters<TestNode['token']>[0]): Promise<FakePeer> {
  const p = await FakePeer.join(node.url, node.token({ lectureId, ...opts }));
  peers.push(p);
  return p;
}
const bySource = (participantId: string, source: string) => (c: { appData: Record<string, unknown> }) =>
  c.appData.participantId === participantId && c.appData.source === source;

let lecturer: FakePeer;
let roomA: FakePeer;
let roomB: FakePeer;
let student: FakePeer;

beforeAll(async () => {
  node = await startTestNode();
  lecturer = await peer({ role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
  await lecturer.publish('camera', { simulcast: true });
  await lecturer.publish('microphone');
  roomA = await peer({ role: 'classroom', name: 'Kashgar 101', subject: 'room-a', classroomId: 'kashgar' });
  roomB = await peer({ role: 'classroom', name: 'Lhasa 3', subject: 'room-b', classroomId: 'lhasa' });
  student = await peer({ role: 'student', name: 'Li Hua', subject: 'stu-1' });
});
afterAll(async () => {
  for (const p of peers) p.close();
  await node?.close();
});

describe('the lecture program', () => {
  it('reaches nobody before the lecturer goes live', () => {
    expect(student.joined.producers).toEqual([]);
    expect(student.consumers.size).toBe(0);
  });

  it('reaches every classroom and student once live, with consumers resumed', async () => {
    await lecturer.client.call('lecture:start', {});
    for (const p of [roomA, roomB, student]) {
      await p.waitForConsumer(bySource('lecturer', 'camera'));
      await p.waitForConsumer(bySource('lecturer', 'microphone'));
    }
    const stats = await lecturer.client.call('stats:get', {});
    expect(stats.consumers).toBeGreaterThanOrEqual(6);
    expect(stats.producers).toBeGreaterThanOrEqual(2);
  });

  it('counts the lecture on /metrics for Prometheus, and answers /healthz and /readyz', async () => {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('tongtang_lectures')).toBeGreaterThanOrEqual(1);
    expect(value('tongtang_participants')).toBeGreaterThanOrEqual(4);
    expect(value('tongtang_sfu_consumers')).toBeGreaterThanOrEqual(6);
    expect(value('tongtang_sfu_producers')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^tongtang_sfu_worker_cpu_seconds\{.*mode="user"\} \d/m);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });

  it('hands a late joiner the current program in its join answer', async () => {
    const late = await peer({ role: 'student', name: 'Late', subject: 'stu-late' });
    expect(late.joined.producers.map((p) => p.source).sort()).toEqual(['camera', 'microphone']);
    await late.waitForConsumer(bySource('lecturer', 'camera'));
  });

  it('puts partner classroom cameras on the lecturer wall only', async () => {
    await roomA.publish('camera');
    await roomB.publish('camera');
    await lecturer.waitForConsumer(bySource('room-a', 'camera'));
    await lecturer.waitForConsumer(bySource('room-b', 'camera'));
    await new Promise((r) => setTimeout(r, 200));
    expect([...student.consumers.values()].some(bySource('room-a', 'camera'))).toBe(false);
    expect([...roomB.consumers.values()].some(bySource('room-a', 'camera'))).toBe(false);
    const producerId = roomA.producers.get('camera')!.id;
    expect(await student.client.request('media:consume', { producerId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('adds a screen share everywhere when the lecturer starts one, and removes it when stopped', async () => {
    const screen = await lecturer.publish('screen');
    await student.waitForConsumer(bySource('lecturer', 'screen'));
    await roomA.waitForConsumer(bySource('lecturer', 'screen'));
    const removed = student.client.next('producer:removed', (p) => p.producerId === screen.id);
    await lecturer.client.call('media:closeProducer', { producerId: screen.id });
    await removed;
    expect(student.consumers.has(screen.id)).toBe(false);
  });

  it('lets a receiver choose the lowest simulcast layer of its own consumer only', async () => {
    const consumer = await student.waitForConsumer(bySource('lecturer', 'camera'));
    expect(await student.client.request('media:setPreferredLayers', { consumerId: consumer.id, spatialLayer: 0 })).toMatchObject({ ok: true });
    expect(await roomA.client.request('media:setPreferredLayers', { consumerId: consumer.id, spatialLayer: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('what a participant may not do', () => {
  it('refuses a student publishing the program, and a classroom publishing its microphone without the floor', async () => {
    await expect(student.publish('camera')).rejects.toThrow(/FORBIDDEN/);
    await expect(student.publish('microphone')).rejects.toThrow(/FORBIDDEN/);
    await expect(student.publish('screen')).rejects.toThrow(/FORBIDDEN/);
    await expect(roomA.publish('microphone')).rejects.toThrow(/FORBIDDEN/);
    await expect(roomA.publish('screen')).rejects.toThrow(/FORBIDDEN/);
  });

  it('refuses closing or pausing someone else\'s producer', async () => {
    const producerId = lecturer.producers.get('camera')!.id;
    expect(await student.client.request('media:closeProducer', { producerId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await roomA.client.request('media:pauseProducer', { producerId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a second camera from the same participant and a mismatched kind', async () => {
    await expect(lecturer.publish('camera')).rejects.toThrow(/CONFLICT/);
  });

  it('refuses garbage RTP parameters with a clear error and keeps everyone served', async () => {
    const { id: transportId } = await lecturer.client.call('media:createTransport', { direction: 'send' });
    const garbage = { codecs: [{ mimeType: 'video/nope', clockRate: 1, payloadType: 1 }] };
    const res = await lecturer.client.request('media:produce', { transportId, kind: 'video', source: 'screen', rtpParameters: garbage });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(['BAD_REQUEST', 'MEDIA_ERROR']).toContain(res.error.code);
    const { id: othersTransport } = await student.client.call('media:createTransport', { direction: 'send' });
    const stolen = await lecturer.client.request('media:connectTransport', {
      transportId: othersTransport, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const consumer = await roomB.waitForConsumer(bySource('lecturer', 'camera'));
    expect(consumer.closed).toBe(false);
    const stats = await lecturer.client.call('stats:get', {});
    expect(stats.consumers).toBeGreaterThan(0);
  });
});

describe('stopping and leaving', () => {
  it('removes a stopped source from every receiver', async () => {
    const mic = lecturer.producers.get('microphone')!;
    const gone = Promise.all([roomA, roomB, student].map((p) => p.client.next('producer:removed', (e) => e.producerId === mic.id)));
    await lecturer.client.call('media:closeProducer', { producerId: mic.id });
    await gone;
    for (const p of [roomA, roomB, student]) expect(p.consumers.has(mic.id)).toBe(false);
  });

  it('removes a classroom camera from the wall when the classroom disconnects', async () => {
    const producerId = roomB.producers.get('camera')!.id;
    const gone = lecturer.client.next('producer:removed', (e) => e.producerId === producerId);
    const left = lecturer.client.next('participant:left', (e) => e.participantId === 'room-b');
    roomB.close();
    await Promise.all([gone, left]);
  });

  it('ends the lecture: state broadcast, producers closed, no more publishing', async () => {
    const ended = student.client.next('lecture:updated', (l) => l.state === 'ended');
    await lecturer.client.call('lecture:end', {});
    await ended;
    const stats = await lecturer.client.call('stats:get', {});
    expect(stats.producers).toBe(0);
    expect(await lecturer.client.request('lecture:start', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
