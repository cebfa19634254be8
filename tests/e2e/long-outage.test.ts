/**
 * A 40 s outage of one site (a student holding the floor; Chromium in a network namespace, every
 * packet dropped both ways). Longer than the signaling connection survives (Socket.IO ping every
 * 10 s, 10 s timeout), so the server detaches the connection after ~20 s: its transports, producer
 * and consumers are closed. The participant keeps its place for LEAVE_GRACE_MS (45 s): it stays
 * on the floor. When the link comes back the page rejoins on its own — new transports and
 * consumers, without a click — telling the user with the reconnecting banner and then
 * "reconnected", and speaks again: its floor turn is intact. The time from the link's return to
 * the lecturer's video playing again is measured.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { eventually } from '../helpers/browser.ts';
import { startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

const lectureId = 'long-outage-lecture';
const TABLE = `tt_long_outage_${process.pid % 100_000}`;
let lecture: NsLecture;

const state = (page: Page) => page.evaluate(() => window.__tongtang!.state());
const inbound = (page: Page) => page.evaluate(() => window.__tongtang!.inboundStats()) as Promise<InboundStats[]>;
const frames = async (page: Page) =>
  (await inbound(page)).find((s) => s.participantId === 'long-lecturer' && s.source === 'camera')?.framesDecoded ?? 0;

const cut = () => lecture.ns.firewall(`table inet ${TABLE} {
  chain in { type filter hook input priority 0; policy drop; iif "lo" accept; }
  chain out { type filter hook output priority 0; policy drop; oif "lo" accept; }
}`);
const restore = () => {
  try {
    execFileSync('ip', ['netns', 'exec', lecture.ns.name, 'nft', 'delete', 'table', 'inet', TABLE], { stdio: 'pipe' });
  } catch {
    // not cut
  }
};
const teardown = () => lecture?.close(restore);

let lecturer: Page;
let student: Page;

beforeAll(async () => {
  lecture = await startNsLecture(lectureId);
  try {
    lecturer = await lecture.open('long-lecturer', 'lecturer');
    await lecture.goLive(lecturer);
    student = await lecture.open('long-student', 'student', { inNamespace: true });
    await student.getByTestId('raise-hand-button').click();
    const entry = lecturer.locator('[data-testid^="hand-entry-"][data-participant="long-student"]');
    await eventually(() => entry.count(), (n) => n === 1, 20_000, 'the lecturer sees the hand');
    const entryId = (await entry.getAttribute('data-testid'))!.replace('hand-entry-', '');
    await lecturer.getByTestId(`grant-button-${entryId}`).click();
    await eventually(() => state(student), (s) => s.producers.some((p) => p.source === 'microphone'), 40_000, 'student speaks');
    await eventually(() => frames(student), (n) => n > 30, 30_000, 'student sees the lecturer');
  } catch (err) {
    await teardown();
    throw err;
  }
}, 180_000);
afterAll(teardown, 60_000);

describe('a 40 s outage of one site', () => {
  it('rejoins on its own with new transports, telling the user, and speaks again: its floor turn was kept', async () => {
    const before = await state(student);
    cut();
    // The page notices: the reconnecting banner, in the page's language.
    await expect.poll(() => student.getByRole('alert').filter({ hasText: zhCN.reconnect.lost }).count(), { timeout: 35_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 40_000 - 25_000));
    // The connection is gone by now (its microphone left the lecturer), the floor turn is kept.
    await eventually(() => state(lecturer), (s) => !s.consumers.some((c) => c.participantId === before.participantId && c.source === 'microphone'),
      20_000, 'the dropped connection\'s microphone is gone');
    expect((await state(lecturer)).speakers).toContain(before.participantId);
    const seen = await frames(student);
    restore();
    const back = Date.now();
    await expect.poll(() => student.getByRole('status').filter({ hasText: zhCN.reconnect.back }).count(), { timeout: 60_000 }).toBe(1);
    const joinedMs = Date.now() - back;
    // Rejoined with a new consumer of the lecturer's camera (the old transports are gone), playing.
    await eventually(async () => {
      const s = await state(student);
      const c = s.consumers.find((x) => x.participantId === 'long-lecturer' && x.source === 'camera');
      return c && !before.consumers.some((o) => o.id === c.id) ? await frames(student) : 0;
    }, (n) => n > 10, 60_000, 'video back at the student on a new consumer');
    const videoMs = Date.now() - back;
    console.log(`40 s outage (${seen} frames still counted when the link returned): rejoined ${joinedMs} ms after the link returned, video playing after ${videoMs} ms`);
    const after = await state(student);
    expect(after.joined).toBe(true);
    expect(after.participantId).toBe(before.participantId);
    // Still on the floor, and speaking again: the lecturer receives its new microphone.
    expect((await state(lecturer)).speakers).toContain(before.participantId);
    await eventually(() => state(lecturer), (s) => s.consumers.some((c) => c.participantId === before.participantId && c.source === 'microphone'),
      30_000, 'the lecturer hears the speaker again');
    expect(videoMs).toBeLessThan(60_000);
  });
});
