/** The hand queue's fan-out at class scale, over real Socket.IO: students hear only their own place. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@tongtang/shared';
import { TestClient } from '../helpers/client.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
const clients: TestClient[] = [];
const lectureId = 'lec-hands-fanout';

async function join(opts: Parameters<TestNode['token']>[0]): Promise<TestClient> {
  const c = await TestClient.connect(node.url, node.token({ lectureId, ...opts }));
  clients.push(c);
  await c.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
  return c;
}
const handUpdates = (c: TestClient) => c.events.filter((e) => e.event === 'hands:updated').length;

beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe('hand queue fan-out', () => {
  it('tells a student when its own place changes, not when others raise behind it', async () => {
    const lecturer = await join({ role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    const first = await join({ role: 'student', name: 'First', subject: 'first' });
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => join({ role: 'student', name: `S${i}`, subject: `s${i}` })));
    const bystander = await join({ role: 'student', name: 'Bystander', subject: 'bystander' });
    await first.call('hand:raise', {});
    await lecturer.next('hands:updated', (h) => h.total === 1);
    const firstBefore = handUpdates(first);
    await Promise.all(others.map((c) => c.call('hand:raise', {})));
    const full = await lecturer.next('hands:updated', (h) => h.total === 21, 10_000);
    expect(full.entries[0]?.participantId).toBe('first');
    expect(full.entries.map((e) => e.participantId).sort()).toEqual(['first', ...others.map((_, i) => `s${i}`)].sort());
    await new Promise((r) => setTimeout(r, 200));
    // Twenty raises behind it: the first in line and a student without a hand hear nothing.
    expect(handUpdates(first)).toBe(firstBefore);
    expect(handUpdates(bystander)).toBe(0);

    // The first is lowered: everyone behind moves up one, and each of them is told.
    const second = full.entries[1]!.participantId;
    const secondClient = others[Number(second.slice(1))]!;
    const moved = secondClient.next('hands:updated', (h) => h.myPosition === 1);
    await lecturer.call('hand:lower', { entryId: full.entries[0]!.id });
    expect(await moved).toMatchObject({ myPosition: 1, total: 20 });
    await new Promise((r) => setTimeout(r, 200));
    expect(handUpdates(bystander)).toBe(0);
  });
});
