/**
 * Three real node processes sharing one Redis of the test's own: the lecture crosses nodes over
 * the media cascade, the hand queue and floor work across nodes, concurrent changes from two
 * nodes lose nothing, a killed node's participants resume on another, and the lecture survives
 * Redis stopping and coming back empty.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, type MintOptions } from '../../signaling/src/auth/tokens.ts';
import { freePort, NodeProcess, RedisProcess, stopAll, until } from '../helpers/cluster.ts';
import { FakePeer } from '../helpers/fakePeer.ts';

const secret = 'cluster-test-secret';
const prefix = `tt-cluster-${process.pid}-${Date.now()}:`;
const lectureId = 'cluster-lecture';
let redis: RedisProcess;
let A: NodeProcess;
let B: NodeProcess;
let C: NodeProcess;
const peers: FakePeer[] = [];
/** One recordings directory for the three nodes, as shared storage would be. */
const recordings = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-cluster-rec-'));

const token = (opts: Omit<MintOptions, 'lectureId'>) => mintToken(secret, { lectureId, ...opts });
async function join(node: NodeProcess, opts: Omit<MintOptions, 'lectureId'>): Promise<FakePeer> {
  const peer = await FakePeer.join(node.url, token(opts));
  peers.push(peer);
  return peer;
}
const from = (participantId: string, source: string) => (c: { appData: Record<string, unknown> }) =>
  c.appData.participantId === participantId && c.appData.source === source;

let lecturer: FakePeer;
let roomB: FakePeer;
let studentB: FakePeer;
let studentC: FakePeer;

beforeAll(async () => {
  redis = new RedisProcess(await freePort());
  await redis.start();
  const start = (id: string) => NodeProcess.start({ id, redisUrl: redis.url, secret, prefix, env: { RECORDINGS_DIR: recordings } });
  A = await start('node-a');
  B = await start('node-b');
  C = await start('node-c');
}, 90_000);

afterAll(async () => {
  for (const p of peers) p.close();
  for (const n of [A, B, C]) await n?.stop();
  await redis?.stop();
  await stopAll();
  fs.rmSync(recordings, { recursive: true, force: true });
}, 30_000);

describe('a lecture across three nodes', () => {
  it('registers every node and answers where to join', async () => {
    const { body } = await A.json<{ nodes: { id: string; url: string }[] }>('/api/nodes');
    expect(body.nodes.map((n) => n.id).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    const pick = await B.json<{ nodeId: string; url: string }>('/api/join-node');
    expect(['node-a', 'node-b', 'node-c']).toContain(pick.body.nodeId);
  });

  it('delivers the lecturer on node A to classrooms and students on nodes B and C', async () => {
    lecturer = await join(A, { role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    await lecturer.publish('camera', { simulcast: true });
    await lecturer.publish('microphone');
    await lecturer.client.call('lecture:start', {});
    roomB = await join(B, { role: 'classroom', name: 'Kashgar 101', subject: 'room-b', classroomId: 'kashgar' });
    studentB = await join(B, { role: 'student', name: 'Li Hua', subject: 'student-b' });
    studentC = await join(C, { role: 'student', name: 'Zhang Wei', subject: 'student-c' });
    for (const p of [roomB, studentB, studentC]) {
      await p.waitForConsumer(from('lecturer', 'camera'), 10_000);
      await p.waitForConsumer(from('lecturer', 'microphone'), 10_000);
    }
    // And the other way: the classroom camera on B reaches the lecturer's wall on A.
    await roomB.publish('camera');
    await lecturer.waitForConsumer(from('room-b', 'camera'), 10_000);
    expect([...studentC.consumers.values()].some(from('room-b', 'camera'))).toBe(false);
  });

  it('runs hand-raise and floor across nodes: a student on C is heard on A and B', async () => {
    const seen = lecturer.client.next('hands:updated', (h) => h.entries.some((e) => e.participantId === 'student-c'), 10_000);
    await studentC.client.call('hand:raise', { note: 'from node C' });
    const queue = await seen;
    const entry = queue.entries.find((e) => e.participantId === 'student-c')!;
    const granted = studentC.client.next('floor:updated', (f) => f.speakers.some((s) => s.participantId === 'student-c'), 10_000);
    await lecturer.client.call('floor:grant', { entryId: entry.id });
    await granted;
    await studentC.publish('microphone');
    for (const p of [lecturer, roomB, studentB]) await p.waitForConsumer(from('student-c', 'microphone'), 10_000);
    await lecturer.client.call('floor:revoke', { participantId: 'student-c' });
    for (const p of [lecturer, roomB, studentB]) {
      await until(() => ![...p.consumers.values()].some(from('student-c', 'microphone')), 'speaker dropped everywhere', 10_000);
    }
  });

  it('records on the lecturer\'s node only, a floor speaker on another node included', async () => {
    await lecturer.client.call('recording:start', {});
    const hand = await studentC.client.call('hand:raise', { note: 'recorded question' });
    // Node C learns of the grant over the bus: the student publishes once told, as its page does.
    const told = studentC.client.next('floor:updated', (f) => f.speakers.some((s) => s.participantId === 'student-c'), 10_000);
    await lecturer.client.call('floor:grant', { entryId: hand.entries.find((e) => e.participantId === 'student-c')!.id });
    await told;
    await studentC.publish('microphone');
    const folders = () => fs.readdirSync(path.join(recordings, lectureId));
    const log = () => fs.readFileSync(path.join(recordings, lectureId, folders()[0]!, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    await until(() => log().some((e) => e['type'] === 'track.started' && e['participantId'] === 'student-c' && e['source'] === 'microphone'), 'the speaker on node C recorded on node A', 15_000);
    await lecturer.client.call('floor:revoke', { participantId: 'student-c' });
    await lecturer.client.call('recording:stop', {});
    expect(folders()).toHaveLength(1);
    const started = log().filter((e) => e['type'] === 'track.started');
    expect(started.map((e) => `${e['participantId']}/${e['source']}`).sort()).toEqual(['lecturer/camera', 'lecturer/microphone', 'student-c/microphone']);
    expect(log().filter((e) => e['type'] === 'recording.started')).toHaveLength(1);
  });

  it('loses no queue entry when two nodes change the queue at once', async () => {
    const crowd = await Promise.all(Array.from({ length: 16 }, (_, i) => join(i % 2 ? B : C, { role: 'student', name: `S${i}`, subject: `crowd-${i}` })));
    await Promise.all(crowd.map((p) => p.client.call('hand:raise', {})));
    const queue = await until(async () => {
      const h = lecturer.client.events.filter((e) => e.event === 'hands:updated').at(-1)?.payload as { entries: { participantId: string }[] } | undefined;
      return h && h.entries.filter((e) => e.participantId.startsWith('crowd-')).length === 16 ? h : undefined;
    }, 'all 16 hands at the lecturer', 10_000);
    expect(new Set(queue.entries.map((e) => e.participantId)).size).toBe(queue.entries.length);
    await lecturer.client.call('hand:clear', {});
    for (const p of crowd) p.close();
  });

  it('ends a lecture on every node at once: the floor taken back, the media stopped', async () => {
    // A lecture of its own, so the lecture above goes on.
    const other = (node: NodeProcess, opts: Omit<MintOptions, 'lectureId'>) =>
      FakePeer.join(node.url, mintToken(secret, { lectureId: 'cluster-ended', ...opts })).then((p) => (peers.push(p), p));
    const prof = await other(A, { role: 'lecturer', name: 'Prof. Li', subject: 'prof-ended' });
    await prof.publish('microphone');
    await prof.client.call('lecture:start', {});
    const speaker = await other(B, { role: 'student', name: 'On the floor', subject: 'speaker-b' });
    const listener = await other(C, { role: 'student', name: 'Listening', subject: 'listener-c' });
    const granted = speaker.client.next('floor:updated', (f) => f.speakers.some((s) => s.participantId === 'speaker-b'), 10_000);
    await prof.client.call('floor:grant', { participantId: 'speaker-b' });
    await granted;
    const mic = await speaker.publish('microphone');
    await listener.waitForConsumer(from('speaker-b', 'microphone'), 10_000);
    await listener.waitForConsumer(from('prof-ended', 'microphone'), 10_000);

    const told = [speaker, listener].map((p) => p.client.next('lecture:updated', (l) => l.state === 'ended', 10_000));
    const offFloor = [speaker, listener].map((p) => p.client.next('floor:updated', (f) => f.speakers.length === 0, 10_000));
    const micClosed = speaker.client.next('producer:removed', (r) => r.producerId === mic.id, 10_000);
    const ended = await prof.client.call('lecture:end', {});
    expect(ended.state).toBe('ended');
    for (const l of await Promise.all(told)) expect(l.endedAt).toBe(ended.endedAt);
    await Promise.all(offFloor);
    await micClosed;
    await until(() => listener.consumers.size === 0 || undefined, 'the listener on C receives nothing after the end', 10_000);
    for (const p of [prof, speaker, listener]) p.close();
  });

  it('frees a node\'s routers and pipes once its last participant leaves, pipes again on the next join, and stops without dropping other nodes\' participants', async () => {
    const D = await NodeProcess.start({ id: 'node-d', redisUrl: redis.url, secret, prefix });
    try {
      const metric = async (name: string) => {
        const text = await (await fetch(`${D.url}/metrics`)).text();
        return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
      };
      const visitor = await join(D, { role: 'student', name: 'Visitor', subject: 'visitor-d' });
      await visitor.waitForConsumer(from('lecturer', 'camera'), 10_000);
      expect(await metric('tongtang_lectures')).toBe(1);
      expect(await metric('tongtang_sfu_worker_routers')).toBeGreaterThan(0);

      visitor.close();
      await until(async () => (await metric('tongtang_lectures')) === 0 && (await metric('tongtang_sfu_worker_routers')) === 0 || undefined,
        'node D closed the lecture\'s routers and pipes', 10_000);

      // A newcomer on D gets the lecture again over a fresh pipe.
      const again = await join(D, { role: 'student', name: 'Visitor again', subject: 'visitor-d2' });
      await again.waitForConsumer(from('lecturer', 'camera'), 10_000);
      again.close();
    } finally {
      // A graceful stop: it must drop D's own sockets only, not the cluster's (the tests below go on).
      await D.stop();
    }
  });
});

describe('failures', () => {
  it('lets the participants of a killed node resume on another node with their hand and role', async () => {
    const raised = await studentB.client.call('hand:raise', { note: 'before the crash' });
    expect(raised.myPosition).toBe(1);
    await B.kill();
    const roomLeft = lecturer.client.next('participant:left', (e) => e.participantId === 'room-b', 45_000);
    await until(async () => {
      const { body } = await A.json<{ nodes: { id: string }[] }>('/api/nodes');
      return !body.nodes.some((n) => n.id === 'node-b');
    }, 'node B expired from the registry', 15_000);
    // The client's failover, slow on purpose (after B expired, within RESUME_GRACE_MS):
    // reconnect to another node with the same token.
    const resumed = await join(C, { role: 'student', name: 'Li Hua', subject: 'student-b' });
    expect(resumed.joined.self).toMatchObject({ id: 'student-b', role: 'student' });
    expect(resumed.joined.hands.myPosition).toBe(1);
    await resumed.waitForConsumer(from('lecturer', 'camera'), 10_000);
    // The classroom on B did not come back: once the grace ran out it leaves the lecture.
    await roomLeft;
    // After the dead node's cleanup, the resumed student still holds its place in the queue.
    expect((await resumed.client.call('hand:lower', {})).total).toBe(0);
    studentB = resumed;
  }, 90_000);

  it('keeps media up while Redis is down, reports not ready, and recovers the lecture when Redis returns', async () => {
    // Say what the nodes were doing if recovery stalls: this path depends on timing.
    const nodeLogs = () => `${A.logTail(40, 40)}\n${C.logTail(40, 40)}`;
    const consumersBefore = (await lecturer.client.call('stats:get', {})).consumers;
    await redis.stop();
    await until(async () => (await A.json('/readyz')).status === 503, 'node A not ready without Redis', 15_000);
    // Media already flowing stays: the SFU does not depend on Redis.
    expect((await lecturer.client.call('stats:get', {})).consumers).toBe(consumersBefore);
    // A state change is refused clearly rather than lost silently.
    const refused = await studentC.client.request('hand:raise', {}, 15_000);
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    await redis.start(); // comes back empty: no persistence
    for (const n of [A, C]) await until(async () => (await n.json('/readyz')).status === 200, `${n.id} ready again`, 20_000);
    // The nodes re-seed the lecture from their copies; a newcomer finds it live with its program.
    let lastSeen = 'no join answered';
    const late = await until(async () => {
      const p = await join(C, { role: 'student', name: 'Late', subject: `late-${Date.now()}` });
      lastSeen = `lecture ${p.joined.lecture.state}, producers ${p.joined.producers.map((x) => `${x.participantId}/${x.source}`).join(' ') || 'none'}`;
      return p.joined.lecture.state === 'live' && p.joined.producers.length >= 2 ? p : (p.close(), undefined);
    }, 'lecture recovered after Redis came back', 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; last join saw: ${lastSeen}\n${nodeLogs()}`);
    });
    await late.waitForConsumer(from('lecturer', 'camera'), 10_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${nodeLogs()}`);
    });
    const seen = lecturer.client.next('hands:updated', (h) => h.entries.some((e) => e.participantId === 'student-c'), 10_000);
    await studentC.client.call('hand:raise', {});
    await seen;
  }, 90_000);
});
