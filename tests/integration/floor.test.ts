/** Hand queue, floor and interaction relay over real Socket.IO and real mediasoup workers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

let node: TestNode;
const peers: FakePeer[] = [];
const lectureId = 'lec-floor';

async function peer(opts: Parameters<TestNode['token']>[0]): Promise<FakePeer> {
  const p = await FakePeer.join(node.url, node.token({ lectureId, ...opts }));
  peers.push(p);
  return p;
}
const from = (participantId: string, source?: string) => (c: { appData: Record<string, unknown> }) =>
  c.appData.participantId === participantId && (source === undefined || c.appData.source === source);
const hasConsumer = (p: FakePeer, participantId: string, source: string) => [...p.consumers.values()].some(from(participantId, source));

let lecturer: FakePeer;
let roomA: FakePeer;
let assistantA: FakePeer;
let assistantB: FakePeer;
let roomB: FakePeer;
let s1: FakePeer;
let s2: FakePeer;

beforeAll(async () => {
  node = await startTestNode({ maxSpeakers: 2 });
  lecturer = await peer({ role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
  await lecturer.publish('camera', { simulcast: true });
  await lecturer.client.call('lecture:start', {});
  roomA = await peer({ role: 'classroom', name: 'Kashgar 101', subject: 'room-a', classroomId: 'kashgar' });
  await roomA.publish('camera');
  roomB = await peer({ role: 'classroom', name: 'Lhasa 3', subject: 'room-b', classroomId: 'lhasa' });
  assistantA = await peer({ role: 'assistant', name: 'Aygul', subject: 'asst-a', classroomId: 'kashgar' });
  assistantB = await peer({ role: 'assistant', name: 'Dawa', subject: 'asst-b', classroomId: 'lhasa' });
  s1 = await peer({ role: 'student', name: 'Li Hua', subject: 's1' });
  s2 = await peer({ role: 'student', name: 'Zhang Wei', subject: 's2' });
});
afterAll(async () => {
  for (const p of peers) p.close();
  await node?.close();
});

describe('hand queue', () => {
  it('orders raised hands, shows the lecturer everything and a student its own position', async () => {
    const seen = lecturer.client.next('hands:updated', (h) => h.total === 2);
    await s1.client.call('hand:raise', { note: 'question on slide 12' });
    const mine = await s2.client.call('hand:raise', {});
    expect(mine).toMatchObject({ total: 2, myPosition: 2 });
    expect(mine.entries).toHaveLength(1);
    const queue = await seen;
    expect(queue.entries.map((e) => e.participantId)).toEqual(['s1', 's2']);
    expect(queue.entries[0]?.note).toBe('question on slide 12');
  });

  it('lets an assistant raise for its classroom but not lower another classroom\'s entry', async () => {
    const res = await assistantB.client.call('hand:raise', {});
    const entry = res.entries.find((e) => e.participantId === 'room-b');
    expect(entry).toMatchObject({ kind: 'classroom', classroomId: 'lhasa' });
    expect(await assistantA.client.request('hand:lower', { entryId: entry!.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await assistantB.client.request('hand:lower', { entryId: entry!.id })).toMatchObject({ ok: true });
  });

  it('refuses a student clearing the queue or granting the floor', async () => {
    expect(await s1.client.request('hand:clear', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s1.client.request('floor:grant', { participantId: 's1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('floor and interaction relay', () => {
  it('refuses a student publishing audio without the floor', async () => {
    await expect(s1.publish('microphone')).rejects.toThrow(/FORBIDDEN/);
  });

  it('relays a granted student to every site, and takes it back on revoke', async () => {
    expect(await lecturer.client.request('hand:raise', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const queue = lecturer.client.events.filter((e) => e.event === 'hands:updated').at(-1)?.payload as { entries: { id: string; participantId: string }[] };
    const entry = queue.entries.find((e) => e.participantId === 's1')!;
    const granted = s1.client.next('floor:updated', (f) => f.speakers.some((s) => s.participantId === 's1'));
    await lecturer.client.call('floor:grant', { entryId: entry.id });
    await granted;
    await s1.publish('microphone');
    await s1.publish('camera');
    for (const p of [lecturer, roomA, roomB, s2, assistantA]) {
      await p.waitForConsumer(from('s1', 'microphone'));
      await p.waitForConsumer(from('s1', 'camera'));
    }
    const revoked = [lecturer, roomA, s2].map((p) => p.client.next('producer:removed'));
    await lecturer.client.call('floor:revoke', { participantId: 's1' });
    await Promise.all(revoked);
    await new Promise((r) => setTimeout(r, 100));
    for (const p of [lecturer, roomA, roomB, s2]) expect(hasConsumer(p, 's1', 'microphone')).toBe(false);
    // Off the floor again: publishing is refused.
    await expect(s1.publish('microphone')).rejects.toThrow(/FORBIDDEN/);
  });

  it('relays a granted classroom\'s camera and microphone to all, then returns its camera to the wall', async () => {
    await lecturer.client.call('floor:grant', { participantId: 'room-a' });
    await s2.waitForConsumer(from('room-a', 'camera'));
    await roomA.publish('microphone');
    await s2.waitForConsumer(from('room-a', 'microphone'));
    await roomB.waitForConsumer(from('room-a', 'microphone'));
    await lecturer.client.call('floor:revoke', { participantId: 'room-a' });
    await new Promise((r) => setTimeout(r, 200));
    expect(hasConsumer(s2, 'room-a', 'camera')).toBe(false);
    expect(hasConsumer(roomB, 'room-a', 'microphone')).toBe(false);
    expect(hasConsumer(lecturer, 'room-a', 'camera')).toBe(true);
  });

  it('keeps a classroom muted by the lecturer from unmuting itself', async () => {
    await lecturer.client.call('floor:grant', { participantId: 'room-a' });
    const mic = await roomA.publish('microphone');
    const paused = s2.client.next('producer:updated', (u) => u.producerId === mic.id && u.paused);
    await lecturer.client.call('floor:mute', { participantId: 'room-a', muted: true });
    await paused;
    expect(await roomA.client.request('media:resumeProducer', { producerId: mic.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await lecturer.client.call('floor:revoke', { participantId: 'room-a' });
    expect(await roomB.client.request('floor:mute', { participantId: 'room-b', muted: false })).toMatchObject({ ok: false });
  });

  it('limits simultaneous speakers and replaces the longest-speaking one on request', async () => {
    await lecturer.client.call('floor:grant', { participantId: 's1' });
    await lecturer.client.call('floor:grant', { participantId: 's2' });
    const refused = await lecturer.client.request('floor:grant', { participantId: 'room-b' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
    const floor = await lecturer.client.call('floor:grant', { participantId: 'room-b', replace: true });
    expect(floor.speakers.map((s) => s.participantId).sort()).toEqual(['room-b', 's2']);
  });

  it('takes the floor from a speaker who drops and closes everyone\'s consumers of it', async () => {
    await s2.publish('microphone');
    await lecturer.waitForConsumer(from('s2', 'microphone'));
    const floorUpdate = lecturer.client.next('floor:updated', (f) => !f.speakers.some((s) => s.participantId === 's2'));
    s2.close();
    await floorUpdate;
    await new Promise((r) => setTimeout(r, 100));
    expect(hasConsumer(lecturer, 's2', 'microphone')).toBe(false);
    expect(hasConsumer(roomA, 's2', 'microphone')).toBe(false);
  });
});

describe('chat, reactions, polls and attendance', () => {
  it('delivers chat to everyone, and private questions only to the lecturer', async () => {
    const everyone = roomB.client.next('chat:posted', (m) => m.text === 'hello all');
    await assistantA.client.call('chat:send', { to: 'everyone', text: 'hello all' });
    await everyone;
    const privateMsg = lecturer.client.next('chat:posted', (m) => m.text === 'private q');
    await s1.client.call('chat:send', { to: 'lecturer', text: 'private q' });
    await privateMsg;
    await new Promise((r) => setTimeout(r, 100));
    expect(roomB.client.events.some((e) => e.event === 'chat:posted' && (e.payload as { text: string }).text === 'private q')).toBe(false);

    // The lecturer's private reply reaches that student only.
    const replied = s1.client.next('chat:posted', (m) => m.text === 'private a');
    const sent = await lecturer.client.call('chat:send', { to: 'participant', participantId: 's1', text: 'private a' });
    expect(sent).toMatchObject({ to: 'participant', toId: 's1', toName: 'Li Hua' });
    await replied;
    await new Promise((r) => setTimeout(r, 100));
    for (const other of [roomA, roomB, assistantA]) {
      expect(other.client.events.some((e) => e.event === 'chat:posted' && (e.payload as { text: string }).text === 'private a')).toBe(false);
    }
    expect(await assistantA.client.request('chat:send', { to: 'participant', participantId: 's1', text: 'psst' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await lecturer.client.request('chat:send', { to: 'participant', participantId: 'nobody', text: 'hello?' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('counts reactions per site', async () => {
    await s1.client.call('reaction:send', { emoji: '👍' });
    const counts = await assistantA.client.call('reaction:send', { emoji: '👍' });
    expect(counts.online?.['👍']).toBe(1);
    expect(counts.kashgar?.['👍']).toBe(1);
  });

  it('runs a poll with individual and site answers, live results and a kept result', async () => {
    const poll = await lecturer.client.call('poll:open', { question: 'Which is a noble gas?', options: ['N2', 'Ar', 'O2'], multiple: false });
    await s1.client.call('poll:answer', { pollId: poll.id, choices: [1] });
    const live = lecturer.client.next('poll:updated', (p) => p.results.perSite.kashgar !== undefined);
    await assistantA.client.call('poll:answerSite', { pollId: poll.id, counts: [2, 30, 1] });
    const update = await live;
    expect(update.results.perOption).toEqual([2, 31, 1]);
    expect(await s1.client.request('poll:answerSite', { pollId: poll.id, counts: [1, 1, 1] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const closed = await lecturer.client.call('poll:close', { pollId: poll.id });
    expect(closed.state).toBe('closed');
    expect(await s1.client.request('poll:answer', { pollId: poll.id, choices: [0] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('tracks attendance and exports it with the floor history as CSV', async () => {
    const att = await assistantA.client.call('attendance:setHeadcount', { headcount: 42 });
    const kashgar = att.classrooms.find((c) => c.classroomId === 'kashgar');
    expect(kashgar?.headcount).toBe(42);
    expect(att.total).toBe(42 + att.studentsConnected);
    expect(await s1.client.request('attendance:export', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The lecturer fills in a classroom whose assistant has not; a classroom the lecture does not know is refused.
    const filled = await lecturer.client.call('attendance:setHeadcount', { headcount: 17, classroomId: 'lhasa' });
    expect(filled.classrooms.find((c) => c.classroomId === 'lhasa')?.headcount).toBe(17);
    expect(await lecturer.client.request('attendance:setHeadcount', { headcount: 5, classroomId: 'typo-room' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await assistantA.client.request('attendance:setHeadcount', { headcount: 5, classroomId: 'lhasa' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s1.client.request('attendance:setHeadcount', { headcount: 5, classroomId: 'lhasa' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { csv } = await lecturer.client.call('attendance:export', {});
    expect(csv).toContain('Kashgar 101');
    expect(csv).toContain('Li Hua');
  });
});
