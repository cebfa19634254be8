/**
 * Test only: what a gateway test file shares — one media node with a MediaGateway on it, a fresh
 * lecture per test, RTP taps of its producers, and whatever a test opened closed after it (newest
 * first). Registers its own vitest hooks: call it once at the top of the file.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { sfuConfig } from '../src/config.ts';
import { MediaGateway, type GatewayOptions } from '../src/gateway/MediaGateway.ts';
import { MediasoupNode } from '../src/MediasoupNode.ts';
import { FakeClient } from './fakeClient.ts';
import { tapRtp, type RtpTap } from './plainRtp.ts';

export interface GatewayFixture {
  readonly node: MediasoupNode;
  readonly gateway: MediaGateway;
  /** A lecture whose routers are started (a lecturer joined), as a classroom's source needs. */
  lecture(): Promise<string>;
  /** A PlainTransport consumer of the producer, closed after the test. */
  tap(lectureId: string, producerId: string): Promise<RtpTap>;
  /** Runs `undo` after the test. */
  later(undo: () => unknown): void;
}

export function useGatewayFixture(options: GatewayOptions = {}): GatewayFixture {
  let node: MediasoupNode | undefined;
  let gateway: MediaGateway | undefined;
  const cleanup: (() => unknown)[] = [];
  beforeAll(async () => {
    node = await MediasoupNode.create(sfuConfig({ numWorkers: 1, rtcPort: 0 }));
    gateway = new MediaGateway(node, options);
  });
  afterEach(async () => {
    for (const undo of cleanup.splice(0).reverse()) await undo();
  });
  afterAll(async () => {
    gateway?.closeAll();
    await node?.close();
  });
  const fixture: GatewayFixture = {
    get node() {
      if (!node) throw new Error('the gateway fixture has not started yet');
      return node;
    },
    get gateway() {
      if (!gateway) throw new Error('the gateway fixture has not started yet');
      return gateway;
    },
    async lecture() {
      const lectureId = randomUUID();
      await FakeClient.join(fixture.node, lectureId, 'lecturer');
      return lectureId;
    },
    async tap(lectureId, producerId) {
      const t = await tapRtp(fixture.node, lectureId, producerId);
      cleanup.push(() => t.close());
      return t;
    },
    later(undo) {
      cleanup.push(undo);
    },
  };
  return fixture;
}
