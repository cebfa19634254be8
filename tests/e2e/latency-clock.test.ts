/**
 * The glass-to-glass clock behind `npm run bench:latency` (load-tests/src/latency/) reads a live
 * stream correctly: the lecturer's camera is the clock canvas, a partner classroom's projector
 * decodes the clock from the frames it shows, through the real SFU. Checked for sanity (a latency
 * between 0 and 2 s, mostly valid frames, at 720p), not for speed: the bench measures that.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_RECEIVER, CLOCK_SENDER_WITH_SELF_VIEW } from '@tongtang/load-tests';
import { eventually } from '../helpers/browser.ts';
import { startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

interface Sample { ms: number; width: number; height: number }
type ClockWindow = { __clock: { samples(): Sample[]; invalid(): Array<{ width: number; height: number }> } };
const samples = (page: Page) => page.evaluate(() => (window as unknown as ClockWindow).__clock.samples());
const invalid = (page: Page) => page.evaluate(() => (window as unknown as ClockWindow).__clock.invalid());

let lecture: NsLecture;
let lecturer: Page;
let room: Page;

beforeAll(async () => {
  lecture = await startNsLecture('latency-clock');
  try {
    lecturer = await lecture.open('clock-lecturer', 'lecturer', { initScript: CLOCK_SENDER_WITH_SELF_VIEW });
    await lecture.goLive(lecturer);
    room = await lecture.open('clock-room', 'classroom', {
      initScript: CLOCK_RECEIVER, extra: { classroomId: 'clock-1', classroomName: 'Clock Room' },
    });
  } catch (err) {
    await lecture?.close();
    throw err;
  }
}, 150_000);
afterAll(() => lecture?.close(), 60_000);

describe('the glass-to-glass clock', () => {
  it('is read back from the projector\'s decoded frames of the lecturer\'s camera', async () => {
    const got = await eventually(() => samples(room), (s) => s.filter((x) => x.width === 1280).length >= 60, 90_000, 'the projector reads 60 clocks at 720p');
    const at720 = got.filter((x) => x.width === 1280 && x.height === 720).map((x) => x.ms).sort((a, b) => a - b);
    const median = at720[Math.floor(at720.length / 2)]!;
    const unreadable = (await invalid(room)).filter((x) => x.width === 1280 && x.height === 720).length;
    console.log(`clock: ${got.length} frames read, median ${median} ms (min ${at720[0]}, max ${at720.at(-1)}), ${unreadable} unreadable at 720p`);
    expect(at720.length).toBeGreaterThanOrEqual(60);
    // Sane values: after the time it was drawn, and well under the 2 s a broken decode would show.
    expect(at720[0]).toBeGreaterThan(0);
    expect(at720.at(-1)).toBeLessThan(2000);
    // The projector's lecture video is the one carrying the clock (the stage, at 720p).
    const stage = room.getByTestId('lecture-video').locator('video');
    expect(await stage.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(1280);
    // Nearly every 720p frame shown carries a readable clock (a damaged one fails its checksum).
    expect(unreadable).toBeLessThan(at720.length / 10);
    // The self-view on the lecturer's page reads its own canvas too: the capture's own share.
    const self = await eventually(() => samples(lecturer), (s) => s.length >= 30, 30_000, 'the self-view reads the clock');
    expect(Math.min(...self.map((x) => x.ms))).toBeGreaterThanOrEqual(0);
  });
});
