import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@tongtang/shared';
import { sfuConfig } from './config.ts';
import { FakeClient } from '../test-support/fakeClient.ts';
import { MediasoupNode } from './MediasoupNode.ts';
import { expectAppError, nextEvent, recordEvents, waitFor } from '../test-support/testSupport.ts';

let node: MediasoupNode;
let port: number;

/** A port the OS just handed out, so parallel test files do not fight over a fixed one. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return p;
}

function candidatePorts(options: { iceCandidates: unknown[] }): number[] {
  return (options.iceCandidates as { port: number }[]).map((c) => c.port);
}

beforeAll(async () => {
  port = await freePort();
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: port }));
});
afterAll(async () => {
  await node.close();
});

describe('a worker that dies', () => {
  it('listens on the configured port, UDP and TCP', async () => {
    const options = await node.createTransport(randomUUID(), 'P', 'recv');
    expect(candidatePorts(options)).toEqual([port, port]);
    expect((options.iceCandidates as { protocol: string }[]).map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
  });

  it('tells which peers lost media, is replaced on the same port, and the lecture goes on', async () => {
    const lectureId = randomUUID();
    const a = await FakeClient.join(node, lectureId, 'A');
    const b = await FakeClient.join(node, lectureId, 'B');
    await a.openSendTransport();
    const cam = await a.produce('camera');
    await b.openRecvTransport();
    await b.consume(cam.id);
    const events = recordEvents(node);
    const oldPid = node.health().workers[0]!.pid;

    // Requests made while no worker is alive fail cleanly instead of hanging.
    let duringOutage: Promise<unknown> | undefined;
    const lost = nextEvent(node, 'peersLostMedia', (e) => {
      duringOutage = node.getRouterRtpCapabilities(randomUUID());
      duringOutage.catch(() => undefined); // asserted below; not an unhandled rejection meanwhile
      return e.lectureId === lectureId;
    });
    process.kill(oldPid, 'SIGKILL');

    expect((await lost).peerIds.sort()).toEqual(['A', 'B']);
    await expectAppError(duringOutage!, 'UNAVAILABLE');
    expect(events.producerClosed.map((e) => e.producerId)).toEqual([cam.id]);
    expect(events.consumerClosed.map((e) => e.peerId)).toEqual(['B']);
    expect(await node.lectureStats(lectureId)).toMatchObject({ routers: 0, transports: 0, producers: 0, consumers: 0 });
    await expectAppError(node.connectTransport(lectureId, 'A', a.sendTransport!.id, {}), 'NOT_FOUND');

    await waitFor(() => node.health().ready, 10_000);
    const newPid = node.health().workers[0]!.pid;
    expect(newPid).not.toBe(oldPid);

    // Reconnecting peers rebuild their media on the replacement worker, on the same port.
    const a2 = await FakeClient.join(node, lectureId, 'A');
    const send = await node.createTransport(lectureId, 'A', 'send');
    expect(candidatePorts(send)).toEqual([port, port]);
    await node.closePeer(lectureId, 'A');
    await a2.openSendTransport();
    const cam2 = await a2.produce('camera');
    const b2 = await FakeClient.join(node, lectureId, 'B');
    await b2.openRecvTransport();
    expect((await b2.consume(cam2.id)).producerId).toBe(cam2.id);
    expect((await node.lectureStats(lectureId)).routers).toBe(1);
  });

  it('is not reported as lost media when the node closes on purpose', async () => {
    const other = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
    const events = recordEvents(other);
    const c = await FakeClient.join(other, randomUUID(), 'C');
    await c.openSendTransport();
    await c.produce('microphone');
    await other.close();
    await other.close();
    expect(events).toEqual({ producerClosed: [], consumerClosed: [], peersLostMedia: [] });
    expect(other.health().ready).toBe(false);
    const err: AppError = await expectAppError(other.getRouterRtpCapabilities('x'), 'UNAVAILABLE');
    expect(err.message).toMatch(/closed/);
  });
});
