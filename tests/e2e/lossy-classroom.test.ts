/**
 * A partner classroom on a 2 Mbit/s link with 5 % loss and 200 ms RTT (the `lossy-5` profile; the
 * classroom's Chromium in a network namespace). Its projector must hold the lecturer's camera at
 * 360p or better, with lost packets won back by NACK/RTX; freezes are counted and bounded loosely
 * (they are frequent today: see the bound below).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type NetnsConditions } from '@tongtang/load-tests';
import { eventually, screenshot } from '../helpers/browser.ts';
import { inbound, inboundOf, startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

const lectureId = 'lossy-classroom';
let lecture: NsLecture;
let conditions: NetnsConditions | undefined;

const camera = async (page: Page) => inboundOf(await inbound(page), 'lossy-room-lecturer', 'camera');

beforeAll(async () => {
  lecture = await startNsLecture(lectureId, async (l) => {
    await l.goLive(await l.open('lossy-room-lecturer', 'lecturer'));
    conditions = await l.shape(PROFILES['lossy-5']);
  });
}, 120_000);
afterAll(() => lecture?.close(), 60_000);

describe('a partner classroom on 2 Mbit/s with 5 % loss', () => {
  it('holds the lecturer\'s camera at 360p or better, recovering loss by NACK, with few freezes', async () => {
    const room = await lecture.open('lossy-room', 'classroom', { inNamespace: true, extra: { classroomId: 'kashgar-1', classroomName: 'Kashgar Room 1' } });
    conditions!.capBandwidth();
    await eventually(() => camera(room), (s) => (s?.framesDecoded ?? 0) > 0, 60_000, 'the projector decodes the lecturer');
    await new Promise((r) => setTimeout(r, 10_000)); // the bandwidth estimate settles on the lossy link
    const before = (await camera(room))!;
    const heights: number[] = [];
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      heights.push((await camera(room))!.frameHeight);
    }
    const after = (await camera(room))!;
    await screenshot(room, 'e2e-weak-link-lossy-classroom');
    const minutes = 0.5;
    const freezes = after.freezeCount - before.freezeCount;
    const frozenS = after.totalFreezesDuration - before.totalFreezesDuration;
    const fps = (after.framesDecoded - before.framesDecoded) / 30;
    console.log(`lossy-5 classroom: heights over 30 s ${heights.join(',')}; ${fps.toFixed(1)} fps; ${freezes} freezes (${frozenS.toFixed(2)} s) in 30 s; `
      + `NACKs ${after.nackCount - before.nackCount}; loss rules dropped ${JSON.stringify(conditions!.dropped())}`);

    // What the room sees: the projector's video playing.
    const video = room.getByTestId('lecture-video').locator('video');
    expect(await video.evaluate((v: HTMLVideoElement) => !v.paused && v.videoHeight >= 360)).toBe(true);
    // 360p or better throughout the window (the middle layer is 640×360).
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(360);
    // Loss was being recovered: the projector asked for retransmissions.
    expect(after.nackCount - before.nackCount).toBeGreaterThan(0);
    expect(fps).toBeGreaterThan(5);
    // Freezes are counted, not yet good: a retransmission takes a 200 ms round trip and 5 % of those
    // are lost too, so the picture stalls now and then. Measured 2–28 a minute and 1–29 % of the
    // time frozen; the high figures when the busy machine let the lecturer encode only ~10 fps,
    // where Chromium already calls a 250 ms gap a freeze. The bound catches a collapse (recovery
    // broken: most frames would wait for a key frame), not polish.
    expect(freezes / minutes).toBeLessThanOrEqual(60);
    expect(frozenS / 30).toBeLessThan(0.5);
  });
});
