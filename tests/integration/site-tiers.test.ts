/**
 * Quality ceilings against a real node (real mediasoup consumers, real Socket.IO): a projector
 * room takes the top layer and a student the middle one by default; the lecturer or IT caps one
 * classroom at run time and its receivers follow at once; a client asking for more than its
 * ceiling gets the ceiling, and what it asked for comes back when the ceiling rises. Only the
 * lecturer and IT may set it; a burst of changes ends where the last one left it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIER_TOP_LAYER, type SiteTiers, type Tier } from '@tongtang/shared';
import { observeMediasoup } from '../../sfu-server/test-support/testSupport.ts';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const seen = observeMediasoup();
const lectureId = 'tiers';
let n: TestNode;
const peers: FakePeer[] = [];
let lecturer: FakePeer;
let room: FakePeer;
let assistant: FakePeer;
let student: FakePeer;

async function join(opts: Parameters<TestNode['token']>[0]): Promise<FakePeer> {
  const peer = await FakePeer.join(n.url, n.token({ lectureId, ...opts }));
  peers.push(peer);
  return peer;
}

/** The server-side consumer of the lecturer's camera for `peer`, and the layer it is set to. */
async function cameraLayer(peer: FakePeer): Promise<number | undefined> {
  const local = await peer.waitForConsumer((c) => c.appData['participantId'] === 'prof' && c.appData['source'] === 'camera');
  return seen.consumers.get(local.id)?.preferredLayers?.spatialLayer;
}

beforeAll(async () => {
  n = await startTestNode({ tierDefaults: { lecturer: 'high', classroom: 'high', assistant: 'medium', student: 'medium', observer: 'low' } });
  lecturer = await join({ role: 'lecturer', name: 'Prof', subject: 'prof' });
  await lecturer.client.call('lecture:start', {});
  await lecturer.publish('camera', { simulcast: true });
  room = await join({ role: 'classroom', name: 'Kashgar room', subject: 'room-k', classroomId: 'kashgar-1' });
  assistant = await join({ role: 'assistant', name: 'Ms Ayi', subject: 'ayi', classroomId: 'kashgar-1' });
  student = await join({ role: 'student', name: 'Li Hua', subject: 'li' });
}, 60_000);
afterAll(async () => {
  for (const p of peers) p.close();
  await n?.close();
});

describe('quality ceilings', () => {
  it('gives a projector room the top layer and a student the middle one by default, whatever they ask for', async () => {
    expect(await cameraLayer(room)).toBe(2);
    expect(await cameraLayer(student)).toBe(1);
    const local = await student.waitForConsumer((c) => c.appData['source'] === 'camera');
    await student.client.call('media:setPreferredLayers', { consumerId: local.id, spatialLayer: 2 });
    expect(await cameraLayer(student)).toBe(1);
    expect(lecturer.joined.tiers).toEqual({ defaults: expect.objectContaining({ classroom: 'high', student: 'medium' }), classrooms: {} });
    expect(student.joined.tiers).toBeNull();
  });

  it('caps one classroom at run time, its assistant\'s screen too, and gives back what it asked for on auto', async () => {
    const told = lecturer.client.next('tiers:updated', (t) => t.classrooms['kashgar-1'] === 'low');
    const tiers = await lecturer.client.call('site:setTier', { classroomId: 'kashgar-1', tier: 'low' });
    expect(tiers.classrooms).toEqual({ 'kashgar-1': 'low' });
    await told;
    await expect.poll(() => cameraLayer(room)).toBe(0);
    await expect.poll(() => cameraLayer(assistant)).toBe(0);
    expect(await cameraLayer(student)).toBe(1);
    // The projector's client asks for the middle layer (its tile shrank): capped while low...
    const local = await room.waitForConsumer((c) => c.appData['source'] === 'camera');
    await room.client.call('media:setPreferredLayers', { consumerId: local.id, spatialLayer: 1 });
    expect(await cameraLayer(room)).toBe(0);
    // ...and given once the classroom goes back to its role's ceiling.
    await lecturer.client.call('site:setTier', { classroomId: 'kashgar-1', tier: 'auto' });
    await expect.poll(() => cameraLayer(room)).toBe(1);
    expect(room.client.events.some((e) => e.event === 'tiers:updated')).toBe(false);
  });

  it('lets only the lecturer and IT set it, for a classroom of this lecture', async () => {
    const denied = await student.client.request('site:setTier', { classroomId: 'kashgar-1', tier: 'high' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await assistant.client.request('site:setTier', { classroomId: 'kashgar-1', tier: 'high' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await lecturer.client.request('site:setTier', { classroomId: 'nowhere', tier: 'low' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await lecturer.client.raw('site:setTier', { classroomId: 'kashgar-1', tier: 'ultra' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const observer = await join({ role: 'observer', name: 'IT', subject: 'it' });
    expect(await observer.client.call('site:setTier', { classroomId: 'kashgar-1', tier: 'medium' })).toMatchObject({ classrooms: { 'kashgar-1': 'medium' } });
    await expect.poll(() => cameraLayer(room)).toBe(1);
  });

  it('ends a burst of changes from two people where the last one left it, consumers included', async () => {
    const observer = peers.find((p) => p.joined.self.role === 'observer')!;
    const order: Tier[] = ['low', 'high', 'medium', 'low', 'high', 'low', 'medium', 'high', 'low', 'low'];
    const answers = await Promise.all(order.map((tier, i) => (i % 2 ? observer : lecturer).client.call('site:setTier', { classroomId: 'kashgar-1', tier })));
    const final = (await lecturer.client.call('site:setTier', { classroomId: 'kashgar-1', tier: 'low' })).classrooms['kashgar-1']!;
    expect(answers.every((a: SiteTiers) => a.classrooms['kashgar-1'] !== undefined)).toBe(true);
    expect(final).toBe('low');
    // The room asked for layer 1 earlier: it gets min(1, its ceiling).
    await expect.poll(() => cameraLayer(room)).toBe(Math.min(1, TIER_TOP_LAYER[final]));
    const late = await join({ role: 'observer', name: 'IT 2', subject: 'it2' });
    expect(late.joined.tiers!.classrooms).toEqual({ 'kashgar-1': 'low' });
    // A receiver that joins the classroom now starts at its ceiling.
    const second = await join({ role: 'assistant', name: 'Mr Tursun', subject: 'tursun', classroomId: 'kashgar-1' });
    expect(await cameraLayer(second)).toBe(0);
  });
});
