/**
 * RTMP listeners in a configured port range (what a campus firewall opens): simultaneous opens
 * for different classrooms get different ports, a full range is refused with a clear error, and
 * closing a classroom's source frees its port for the next one.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@tongtang/shared';
import { sfuConfig } from '../config.ts';
import { FakeClient } from '../../test-support/fakeClient.ts';
import { MediasoupNode } from '../MediasoupNode.ts';
import { MediaGateway } from './MediaGateway.ts';

let node: MediasoupNode;
let gateway: MediaGateway;
let first: number;

/** Three consecutive free ports, found by binding them. */
async function freeRange(): Promise<number> {
  for (let base = 20_000 + Math.floor(Math.random() * 20_000); ; base += 3) {
    const servers: net.Server[] = [];
    const ok = await Promise.all([0, 1, 2].map((i) => new Promise<boolean>((resolve) => {
      const server = net.createServer();
      servers.push(server);
      server.once('error', () => resolve(false));
      server.listen(base + i, '127.0.0.1', () => resolve(true));
    })));
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)))));
    if (ok.every(Boolean)) return base;
  }
}

beforeAll(async () => {
  node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
  first = await freeRange();
  gateway = new MediaGateway(node, { rtmpPorts: { first, last: first + 1 } });
});
afterAll(async () => {
  gateway.closeAll();
  await node.close();
});

describe('media gateway: RTMP port range', () => {
  it('gives simultaneous classrooms different ports, refuses past the range, and frees a port on close', async () => {
    const lectureId = randomUUID();
    await FakeClient.join(node, lectureId, 'lecturer'); // starts the lecture's routers
    const opened = await Promise.allSettled(['room-a', 'room-b', 'room-c'].map((room) => gateway.openRtmp(lectureId, room)));
    const ports = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value.port] : []));
    expect(ports.sort()).toEqual([first, first + 1]);
    const refused = opened.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect((refused.reason as AppError).message).toMatch(/every RTMP port .* in use/);

    const names = ['room-a', 'room-b', 'room-c'];
    const served = names.filter((_, i) => opened[i]!.status === 'fulfilled');
    const waiting = names[opened.findIndex((r) => r.status === 'rejected')]!;
    const freed = (opened.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ port: number }>).value.port;
    gateway.close(lectureId, served[0]!);
    const again = await gateway.openRtmp(lectureId, waiting);
    expect(again.port).toBe(freed);
    // Re-opening a classroom's source gives it a fresh key on a port of the range.
    const reopened = await gateway.openRtmp(lectureId, waiting);
    expect([first, first + 1]).toContain(reopened.port);
    expect(reopened.key).not.toBe(again.key);
  });
});
