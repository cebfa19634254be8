/**
 * A node dies under a real browser: a student's page, served by node B, has a hand raised when B
 * is killed. The page asks the nodes it remembers where to go, reconnects to a live one, resumes
 * its place in the queue and receives the lecture again, without a reload or a click.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, type MintOptions } from '../../signaling/src/auth/tokens.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { freePort, NodeProcess, RedisProcess, stopAll } from '../helpers/cluster.ts';

type Inbound = { participantId: string; source: string; bytesReceived: number };

const secret = 'e2e-failover-secret';
const lectureId = 'e2e-failover';
let redis: RedisProcess;
const nodes: NodeProcess[] = [];
const tabs: BrowserTab[] = [];

const state = (page: Page) => page.evaluate(() => window.__tongtang!.state());
const cameraBytes = async (page: Page) => {
  const stats = (await page.evaluate(() => window.__tongtang!.inboundStats())) as Inbound[];
  return stats.find((s) => s.participantId === 'lecturer' && s.source === 'camera')?.bytesReceived ?? 0;
};

async function open(node: NodeProcess, label: string, opts: Omit<MintOptions, 'lectureId'>): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${mintToken(secret, { lectureId, ...opts })}`, label);
  tabs.push(tab);
  await eventually(() => state(tab.page), (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

beforeAll(async () => {
  redis = new RedisProcess(await freePort());
  await redis.start();
  const prefix = `tt-e2e-failover-${process.pid}:`;
  for (const id of ['node-a', 'node-b', 'node-c']) nodes.push(await NodeProcess.start({ id, redisUrl: redis.url, secret, prefix }));
}, 90_000);

afterAll(async () => {
  for (const t of tabs) await t.close();
  for (const n of nodes) await n.stop();
  await redis?.stop();
  await stopAll();
}, 60_000);

describe('a node dies under a browser', () => {
  it('moves the student page to a live node with its hand and the lecture, by itself', async () => {
    const [A, B, C] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const lecturer = await open(A, 'failover-lecturer', { role: 'lecturer', name: 'Prof. Wang', subject: 'lecturer' });
    await lecturer.getByTestId('toggle-camera').click();
    await lecturer.getByTestId('go-live-button').click();

    const student = await open(B, 'failover-student', { role: 'student', name: 'Li Hua', subject: 'student-b' });
    await eventually(() => cameraBytes(student), (b) => b > 0, 30_000, 'student receives the lecture on B');
    expect((await student.evaluate(() => window.__tongtang!.request('hand:raise', {}))).ok).toBe(true);
    await eventually(() => state(student), (s) => s.handPosition === 1, 10_000, 'hand raised on B');
    expect((await state(student)).nodeUrl).toBe(B.url);

    const killedAt = Date.now();
    await B.kill();
    const moved = await eventually(
      () => state(student),
      (s) => s.nodeUrl !== B.url && s.connected && s.joined,
      45_000,
      'student page reconnected to another node',
    );
    const recoveredMs = Date.now() - killedAt;
    expect([A.url, C.url]).toContain(moved.nodeUrl);
    expect(moved.fatal).toBeNull();
    await eventually(() => state(student), (s) => s.handPosition === 1, 20_000, 'hand still first in the queue');

    // The lecture flows again, through the new node's worker.
    const first = await eventually(() => cameraBytes(student), (b) => b > 0, 30_000, 'student receives the lecture again');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await cameraBytes(student)).toBeGreaterThan(first);
    // The lecturer's queue still shows the student, once.
    await expect.poll(() => lecturer.locator('[data-participant="student-b"]').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(student, 'e2e-failover-student-moved');
    console.info(`student page back on ${moved.nodeUrl} ${recoveredMs} ms after node B was killed`);
  });
});
