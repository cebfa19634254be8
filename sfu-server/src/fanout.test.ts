import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sfuConfig } from './config.ts';
import { FakeClient } from '../test-support/fakeClient.ts';
import { MediasoupNode } from './MediasoupNode.ts';
import { nextEvent, observeMediasoup } from '../test-support/testSupport.ts';

const seen = observeMediasoup();
let node: MediasoupNode;

beforeAll(async () => {
  // A budget of one consumer per router makes the second viewer spill over to the other worker.
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 2, rtcPort: 0, maxConsumersPerRouter: 1 }));
});
afterAll(async () => {
  await node.close();
});

describe('fan-out over several routers', () => {
  it('puts receivers beyond the budget on a router on another worker and pipes producers there', async () => {
    const lectureId = randomUUID();
    const lecturer = await FakeClient.join(node, lectureId, 'lecturer');
    await lecturer.openSendTransport();
    const cam = await lecturer.produce('camera');
    const originPid = seen.transportWorkerPid.get(lecturer.sendTransport!.id);

    const first = await FakeClient.join(node, lectureId, 'first');
    await first.openRecvTransport();
    await first.consume(cam.id);
    expect(seen.transportWorkerPid.get(first.recvTransport!.id)).toBe(originPid);
    expect((await node.lectureStats(lectureId)).routers).toBe(1);

    const second = await FakeClient.join(node, lectureId, 'second');
    await second.openRecvTransport();
    expect((await node.lectureStats(lectureId)).routers).toBe(2);
    expect(seen.transportWorkerPid.get(second.recvTransport!.id)).not.toBe(originPid);

    // Two consumes of the same producer at once share one pipe.
    const [piped, again] = await Promise.all([second.consume(cam.id), second.consume(cam.id)]);
    expect(piped.producerId).toBe(cam.id);
    expect(again.producerId).toBe(cam.id);
    const consumer = seen.consumers.get(piped.id)!;
    expect(consumer.paused).toBe(true);
    await node.setConsumerPaused(lectureId, 'second', piped.id, false);
    expect(consumer.paused).toBe(false);

    // Every worker already carries the lecture: a third viewer joins an existing router.
    const third = await FakeClient.join(node, lectureId, 'third');
    await third.openRecvTransport();
    await third.consume(cam.id);
    expect(await node.lectureStats(lectureId)).toMatchObject({ routers: 2, producers: 1, consumers: 4 });

    // Closing the original closes the piped consumers too.
    const closed = nextEvent(node, 'consumerClosed', (e) => e.consumerId === piped.id);
    await node.closeProducer(lectureId, cam.id);
    expect(await closed).toMatchObject({ peerId: 'second', producerId: cam.id });
  });

  it('pipes a producer again after it was closed and a new one appeared', async () => {
    const lectureId = randomUUID();
    const lecturer = await FakeClient.join(node, lectureId, 'lecturer');
    await lecturer.openSendTransport();
    const viewers = await Promise.all(['v1', 'v2'].map((id) => FakeClient.join(node, lectureId, id)));
    for (const v of viewers) await v.openRecvTransport();
    expect((await node.lectureStats(lectureId)).routers).toBe(2);

    for (let round = 0; round < 2; round++) {
      const mic = await lecturer.produce('microphone');
      const options = await Promise.all(viewers.map((v) => node.consume({ lectureId, peerId: v.peerId, producerId: mic.id })));
      expect(options.map((o) => o.participantId)).toEqual(['lecturer', 'lecturer']);
      await node.closeProducer(lectureId, mic.id);
    }
  });
});
