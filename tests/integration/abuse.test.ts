/**
 * Limits and permissions under concurrency: every request of a burst arrives before the first one
 * is answered, so a limit checked before an await and recorded after it would let them all pass.
 * Real Socket.IO, real mediasoup worker.
 */
import type { types } from 'mediasoup-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaSource } from '@tongtang/shared';
import { observeMediasoup } from '../../sfu-server/test-support/testSupport.ts';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const seen = observeMediasoup();
let node: TestNode;
const peers: FakePeer[] = [];
const lectureId = 'lec-abuse';

async function peer(opts: Parameters<TestNode['token']>[0], receive = true): Promise<FakePeer> {
  const p = await FakePeer.join(node.url, node.token({ lectureId, ...opts }), { receive });
  peers.push(p);
  return p;
}

/** A variant of real RTP parameters with its own mid and SSRCs, so the worker would accept each copy. */
function variant(params: types.RtpParameters, i: number): types.RtpParameters {
  return {
    ...params,
    mid: `x${i}`,
    encodings: params.encodings?.map((e, k) => ({ ...e, ssrc: 100_000 + i * 10 + k, ...(e.rtx ? { rtx: { ssrc: 200_000 + i * 10 + k } } : {}) })),
  };
}

/** Real parameters for a source from a first publish, which is then closed again. */
async function paramsOf(p: FakePeer, source: MediaSource): Promise<types.RtpParameters> {
  const producer = await p.publish(source);
  const params = structuredClone(producer.rtpParameters);
  await p.client.call('media:closeProducer', { producerId: producer.id });
  producer.close();
  return params;
}

function burstProduce(p: FakePeer, source: MediaSource, params: types.RtpParameters, n: number) {
  const kind = source === 'microphone' ? 'audio' : 'video';
  return Promise.all(Array.from({ length: n }, (_, i) =>
    p.client.request('media:produce', { transportId: p.sendTransportId!, kind, source, rtpParameters: variant(params, i) as never })));
}

/** The worker's producer while it lives. */
function mediaProducer(producerId: string) {
  const producer = seen.producers.get(producerId);
  return producer && !producer.closed ? producer : undefined;
}

let lecturer: FakePeer;

beforeAll(async () => {
  node = await startTestNode({ maxSpeakers: 2, requestsPerSecond: 1000 });
  lecturer = await peer({ role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
  await lecturer.publish('camera', { simulcast: true });
  await lecturer.client.call('lecture:start', {});
});
afterAll(async () => {
  for (const p of peers) p.close();
  await node?.close();
});

describe('per-participant media limits hold under a burst', () => {
  it('gives one receiver one copy of a producer, however many consume requests it sends at once', async () => {
    const student = await peer({ role: 'student', name: 'Greedy', subject: 'greedy' }, false);
    await student.client.call('media:setCapabilities', { rtpCapabilities: { codecs: [
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    ] } as never });
    await student.client.call('media:createTransport', { direction: 'recv' });
    const camera = student.joined.producers.find((p) => p.source === 'camera');
    expect(camera).toBeDefined();
    const results = await Promise.all(Array.from({ length: 40 }, () => student.client.request('media:consume', { producerId: camera!.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
    const stats = await lecturer.client.call('stats:get', {});
    expect(stats.consumers).toBe(1);
  });

  it('caps transports at four however many are asked for at once', async () => {
    const student = await peer({ role: 'student', name: 'Hoarder', subject: 'hoarder' }, false);
    const results = await Promise.all(Array.from({ length: 30 }, () => student.client.request('media:createTransport', { direction: 'recv' })));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'LIMIT_EXCEEDED')).toBe(true);
  });

  it('lets a classroom put one camera on the wall, not twenty', async () => {
    const room = await peer({ role: 'classroom', name: 'Kashgar 101', subject: 'room-burst', classroomId: 'kashgar' });
    const params = await paramsOf(room, 'camera');
    const results = await burstProduce(room, 'camera', params, 20);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
    expect(node.server.lectures.get(lectureId)!.producersOf('room-burst')).toHaveLength(1);
  });

  it('lets a speaker publish one microphone, not twenty', async () => {
    const student = await peer({ role: 'student', name: 'Loud', subject: 'loud' });
    await lecturer.client.call('floor:grant', { participantId: 'loud' });
    const params = await paramsOf(student, 'microphone');
    const results = await burstProduce(student, 'microphone', params, 20);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(node.server.lectures.get(lectureId)!.producersOf('loud')).toHaveLength(1);
    await lecturer.client.call('floor:revoke', { participantId: 'loud' });
  });
});

describe("the lecturer's mute and stop-camera hold", () => {
  it("cannot be undone by the speaker, and the speaker's microphone stays paused", async () => {
    const student = await peer({ role: 'student', name: 'Sneaky', subject: 'sneaky' });
    await lecturer.client.call('floor:grant', { participantId: 'sneaky' });
    const mic = await student.publish('microphone');
    await lecturer.client.call('floor:mute', { participantId: 'sneaky', muted: true });
    const undo = await student.client.request('floor:mute', { participantId: 'sneaky', muted: false });
    expect(undo).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await student.client.request('media:resumeProducer', { producerId: mic.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(mediaProducer(mic.id)?.paused).toBe(true);
    // The lecturer lifts it; then the speaker's own mute is the speaker's to lift.
    await lecturer.client.call('floor:mute', { participantId: 'sneaky', muted: false });
    await student.client.call('floor:mute', { participantId: 'sneaky', muted: true });
    expect(await student.client.request('floor:mute', { participantId: 'sneaky', muted: false })).toMatchObject({ ok: true });
    await expect.poll(() => mediaProducer(mic.id)?.paused).toBe(false);
    await lecturer.client.call('floor:revoke', { participantId: 'sneaky' });
  });

  it('is not missed by a microphone being published at the same moment', async () => {
    const student = await peer({ role: 'student', name: 'Racer', subject: 'racer' });
    await lecturer.client.call('floor:grant', { participantId: 'racer' });
    const params = await paramsOf(student, 'microphone');
    await lecturer.client.call('floor:revoke', { participantId: 'racer' });
    for (let round = 0; round < 15; round++) {
      await lecturer.client.call('floor:grant', { participantId: 'racer' });
      const [produced] = await Promise.all([
        student.client.request('media:produce', { transportId: student.sendTransportId!, kind: 'audio', source: 'microphone', rtpParameters: variant(params, round) as never }),
        lecturer.client.call('floor:mute', { participantId: 'racer', muted: true }),
      ]);
      expect(produced.ok).toBe(true);
      if (!produced.ok) return;
      const room = node.server.lectures.get(lectureId)!;
      expect(room.classState.speakers.find((s) => s.participantId === 'racer')?.micMuted).toBe(true);
      // Everyone is told it is paused, and the worker forwards nothing.
      await expect.poll(() => room.producer(produced.data.producerId)?.info.paused).toBe(true);
      expect(mediaProducer(produced.data.producerId)?.paused).toBe(true);
      await lecturer.client.call('floor:revoke', { participantId: 'racer' });
      await expect.poll(() => mediaProducer(produced.data.producerId)).toBeUndefined();
    }
  });

  it('keeps a stopped camera stopped until the next grant', async () => {
    const student = await peer({ role: 'student', name: 'Camera', subject: 'camera' });
    await lecturer.client.call('floor:grant', { participantId: 'camera' });
    const params = await paramsOf(student, 'camera');
    await student.publish('camera');
    await lecturer.client.call('floor:stopCamera', { participantId: 'camera' });
    const again = await burstProduce(student, 'camera', params, 5);
    expect(again.every((r) => !r.ok && r.error.code === 'FORBIDDEN')).toBe(true);
    expect(node.server.lectures.get(lectureId)!.producersOf('camera').filter((p) => p.source === 'camera')).toHaveLength(0);
    await lecturer.client.call('floor:revoke', { participantId: 'camera' });
    await lecturer.client.call('floor:grant', { participantId: 'camera' });
    expect((await burstProduce(student, 'camera', params, 1))[0]).toMatchObject({ ok: true });
    await lecturer.client.call('floor:revoke', { participantId: 'camera' });
  });

  it('refuses a microphone whose floor was taken back while the worker was producing it', async () => {
    const student = await peer({ role: 'student', name: 'Late', subject: 'late' });
    await lecturer.client.call('floor:grant', { participantId: 'late' });
    const params = await paramsOf(student, 'microphone');
    let refused = 0;
    for (let round = 0; round < 5; round++) {
      await lecturer.client.call('floor:grant', { participantId: 'late' }).catch(() => undefined);
      const [produced] = await Promise.all([
        student.client.request('media:produce', { transportId: student.sendTransportId!, kind: 'audio', source: 'microphone', rtpParameters: variant(params, 50 + round) as never }),
        lecturer.client.call('floor:revoke', { participantId: 'late' }),
      ]);
      if (!produced.ok) refused++;
      // Whatever the interleaving, no microphone outlives the floor.
      await expect.poll(() => node.server.lectures.get(lectureId)!.producersOf('late')).toEqual([]);
    }
    expect(refused).toBeGreaterThan(0);
  });
});
