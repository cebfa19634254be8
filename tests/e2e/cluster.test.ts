/**
 * Real media across two node processes: a lecturer's Chromium on node A, a classroom and a
 * student on node B. Their packets cross the pipe between the nodes' mediasoup workers.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, type MintOptions } from '../../signaling/src/auth/tokens.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { freePort, NodeProcess, RedisProcess, stopAll } from '../helpers/cluster.ts';

type Inbound = { participantId: string; source: string; kind: string; packetsReceived: number; bytesReceived: number; framesDecoded: number };

const secret = 'e2e-cluster-secret';
const lectureId = 'e2e-cluster';
let redis: RedisProcess;
let A: NodeProcess;
let B: NodeProcess;
const tabs: BrowserTab[] = [];

const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<Inbound[]>;
const find = (s: Inbound[], participantId: string, source: string) => s.find((x) => x.participantId === participantId && x.source === source);

async function open(node: NodeProcess, label: string, opts: Omit<MintOptions, 'lectureId'>): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${mintToken(secret, { lectureId, ...opts })}`, label);
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang?.state().joined ?? false), Boolean, 30_000, `${label} joined`);
  return tab.page;
}

async function expectGrowing(page: Page, participantId: string, source: string, label: string): Promise<void> {
  const first = await eventually(() => inbound(page), (s) => (find(s, participantId, source)?.bytesReceived ?? 0) > 0, 30_000, `${label} receives ${participantId}/${source}`);
  await new Promise((r) => setTimeout(r, 2_000));
  const a = find(first, participantId, source)!;
  const b = find(await inbound(page), participantId, source)!;
  expect(b.bytesReceived, `${label}: bytes of ${participantId}/${source}`).toBeGreaterThan(a.bytesReceived);
  // A decoder on a busy machine may wait for the next key frame: give frames up to 10 s to grow.
  if (a.kind === 'video') await eventually(() => inbound(page), (s) => (find(s, participantId, source)?.framesDecoded ?? 0) > a.framesDecoded, 10_000, `${label}: frames of ${participantId}/${source}`);
}

beforeAll(async () => {
  redis = new RedisProcess(await freePort());
  await redis.start();
  const prefix = `tt-e2e-${process.pid}:`;
  A = await NodeProcess.start({ id: 'node-a', redisUrl: redis.url, secret, prefix });
  B = await NodeProcess.start({ id: 'node-b', redisUrl: redis.url, secret, prefix });
}, 90_000);

afterAll(async () => {
  for (const t of tabs) await t.close();
  for (const n of [A, B]) await n?.stop();
  await redis?.stop();
  await stopAll();
}, 60_000);

describe('media across nodes in real browsers', () => {
  it('carries the lecture from node A to node B, and a room camera from B back to A', async () => {
    const lecturer = await open(A, 'lecturer-a', { role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('toggle-microphone').click();
    await lecturer.getByTestId('go-live-button').click();
    const classroom = await open(B, 'classroom-b', { role: 'classroom', name: 'Kashgar 101', subject: 'room-b', classroomId: 'kashgar', classroomName: 'Kashgar Room 101' });
    const student = await open(B, 'student-b', { role: 'student', name: 'Li Hua', subject: 'student-b' });
    for (const [page, label] of [[classroom, 'classroom on B'], [student, 'student on B']] as const) {
      await expectGrowing(page, 'lecturer', 'camera', label);
      await expectGrowing(page, 'lecturer', 'microphone', label);
    }
    await expectGrowing(lecturer, 'room-b', 'camera', 'lecturer wall on A');
    await screenshot(student, 'e2e-cluster-student-on-b');
  });
});
