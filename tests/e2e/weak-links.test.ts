/**
 * The model case of issue 12: a student in Kashgar, 4,000 km from the server, on 300 kbit/s down,
 * 150 ms RTT and 3 % loss (the `kashgar` profile of load-tests/src/net, applied to the student's
 * Chromium in a network namespace: tbf caps, nftables loss, delay through the harness's relay).
 * The lecturer, on a good link, shares slides and talks on camera. The student must keep the
 * lecture: the stage's videos keep playing, the slides arrive on their low layer, the lecturer's
 * camera on its lowest, and the audio stays continuous (concealed-samples ratio bounded).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type NetnsConditions } from '@tongtang/load-tests';
import type { InboundStats } from '../../web-client/src/media/stats.ts';
import { eventually, screenshot } from '../helpers/browser.ts';
import { inbound, inboundOf, startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';

const lectureId = 'kashgar-lecture';
let lecture: NsLecture;
let conditions: NetnsConditions | undefined;

const find = (s: InboundStats[], source: string) => inboundOf(s, 'kashgar-lecturer', source);

/** What a person sees of a video element: is it playing, how far has it got, how big is the picture. */
const playback = (video: Locator) =>
  video.evaluate((v: HTMLVideoElement) => ({ paused: v.paused, time: v.currentTime, width: v.videoWidth }));

beforeAll(async () => {
  lecture = await startNsLecture(lectureId, async (l) => {
    await l.goLive(await l.open('kashgar-lecturer', 'lecturer'), true);
    conditions = await l.shape(PROFILES.kashgar); // the namespace's UDP to the media port goes through the relay
  });
}, 120_000);
afterAll(() => lecture?.close(), 60_000);

describe('a student on the kashgar link (300 kbit/s, 150 ms RTT, 3 % loss)', () => {
  // One retry, same bounds: once in five runs the camera decoded 17 frames in the 30 s window
  // (398 when rerun at once), the bandwidth estimate not yet settled on the lossy link.
  it('keeps the lecture: slides on their low layer, the camera on its lowest, audio continuous', { retry: 1 }, async () => {
    const page = await lecture.open('kashgar-student', 'student', { inNamespace: true });
    // The page itself (~700 kB) loads over the unshaped link; the cap goes on once it has joined.
    conditions!.capBandwidth();
    const rtt = await eventually(() => page.evaluate(() => window.__tongtang!.network().path?.rttMs ?? null), (r) => r !== null && r >= 140, 60_000, 'the link\'s round trip shows in the ICE RTT');
    const stage = page.getByTestId('lecture-video').locator('video');
    const pip = page.getByTestId('lecture-camera-pip').locator('video');

    // Let the bandwidth estimate settle on the thin link, then watch a 30 s window.
    const flowing = (s: InboundStats[]) => (find(s, 'screen')?.framesDecoded ?? 0) > 0 && (find(s, 'camera')?.framesDecoded ?? 0) > 0
      && (find(s, 'microphone')?.totalSamplesReceived ?? 0) > 0;
    await eventually(() => inbound(page), flowing, 90_000, 'slides, camera and audio all arrive');
    await new Promise((r) => setTimeout(r, 10_000));
    const before = await inbound(page);
    const [stageBefore, pipBefore] = [await playback(stage), await playback(pip)];
    await new Promise((r) => setTimeout(r, 30_000));
    const after = await inbound(page);
    const [stageAfter, pipAfter] = [await playback(stage), await playback(pip)];
    await screenshot(page, 'e2e-weak-link-kashgar');

    // What the student sees: the slides on the stage and the lecturer in the corner, both playing.
    for (const [what, a, b] of [['slides', stageBefore, stageAfter], ['camera', pipBefore, pipAfter]] as const) {
      expect(b.paused, `${what} paused`).toBe(false);
      expect(b.time - a.time, `${what} playback advanced over 30 s`).toBeGreaterThan(20);
      expect(b.width, `${what} picture`).toBeGreaterThan(0);
    }
    const delta = (source: string, key: keyof InboundStats) => (find(after, source)![key] as number) - (find(before, source)![key] as number);
    const screen = find(after, 'screen')!;
    const camera = find(after, 'camera')!;
    const audio = { total: delta('microphone', 'totalSamplesReceived'), concealed: delta('microphone', 'concealedSamples'), silent: delta('microphone', 'silentConcealedSamples') };
    const concealedPct = (100 * audio.concealed) / audio.total;
    const audiblePct = (100 * (audio.concealed - audio.silent)) / audio.total;
    console.log(`kashgar: ICE RTT ${rtt} ms; screen ${screen.frameWidth}x${screen.frameHeight} +${delta('screen', 'framesDecoded')} frames, `
      + `${delta('screen', 'freezeCount')} freezes; camera ${camera.frameWidth}x${camera.frameHeight} +${delta('camera', 'framesDecoded')} frames, `
      + `${delta('camera', 'freezeCount')} freezes (${delta('camera', 'totalFreezesDuration').toFixed(1)} s); audio concealed ${concealedPct.toFixed(2)} % `
      + `(${audiblePct.toFixed(2)} % non-silent), loss rules dropped ${JSON.stringify(conditions!.dropped())}`);

    // Slides: the low screen layer (half size) keeps decoding.
    expect(screen.frameWidth).toBeGreaterThan(0);
    expect(delta('screen', 'framesDecoded')).toBeGreaterThan(30); // the low layer runs at up to 5 fps
    // Camera: the lowest simulcast layer (a quarter of 1280) and still moving.
    expect(camera.frameWidth).toBeGreaterThan(0);
    expect(camera.frameWidth).toBeLessThanOrEqual(320);
    // Still moving: at least 2 frames a second over the ~30 s window (85 and 100+ seen on a loaded machine).
    expect(delta('camera', 'framesDecoded')).toBeGreaterThan(60);
    // Audio: about 30 s of samples played, and what was concealed stays near the link's loss.
    expect(audio.total / 48_000).toBeGreaterThan(25);
    // Bound: twice the link's 3 % loss. With no recovery at all every lost 20 ms packet is concealed
    // (≈ 3 %); jitter-buffer underruns may add as much again; more would mean gaps a listener
    // notices. Measured: 1.9–2.9 % (NACK for Opus recovers part of the loss within the RTT).
    expect(concealedPct).toBeLessThan(6);
    // The loss really happened.
    expect(conditions!.dropped().down).toBeGreaterThan(0);
  });
});
