import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportedProducer } from '@tongtang/shared';
import { sfuConfig } from './config.ts';
import { FakeClient } from '../test-support/fakeClient.ts';
import { MediasoupNode } from './MediasoupNode.ts';
import { feedRtp, tapRtp } from '../test-support/plainRtp.ts';
import { expectAppError, nextEvent, observeMediasoup, recordEvents, waitFor } from '../test-support/testSupport.ts';

const seen = observeMediasoup();
let a: MediasoupNode;
let b: MediasoupNode;

beforeAll(async () => {
  const config = sfuConfig({ numWorkers: 1, rtcPort: 0, listenIp: '127.0.0.1' });
  [a, b] = await Promise.all([MediasoupNode.create(config), MediasoupNode.create(config)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

/** The documented sequence: `to` (node id `toId`) pulls `producerId` from `from` (node id `fromId`). */
async function pull(lectureId: string, producerId: string, from = a, to = b, fromId = 'A', toId = 'B'): Promise<ExportedProducer> {
  const toEnd = await to.openPipe(lectureId, fromId);
  const fromEnd = await from.openPipe(lectureId, toId);
  await from.connectPipe(lectureId, toId, toEnd);
  const exported = await from.exportProducer(lectureId, toId, producerId);
  await to.connectPipe(lectureId, fromId, fromEnd);
  await to.importProducer(lectureId, fromId, exported);
  return exported;
}

/** A lecturer on A with camera and microphone, a viewer on B with a receive transport. */
async function twoNodeLecture() {
  const lectureId = randomUUID();
  const lecturer = await FakeClient.join(a, lectureId, 'lecturer');
  await lecturer.openSendTransport();
  const cam = await lecturer.produce('camera');
  const mic = await lecturer.produce('microphone');
  const viewer = await FakeClient.join(b, lectureId, 'viewer');
  await viewer.openRecvTransport();
  return { lectureId, viewer, camId: cam.id, micId: mic.id };
}

/** Live pipe transports of the lecture, on either node. */
function livePipes(lectureId: string) {
  return [...seen.transports.values()].filter((t) => t.appData['lectureId'] === lectureId && !t.closed);
}

describe('cascading between media nodes', () => {
  it('imports a producer so a peer of another node consumes it like a local one', async () => {
    const { lectureId, viewer, camId } = await twoNodeLecture();
    expect(b.hasProducer(lectureId, camId)).toBe(false);
    const exported = await pull(lectureId, camId);
    expect(exported).toMatchObject({ producerId: camId, kind: 'video', source: 'camera', paused: false });
    expect(a.hasProducer(lectureId, camId)).toBe(true);
    expect(b.hasProducer(lectureId, camId)).toBe(true);

    const consumer = await viewer.consume(camId);
    expect(consumer.kind).toBe('video');
    const real = seen.consumers.get(consumer.id)!;
    expect(real.closed).toBe(false);
    expect(real.kind).toBe('video');
    // Transports are the participants' own; the imported copy counts as a producer here.
    expect(await b.lectureStats(lectureId)).toMatchObject({ routers: 1, transports: 1, producers: 1, consumers: 1 });
  });

  it('carries real RTP across the pipe', async () => {
    const lectureId = randomUUID();
    await Promise.all([a.getRouterRtpCapabilities(lectureId), b.getRouterRtpCapabilities(lectureId)]);
    const feed = await feedRtp(a, lectureId, 'encoder');
    const exported = await pull(lectureId, feed.producer.id);
    expect(exported).toMatchObject({ kind: 'audio', source: 'microphone' });
    const tap = await tapRtp(b, lectureId, feed.producer.id);
    let index = 0;
    const timer = setInterval(() => feed.send(index++), 5);
    try {
      await tap.waitFor(20);
    } finally {
      clearInterval(timer);
    }
    const encoding = tap.consumer.rtpParameters.encodings![0]!;
    const payloadType = tap.consumer.rtpParameters.codecs[0]!.payloadType;
    expect(tap.packets.every((p) => p.ssrc === encoding.ssrc && p.payloadType === payloadType)).toBe(true);
    // Our own packets, in order, re-stamped by the consumer on B.
    const indices = tap.packets.map((p) => p.index);
    expect(indices).toEqual([...indices].sort((x, y) => x - y));
    expect(indices.every((i) => i < index)).toBe(true);
    tap.close();
    feed.close();
  });

  it('pauses the imported copy on demand, and a pause at the origin stops the media too', async () => {
    const lectureId = randomUUID();
    await Promise.all([a.getRouterRtpCapabilities(lectureId), b.getRouterRtpCapabilities(lectureId)]);
    const feed = await feedRtp(a, lectureId, 'encoder');
    const id = feed.producer.id;
    await pull(lectureId, id);
    const tap = await tapRtp(b, lectureId, id);
    let index = 0;
    const timer = setInterval(() => feed.send(index++), 5);
    /** Packets that arrive within `ms`. */
    const arrivals = async (ms: number): Promise<number> => {
      const before = tap.packets.length;
      await new Promise((r) => setTimeout(r, ms));
      return tap.packets.length - before;
    };
    try {
      await tap.waitFor(5);
      // What signaling relays when the origin's producer is paused: the copy here is paused too.
      await b.setProducerPaused(lectureId, id, true);
      await waitFor(() => tap.consumer.producerPaused, 2000);
      await arrivals(250); // packets already in flight (a loaded machine delays them)
      expect(await arrivals(300)).toBe(0);
      await b.setProducerPaused(lectureId, id, false);
      await waitFor(() => !tap.consumer.producerPaused, 2000);
      await tap.waitFor(tap.packets.length + 5);

      // Paused at the origin only: the pipe consumer there stops sending, nothing reaches B.
      await a.setProducerPaused(lectureId, id, true);
      await arrivals(250);
      expect(await arrivals(300)).toBe(0);
      await a.setProducerPaused(lectureId, id, false);
      await tap.waitFor(tap.packets.length + 5);
      // An export after the pause says so, for the node importing it.
      await a.setProducerPaused(lectureId, id, true);
      expect((await a.exportProducer(lectureId, 'B', id)).paused).toBe(true);
    } finally {
      clearInterval(timer);
      tap.close();
      feed.close();
    }
  });

  it('closes the imported copy and its consumers when told the origin closed it', async () => {
    const { lectureId, viewer, micId } = await twoNodeLecture();
    await pull(lectureId, micId);
    const { id: consumerId } = await viewer.consume(micId);
    const events = recordEvents(b);
    const closed = nextEvent(b, 'consumerClosed', (e) => e.consumerId === consumerId);

    await a.closeProducer(lectureId, micId);
    await expectAppError(a.exportProducer(lectureId, 'B', micId), 'NOT_FOUND');
    // The signaling of B learns it from A's and closes the copy.
    await b.closeProducer(lectureId, micId);
    expect(await closed).toEqual({ lectureId, peerId: 'viewer', consumerId, producerId: micId });
    expect(b.hasProducer(lectureId, micId)).toBe(false);
    // Only the copy ended: announcing the producer's end is the origin's business.
    expect(events.producerClosed).toEqual([]);
    await expectAppError(b.closeProducer(lectureId, micId), 'NOT_FOUND');
  });

  it('closes imported producers and their consumers with the pipe, and pipes again afterwards', async () => {
    const { lectureId, viewer, camId, micId } = await twoNodeLecture();
    await pull(lectureId, camId);
    await pull(lectureId, micId);
    const consumers = [await viewer.consume(camId), await viewer.consume(micId)];
    const gone = consumers.map((c) => nextEvent(b, 'consumerClosed', (e) => e.consumerId === c.id));

    await b.closePipe(lectureId, 'A');
    await b.closePipe(lectureId, 'A');
    await b.closePipe(randomUUID(), 'A');
    expect((await Promise.all(gone)).map((e) => e.producerId)).toEqual([camId, micId]);
    expect(b.hasProducer(lectureId, camId) || b.hasProducer(lectureId, micId)).toBe(false);
    expect(await b.lectureStats(lectureId)).toMatchObject({ producers: 0, consumers: 0 });
    await expectAppError(b.connectPipe(lectureId, 'A', { ip: '127.0.0.1', port: 9 }), 'NOT_FOUND');

    // A's end still points at B's old end: connecting it elsewhere is a conflict, not a silent
    // re-target; closing it there lets the pull start afresh.
    const newEnd = await b.openPipe(lectureId, 'A');
    await a.openPipe(lectureId, 'B');
    await expectAppError(a.connectPipe(lectureId, 'B', newEnd), 'CONFLICT');
    await a.closePipe(lectureId, 'B');
    await b.closePipe(lectureId, 'A');
    await pull(lectureId, camId);
    expect((await viewer.consume(camId)).kind).toBe('video');
  });

  it('is idempotent, and refuses what it cannot do with AppErrors', async () => {
    const { lectureId, camId, micId } = await twoNodeLecture();
    const ends = await Promise.all([b.openPipe(lectureId, 'A'), b.openPipe(lectureId, 'A')]);
    expect(ends[1]).toEqual(ends[0]);
    expect(ends[0]).toMatchObject({ ip: '127.0.0.1', port: expect.any(Number) });
    const first = await pull(lectureId, micId);
    const again = await pull(lectureId, micId);
    expect(again).toEqual(first);
    await Promise.all([b.importProducer(lectureId, 'A', first), b.importProducer(lectureId, 'A', first)]);
    const pipeConsumers = [...seen.consumers.values()].filter((c) => c.producerId === micId && c.appData['remoteNodeId'] === 'B' && !c.closed);
    expect(pipeConsumers).toHaveLength(1);
    expect((await b.lectureStats(lectureId)).producers).toBe(1);
    expect(livePipes(lectureId).map((t) => t.appData['remoteNodeId']).sort()).toEqual(['A', 'B']);

    await expectAppError(a.exportProducer(lectureId, 'B', 'no-such-producer'), 'NOT_FOUND');
    await expectAppError(a.exportProducer(lectureId, 'C', camId), 'NOT_FOUND');
    await expectAppError(a.connectPipe(lectureId, 'C', ends[0]), 'NOT_FOUND');
    await expectAppError(a.openPipe(randomUUID(), 'B'), 'NOT_FOUND');
    await expectAppError(a.openPipe(lectureId, ''), 'BAD_REQUEST');
    await expectAppError(b.connectPipe(lectureId, 'A', { ip: '', port: 0 }), 'BAD_REQUEST');
    await expectAppError(b.importProducer(lectureId, 'A', { ...first, producerId: randomUUID(), kind: 'video' }), 'BAD_REQUEST');
    await expectAppError(b.importProducer(lectureId, 'A', { ...first, producerId: randomUUID(), rtpParameters: { codecs: [] } }), 'BAD_REQUEST', 'MEDIA_ERROR');
    // The same producer through a second pipe would be two copies under one id.
    await b.openPipe(lectureId, 'C');
    await expectAppError(b.importProducer(lectureId, 'C', first), 'CONFLICT');
  });

  it('closes the pipes with the lecture, without events', async () => {
    const { lectureId, viewer, micId } = await twoNodeLecture();
    await pull(lectureId, micId);
    await viewer.consume(micId);
    const pipes = livePipes(lectureId);
    expect(pipes).toHaveLength(2);
    const events = recordEvents(b);

    await b.closeLecture(lectureId);
    await a.closeLecture(lectureId);
    expect(b.hasProducer(lectureId, micId)).toBe(false);
    expect(a.hasProducer(lectureId, micId)).toBe(false);
    expect(pipes.every((t) => t.closed)).toBe(true);
    expect(events).toEqual({ producerClosed: [], consumerClosed: [], peersLostMedia: [] });
    await expectAppError(b.connectPipe(lectureId, 'A', { ip: '127.0.0.1', port: 9 }), 'NOT_FOUND');
  });

  it('forgets a pipe whose worker died, and pulls again once the origin closed its stale end', async () => {
    const d = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0, listenIp: '127.0.0.1' }));
    try {
      const { lectureId, micId } = await twoNodeLecture();
      await d.getRouterRtpCapabilities(lectureId);
      await pull(lectureId, micId, a, d, 'A', 'D');
      expect(d.hasProducer(lectureId, micId)).toBe(true);

      process.kill(d.health().workers[0]!.pid, 'SIGKILL');
      await waitFor(() => !d.hasProducer(lectureId, micId), 5000);
      await waitFor(() => d.health().ready, 10_000);
      await expectAppError(d.connectPipe(lectureId, 'A', { ip: '127.0.0.1', port: 9 }), 'NOT_FOUND');

      // A cannot know D's end died: its end still points there, so the new pull conflicts first.
      await expectAppError(pull(lectureId, micId, a, d, 'A', 'D'), 'CONFLICT');
      await a.closePipe(lectureId, 'D');
      await pull(lectureId, micId, a, d, 'A', 'D');
      expect(d.hasProducer(lectureId, micId)).toBe(true);
    } finally {
      await d.close();
    }
  });

  it('fans an imported producer out to the other routers of the importing node', async () => {
    // Node C: two workers, one consumer per router, so the second viewer lands on another router.
    const c = await MediasoupNode.create(sfuConfig({ numWorkers: 2, rtcPort: 0, listenIp: '127.0.0.1', maxConsumersPerRouter: 1 }));
    try {
      const lectureId = randomUUID();
      const lecturer = await FakeClient.join(a, lectureId, 'lecturer');
      await lecturer.openSendTransport();
      const cam = await lecturer.produce('camera');
      const viewers = await Promise.all(['v1', 'v2'].map((id) => FakeClient.join(c, lectureId, id)));
      for (const v of viewers) await v.openRecvTransport();
      expect((await c.lectureStats(lectureId)).routers).toBe(2);

      await pull(lectureId, cam.id, a, c, 'A', 'C');
      const got = await Promise.all(viewers.map((v) => v.consume(cam.id)));
      expect(got.map((g) => g.kind)).toEqual(['video', 'video']);
      const pids = viewers.map((v) => seen.transportWorkerPid.get(v.recvTransport!.id));
      expect(pids[0]).not.toBe(pids[1]);

      // The copy on the fan-out router goes with the imported producer.
      const gone = got.map((g) => nextEvent(c, 'consumerClosed', (e) => e.consumerId === g.id));
      await c.closePipe(lectureId, 'A');
      await Promise.all(gone);
      await waitFor(() => (seen.consumers.get(got[1]!.id)?.closed ?? false));
    } finally {
      await c.close();
    }
  });
});
