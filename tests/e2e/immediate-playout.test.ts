/**
 * Immediate playout for the roles in IMMEDIATE_PLAYOUT_ROLES (here: the partner classroom's
 * projector). The patched worker marks every video packet with the playout-delay extension (min 0,
 * max 0); the projector's consumer parameters map it, so Chromium hands each frame to the screen
 * as soon as it is decoded: its jitter buffer holds a frame for about half a millisecond instead of
 * the 8–50 ms of smooth playout (docs/benchmarks.md). A student, not in the list, does not map the
 * extension, keeps smooth playout, and its video plays as before.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/browser.ts';
import { startNsLecture, type NsLecture } from '../helpers/nsLecture.ts';
import { count, mapsPlayoutDelay, RECORD_PEER_CONNECTIONS, widestVideo } from '../helpers/peerStats.ts';

let lecture: NsLecture;
let room: Page;
let student: Page;

/** Chromium's counters of the lecturer's camera as the page receives it: frames decoded, jitter-buffer seconds and frames. */
async function cameraIn(page: Page) {
  const s = await widestVideo(page, 'inbound-rtp');
  return { decoded: count(s, 'framesDecoded'), jitterS: count(s, 'jitterBufferDelay'), emitted: count(s, 'jitterBufferEmittedCount') };
}

/** Milliseconds a frame waited in the jitter buffer over `ms`, and the frames decoded meanwhile. */
async function heldOver(page: Page, ms: number): Promise<{ heldMs: number; frames: number }> {
  const a = await cameraIn(page);
  await new Promise((r) => setTimeout(r, ms));
  const b = await cameraIn(page);
  return { heldMs: (1000 * (b.jitterS - a.jitterS)) / Math.max(1, b.emitted - a.emitted), frames: b.decoded - a.decoded };
}

beforeAll(async () => {
  lecture = await startNsLecture('immediate-playout', async (l) => {
    await l.goLive(await l.open('ip-lecturer', 'lecturer'));
    room = await l.open('ip-room', 'classroom', { initScript: RECORD_PEER_CONNECTIONS, extra: { classroomId: 'ip-1', classroomName: 'Projector Room' } });
    student = await l.open('ip-student', 'student', { initScript: RECORD_PEER_CONNECTIONS });
  }, { immediatePlayoutRoles: new Set(['classroom'] as const) });
}, 150_000);
afterAll(() => lecture?.close(), 60_000);

describe('immediate playout for projector rooms', () => {
  it('plays the projector\'s video as soon as it is decoded, and leaves the student on smooth playout', async () => {
    await eventually(() => cameraIn(room), (s) => s.decoded > 60, 60_000, 'the projector decodes the lecturer');
    await eventually(() => cameraIn(student), (s) => s.decoded > 30, 60_000, 'the student decodes the lecturer');
    expect(await mapsPlayoutDelay(room)).toBe(true);
    expect(await mapsPlayoutDelay(student)).toBe(false);
    const [projector, smooth] = await Promise.all([heldOver(room, 5_000), heldOver(student, 5_000)]);
    console.log(`jitter buffer per frame: projector (immediate) ${projector.heldMs.toFixed(1)} ms over ${projector.frames} frames; `
      + `student (smooth) ${smooth.heldMs.toFixed(1)} ms over ${smooth.frames} frames`);
    expect(projector.frames).toBeGreaterThan(50);
    expect(projector.heldMs).toBeLessThan(5);
    // The student ignores the extension its parameters do not map: its video still plays.
    expect(smooth.frames).toBeGreaterThan(25);
  });
});
