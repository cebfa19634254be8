/**
 * A participant whose connection drops (a campus link down, a ping timeout) keeps its place for
 * LEAVE_GRACE_MS: no participant:left, its hand and its floor turn stay, and when its page comes
 * back with the same identity it finds them. One that does not come back within the grace leaves
 * like anyone else; one that says goodbye (Leave) leaves at once. Real Socket.IO, real mediasoup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'leave-grace';
const GRACE_MS = 2_500;
let n: TestNode;
const peers: FakePeer[] = [];
let lecturer: FakePeer;

async function join(subject: string): Promise<FakePeer> {
  const peer = await FakePeer.join(n.url, n.token({ lectureId, role: subject === 'prof' ? 'lecturer' : 'student', name: subject, subject }));
  peers.push(peer);
  return peer;
}

/** The connection dies under the page, as a cut link ends it: the server sees a transport close, no goodbye. */
function dropConnection(peer: FakePeer): void {
  peer.client.socket.io.reconnection(false);
  peer.client.socket.io.engine.close();
}

const leftEvents = (name: string) => lecturer.client.events.filter((e) => e.event === 'participant:left' && (e.payload as { participantId: string }).participantId === name);

beforeAll(async () => {
  n = await startTestNode({ leaveGraceMs: GRACE_MS });
  lecturer = await join('prof');
  await lecturer.client.call('lecture:start', {});
}, 30_000);
afterAll(async () => {
  for (const p of peers) p.close();
  await n?.close();
});

describe('a dropped connection', () => {
  it('keeps its hand and its floor turn for its page to come back', async () => {
    const asker = await join('kashgar-1');
    await asker.client.call('hand:raise', { note: 'kept' });
    const speaker = await join('kashgar-2');
    const raised = await speaker.client.call('hand:raise', {});
    await lecturer.client.call('floor:grant', { entryId: raised.entries.find((e) => e.participantId === 'kashgar-2')!.id });

    dropConnection(asker);
    dropConnection(speaker);
    await new Promise((r) => setTimeout(r, GRACE_MS / 2));
    expect(leftEvents('kashgar-1')).toEqual([]);
    expect(leftEvents('kashgar-2')).toEqual([]);

    const askerBack = await join('kashgar-1');
    expect(askerBack.joined.hands.myPosition).toBe(1);
    const speakerBack = await join('kashgar-2');
    expect(speakerBack.joined.floor.speakers.map((s) => s.participantId)).toEqual(['kashgar-2']);
    // Past the grace, both are still in: the timers were for connections that came back.
    await new Promise((r) => setTimeout(r, GRACE_MS));
    expect(leftEvents('kashgar-1')).toEqual([]);
    const floor = await lecturer.client.call('floor:mute', { participantId: 'kashgar-2', muted: false });
    expect(floor.speakers.map((s) => s.participantId)).toEqual(['kashgar-2']);
    await lecturer.client.call('floor:revoke', { participantId: 'kashgar-2' });
  });

  it('lets one that does not come back go once the grace is over, hand and all', async () => {
    const latestHands = () => (lecturer.client.events.filter((e) => e.event === 'hands:updated').at(-1)?.payload as { entries: { participantId: string }[] } | undefined)
      ?.entries.map((e) => e.participantId) ?? [];
    const student = await join('kashgar-3');
    await student.client.call('hand:raise', {});
    await expect.poll(latestHands, { timeout: 5_000 }).toContain('kashgar-3');
    const since = Date.now();
    dropConnection(student);
    await lecturer.client.next('participant:left', (e) => e.participantId === 'kashgar-3', GRACE_MS * 3);
    expect(Date.now() - since).toBeGreaterThanOrEqual(GRACE_MS - 100);
    await expect.poll(latestHands, { timeout: 5_000 }).not.toContain('kashgar-3');
  });

  it('lets a participant who says goodbye go at once', async () => {
    const student = await join('leaver');
    await student.client.call('hand:raise', {});
    const left = lecturer.client.next('participant:left', (e) => e.participantId === 'leaver', GRACE_MS / 2);
    student.close();
    await left;
  });
});
