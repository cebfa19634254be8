import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sfuConfig } from './config.ts';
import { FakeClient } from '../test-support/fakeClient.ts';
import { MediasoupNode } from './MediasoupNode.ts';
import { expectAppError, nextEvent, observeMediasoup, recordEvents } from '../test-support/testSupport.ts';

const seen = observeMediasoup();
let node: MediasoupNode;

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 2, rtcPort: 0 }));
});
afterAll(async () => {
  await node.close();
});

/** A lecture with a lecturer A sending camera + microphone and a student B with a receive transport. */
async function lectureWithSender(): Promise<{ lectureId: string; a: FakeClient; b: FakeClient; camId: string; micId: string }> {
  const lectureId = randomUUID();
  const a = await FakeClient.join(node, lectureId, 'A');
  const b = await FakeClient.join(node, lectureId, 'B');
  await a.openSendTransport();
  const cam = await a.produce('camera');
  const mic = await a.produce('microphone');
  await b.openRecvTransport();
  return { lectureId, a, b, camId: cam.id, micId: mic.id };
}

describe('MediasoupNode', () => {
  it('is healthy with all its workers', () => {
    const health = node.health();
    expect(health.ready).toBe(true);
    expect(health.workers).toHaveLength(2);
    expect(health.workers.every((w) => w.alive && w.pid > 0)).toBe(true);
  });

  it('speaks Opus and VP8, with one router per lecture even for concurrent first calls', async () => {
    const lectureId = randomUUID();
    const caps = await Promise.all([1, 2, 3].map(() => node.getRouterRtpCapabilities(lectureId)));
    const mimeTypes = (caps[0] as { codecs: { mimeType: string }[] }).codecs.map((c) => c.mimeType);
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
    expect((await node.lectureStats(lectureId)).routers).toBe(1);
  });

  it('consumes another peer\'s producer paused, resumes it and changes layers', async () => {
    const { lectureId, b, camId, micId } = await lectureWithSender();
    const options = await node.consume({ lectureId, peerId: 'B', producerId: camId });
    expect(options).toMatchObject({ producerId: camId, kind: 'video', participantId: 'A', source: 'camera', producerPaused: false });
    const consumer = seen.consumers.get(options.id)!;
    expect(consumer.paused).toBe(true);
    expect(consumer.type).toBe('simulcast');
    expect(consumer.preferredLayers?.spatialLayer).toBe(2);

    await node.setConsumerPaused(lectureId, 'B', options.id, false);
    expect(consumer.paused).toBe(false);
    await node.setPreferredLayers(lectureId, 'B', options.id, 0);
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);
    await node.setConsumerPaused(lectureId, 'B', options.id, true);
    expect(consumer.paused).toBe(true);

    // The answer is what a real client needs: mediasoup-client accepts it.
    const audio = await b.consume(micId);
    expect(audio.kind).toBe('audio');
    expect(await node.lectureStats(lectureId)).toMatchObject({ routers: 1, transports: 2, producers: 2, consumers: 2 });
  });

  it('reports a paused producer to new consumers', async () => {
    const { lectureId, micId } = await lectureWithSender();
    await node.setProducerPaused(lectureId, micId, true);
    expect((await node.consume({ lectureId, peerId: 'B', producerId: micId })).producerPaused).toBe(true);
    await node.setProducerPaused(lectureId, micId, false);
    expect(seen.producers.get(micId)?.paused).toBe(false);
  });

  it('closes consumers with their producer and says so', async () => {
    const { lectureId, camId } = await lectureWithSender();
    const { id } = await node.consume({ lectureId, peerId: 'B', producerId: camId });
    const closed = nextEvent(node, 'consumerClosed', (e) => e.consumerId === id);
    await node.closeProducer(lectureId, camId);
    expect(await closed).toEqual({ lectureId, peerId: 'B', consumerId: id, producerId: camId });
    expect((await node.lectureStats(lectureId)).consumers).toBe(0);
    await expectAppError(node.closeProducer(lectureId, camId), 'NOT_FOUND');
    await expectAppError(node.setConsumerPaused(lectureId, 'B', id, false), 'NOT_FOUND');
  });

  it('checks who owns every id', async () => {
    const { lectureId, a, b, camId } = await lectureWithSender();
    const aSend = a.sendTransport!.id;
    const bRecv = b.recvTransport!.id;
    const { id: consumerId } = await node.consume({ lectureId, peerId: 'B', producerId: camId });

    await expectAppError(node.connectTransport(lectureId, 'B', aSend, {}), 'FORBIDDEN');
    await expectAppError(node.restartIce(lectureId, 'B', aSend), 'FORBIDDEN');
    await expectAppError(
      node.produce({ lectureId, peerId: 'B', transportId: aSend, kind: 'audio', source: 'microphone', rtpParameters: {} }),
      'FORBIDDEN',
    );
    await expectAppError(node.setConsumerPaused(lectureId, 'A', consumerId, false), 'FORBIDDEN');
    await expectAppError(node.setPreferredLayers(lectureId, 'A', consumerId, 0), 'FORBIDDEN');
    await expectAppError(node.closeConsumer(lectureId, 'A', consumerId), 'FORBIDDEN');
    await expectAppError(node.connectTransport(lectureId, 'B', 'no-such-transport', {}), 'NOT_FOUND');
    await expectAppError(node.consume({ lectureId, peerId: 'B', producerId: 'no-such-producer' }), 'NOT_FOUND');
    await expectAppError(node.connectTransport(randomUUID(), 'B', bRecv, {}), 'NOT_FOUND');

    // The owner still can; restartIce hands back fresh ICE parameters.
    expect(await node.restartIce(lectureId, 'B', bRecv)).toHaveProperty('usernameFragment');
    await node.closeConsumer(lectureId, 'B', consumerId);
    expect(seen.consumers.get(consumerId)?.closed).toBe(true);
  });

  it('refuses bad requests with AppErrors and keeps working', async () => {
    const { lectureId, a, b, camId } = await lectureWithSender();
    const transportId = a.sendTransport!.id;
    const produce = (rtpParameters: unknown, kind: 'audio' | 'video' = 'audio') =>
      node.produce({ lectureId, peerId: 'A', transportId, kind, source: kind === 'audio' ? 'microphone' : 'camera', rtpParameters });

    await expectAppError(produce(null), 'BAD_REQUEST');
    await expectAppError(produce({ codecs: 'nope' }), 'BAD_REQUEST');
    await expectAppError(produce({ codecs: [], encodings: [{ ssrc: 1 }] }), 'BAD_REQUEST', 'MEDIA_ERROR');
    await expectAppError(
      produce({ codecs: [{ mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 }], encodings: [{ ssrc: 1111 }] }),
      'BAD_REQUEST', 'MEDIA_ERROR',
    );
    await expectAppError(
      node.produce({ lectureId, peerId: 'A', transportId, kind: 'audio', source: 'camera', rtpParameters: {} }),
      'BAD_REQUEST',
    );
    await expectAppError(
      node.produce({ lectureId, peerId: 'B', transportId: b.recvTransport!.id, kind: 'audio', source: 'microphone', rtpParameters: {} }),
      'BAD_REQUEST',
    );
    await expectAppError(node.connectTransport(lectureId, 'B', b.recvTransport!.id, { fingerprints: 'x' }), 'BAD_REQUEST', 'MEDIA_ERROR');
    await expectAppError(node.setPeerCapabilities(lectureId, 'B', 'not capabilities'), 'BAD_REQUEST');
    const { id } = await node.consume({ lectureId, peerId: 'B', producerId: camId });
    await expectAppError(node.setPreferredLayers(lectureId, 'B', id, -1), 'BAD_REQUEST');
    await expectAppError(node.setPreferredLayers(lectureId, 'B', id, 1.5), 'BAD_REQUEST');

    // Still working, for the same peers and for new ones.
    expect((await a.produce('screen')).id).toBeTruthy();
    const c = await FakeClient.join(node, lectureId, 'C');
    await c.openRecvTransport();
    expect((await c.consume(camId)).producerId).toBe(camId);
  });

  it('needs capabilities and a receive transport before consuming, and capabilities that fit', async () => {
    const { lectureId, camId, micId } = await lectureWithSender();
    await expectAppError(node.consume({ lectureId, peerId: 'D', producerId: camId }), 'BAD_REQUEST');
    const d = await FakeClient.join(node, lectureId, 'D');
    await expectAppError(node.consume({ lectureId, peerId: 'D', producerId: camId }), 'BAD_REQUEST');
    await d.openRecvTransport();
    const audioOnly = { codecs: d.device.rtpCapabilities.codecs!.filter((c) => c.kind === 'audio'), headerExtensions: [] };
    await node.setPeerCapabilities(lectureId, 'D', audioOnly);
    await expectAppError(node.consume({ lectureId, peerId: 'D', producerId: camId }), 'BAD_REQUEST');
    expect((await node.consume({ lectureId, peerId: 'D', producerId: micId })).kind).toBe('audio');
  });

  it('closes everything of a leaving peer, twice without harm', async () => {
    const { lectureId, a, camId, micId } = await lectureWithSender();
    const events = recordEvents(node);
    const { id: consumerId } = await node.consume({ lectureId, peerId: 'B', producerId: camId });
    const consumerGone = nextEvent(node, 'consumerClosed', (e) => e.consumerId === consumerId);

    await node.closePeer(lectureId, 'A');
    await node.closePeer(lectureId, 'A');
    await consumerGone;
    expect(events.producerClosed.map((e) => e.producerId).sort()).toEqual([camId, micId].sort());
    expect(await node.lectureStats(lectureId)).toMatchObject({ transports: 1, producers: 0, consumers: 0 });
    await expectAppError(node.connectTransport(lectureId, 'A', a.sendTransport!.id, {}), 'NOT_FOUND');
    await node.closePeer(randomUUID(), 'nobody');

    // The same participant can come back.
    const again = await FakeClient.join(node, lectureId, 'A');
    await again.openSendTransport();
    expect((await again.produce('microphone')).id).toBeTruthy();
  });

  it('closes a lecture, twice without harm, and starts it afresh on demand', async () => {
    const { lectureId, a, camId } = await lectureWithSender();
    const events = recordEvents(node);
    await node.closeLecture(lectureId);
    await node.closeLecture(lectureId);
    expect(seen.producers.get(camId)?.closed).toBe(true);
    expect(await node.lectureStats(lectureId)).toMatchObject({ routers: 0, transports: 0, producers: 0 });
    await expectAppError(node.connectTransport(lectureId, 'A', a.sendTransport!.id, {}), 'NOT_FOUND');
    await expectAppError(node.closeProducer(lectureId, camId), 'NOT_FOUND');
    expect(events.producerClosed).toEqual([]);

    await node.getRouterRtpCapabilities(lectureId);
    expect((await node.lectureStats(lectureId)).routers).toBe(1);
  });

  it('reports worker resource usage in lecture stats', async () => {
    const { lectureId } = await lectureWithSender();
    const stats = await node.lectureStats(lectureId);
    expect(stats.workers).toHaveLength(1);
    expect(stats.workers[0]).toMatchObject({ pid: expect.any(Number), cpuUserMs: expect.any(Number), maxRssKb: expect.any(Number) });
    expect(stats.workers[0]!.maxRssKb).toBeGreaterThan(0);
  });
});
