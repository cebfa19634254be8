/**
 * Time to adapt: a student's link drops from open to 300 kbit/s (kashgar's rate, tbf on its veth,
 * no loss or delay so only bandwidth moves) and later recovers. The slides on the stage must fall
 * to their low layer and climb back to the full one; both times are measured (down 4.0–7.7 s,
 * back up 1.5–15.7 s in three runs).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type NetnsConditions, type NetworkProfile } from '@tongtang/load-tests';
import { eventually } from '../helpers/browser.ts';
import { inbound, inboundOf, startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

const lectureId = 'adapt-lecture';
const RATE_ONLY: NetworkProfile = {
  name: 'rate-only', description: 'kashgar\'s 300 kbit/s, nothing else',
  down: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: PROFILES.kashgar.down.rateKbit! },
  up: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: PROFILES.kashgar.up.rateKbit! },
};
let lecture: NsLecture;
let conditions: NetnsConditions | undefined;

const screenWidth = async (page: Page) => inboundOf(await inbound(page), 'adapt-lecturer', 'screen')?.frameWidth ?? 0;

beforeAll(async () => {
  lecture = await startNsLecture(lectureId, async (l) => {
    await l.goLive(await l.open('adapt-lecturer', 'lecturer'), true);
    conditions = await l.shape(RATE_ONLY);
  });
}, 120_000);
afterAll(() => lecture?.close(), 60_000);

describe('a link that drops to 300 kbit/s and recovers', () => {
  // One retry, same bounds: the climb back depends on the lecturer's Chromium still sending its
  // top screen layer, which its encoder may drop for a while when the machine is busy (one run
  // of the fresh-clone suite waited over 90 s; the same code passed alone and in other full runs).
  it('takes the slides down to their low layer and back up, in measured time', { timeout: 240_000, retry: 1 }, async () => {
    const page = await lecture.open('adapt-student', 'student', { inNamespace: true });
    await eventually(() => screenWidth(page), (w) => w >= 1000, 60_000, 'full slides on the open link');
    conditions!.capBandwidth();
    const capped = Date.now();
    await eventually(() => screenWidth(page), (w) => w > 0 && w <= 640, 60_000, 'slides down to the low layer');
    const downMs = Date.now() - capped;
    await new Promise((r) => setTimeout(r, 5_000)); // a while on the thin link
    conditions!.uncapBandwidth();
    const uncapped = Date.now();
    await eventually(() => screenWidth(page), (w) => w >= 1000, 90_000, 'slides back to the full layer');
    const upMs = Date.now() - uncapped;
    console.log(`adapt to 300 kbit/s: slides down to the low layer in ${downMs} ms, back to the full layer ${upMs} ms after the link recovered`);
    const stage = page.getByTestId('lecture-video').locator('video');
    expect(await stage.evaluate((v: HTMLVideoElement) => !v.paused && v.videoWidth >= 1000)).toBe(true);
  });
});
