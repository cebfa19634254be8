/**
 * Below what the lecturer's lowest camera layer needs, a student's page steps down to audio plus
 * slides, then to audio only, says so, and climbs back by itself when the link recovers (issue 12).
 * The student's Chromium runs in a network namespace whose down link the test narrows with tbf:
 * 120 kbit/s (audio and the slides fit, the camera's lowest layer does not: the slides are served
 * first), then 60 kbit/s (audio only), then uncapped. Notices are read as a person reads them, in
 * Chinese and then English; what plays is read from the page's inbound stats.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetnsConditions, NetworkProfile } from '@tongtang/load-tests';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { en } from '../../web-client/src/i18n/en.ts';
import { zhCN } from '../../web-client/src/i18n/zh-CN.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, screenshot } from '../helpers/browser.ts';
import { clippedElements } from '../helpers/clipping.ts';
import { inbound, inboundOf, startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

const lectureId = 'step-down';
let lecture: NsLecture;
let conditions: NetnsConditions | undefined;

/** No delay, no loss: only the rate the test sets. */
const CLEAN: NetworkProfile = {
  name: 'clean', description: 'uncapped until the test narrows it',
  down: { delayMs: 0, jitterMs: 0, lossPct: 0 }, up: { delayMs: 0, jitterMs: 0, lossPct: 0 },
};

const of = (s: InboundStats[], source: string) => inboundOf(s, 'sd-lecturer', source);
const frames = async (page: Page, source: string) => of(await inbound(page), source)?.framesDecoded ?? 0;
const samples = async (page: Page) => of(await inbound(page), 'microphone')?.totalSamplesReceived ?? 0;

/** Frames the source decodes over `ms`. */
async function framesOver(page: Page, source: string, ms: number): Promise<number> {
  const before = await frames(page, source);
  await new Promise((r) => setTimeout(r, ms));
  return (await frames(page, source)) - before;
}

beforeAll(async () => {
  lecture = await startNsLecture(lectureId, async (l) => {
    await l.goLive(await l.open('sd-lecturer', 'lecturer'), true);
    conditions = await l.shape(CLEAN);
  });
}, 120_000);
afterAll(() => lecture?.close(), 60_000);

describe('a link below the lowest video layer', () => {
  it('steps down to audio plus slides, then audio only, says so, and climbs back', { timeout: 300_000 }, async () => {
    const page = await lecture.open('sd-student', 'student', { inNamespace: true });
    const banner = page.getByTestId('reception-banner');
    await eventually(() => inbound(page), (s) => (of(s, 'camera')?.framesDecoded ?? 0) > 30 && (of(s, 'screen')?.framesDecoded ?? 0) > 5,
      60_000, 'camera and slides play on the open link');
    expect(await banner.count()).toBe(0);
    const open = await framesOver(page, 'camera', 6_000);

    // 120 kbit/s: the camera's lowest layer no longer fits beside audio and slides.
    conditions!.setDownRate(120);
    await page.getByRole('status').filter({ hasText: zhCN.reception.slides }).waitFor({ timeout: 90_000 });
    await screenshot(page, 'step-down-slides-zh');
    await expectAccessible(page, 'student stepped down to audio plus slides (zh-CN)');
    expect(await clippedElements(page)).toEqual([]);
    // The media server still lets a camera frame through now and then as its estimate wobbles, but
    // far fewer than the open link decoded in as long. The slides keep coming.
    const [camera, slides] = await Promise.all([framesOver(page, 'camera', 6_000), framesOver(page, 'screen', 6_000)]);
    expect(camera).toBeLessThan(open / 4);
    expect(slides).toBeGreaterThan(0);

    // In English, and narrower still: audio only, and the audio keeps playing.
    await page.getByTestId('language-select').selectOption('en');
    conditions!.setDownRate(60);
    await page.getByRole('status').filter({ hasText: en.reception.audio }).waitFor({ timeout: 90_000 });
    const heard = await samples(page);
    await eventually(() => samples(page), (n) => n > heard + 48_000 * 2, 10_000, 'the audio keeps playing on audio only');
    await screenshot(page, 'step-down-audio-en');
    await expectAccessible(page, 'student stepped down to audio only (en)');
    expect(await clippedElements(page)).toEqual([]);

    // The link recovers: the video comes back by itself, and the page says so.
    conditions!.uncapBandwidth();
    await page.getByRole('status').filter({ hasText: en.reception.back }).waitFor({ timeout: 120_000 });
    await eventually(() => framesOver(page, 'camera', 3_000), (n) => n > 10, 30_000, 'the camera plays again');
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
  });
});
