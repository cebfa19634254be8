import { describe, expect, it } from 'vitest';
import { receptionMode, recordChange, starvedShare, WINDOW_MS, type VideoReception } from './reception.ts';

/** A video that was starved (or not) from `at` on. */
function video(source: VideoReception['source'], ...changes: [number, boolean][]): VideoReception {
  const v: VideoReception = { source, changes: [] };
  for (const [at, starved] of changes) recordChange(v, at, starved);
  return v;
}

describe('starvedShare', () => {
  it('weighs starved time over the window, counting a state that began before it', () => {
    expect(starvedShare(video('camera', [0, true]), 10_000)).toBe(1);
    expect(starvedShare(video('camera', [0, false], [7_000, true]), 10_000)).toBeCloseTo(3_000 / WINDOW_MS);
    expect(starvedShare(video('camera', [0, true], [7_000, false], [8_000, true], [9_000, false]), 10_000)).toBeCloseTo(4_000 / WINDOW_MS);
  });

  it('forgets changes wholly before the window', () => {
    const v = video('camera', [0, true], [1_000, false], [2_000, true], [20_000, false]);
    expect(v.changes.map((c) => c.at)).toEqual([2_000, 20_000]);
  });
});

describe('receptionMode', () => {
  it('is full while the camera mostly flows, and with no layered video at all', () => {
    expect(receptionMode([], 10_000)).toBe('full');
    expect(receptionMode([video('camera', [0, false], [9_000, true]), video('screen', [0, false])], 10_000)).toBe('full');
  });

  it('steps down to audio plus slides when the camera starves most of the window and the slides flow', () => {
    expect(receptionMode([video('camera', [0, true], [8_000, false], [8_500, true]), video('screen', [0, false])], 10_000)).toBe('slides');
  });

  it('steps down to audio only when the slides starve too, or when there are no slides', () => {
    expect(receptionMode([video('camera', [0, true]), video('screen', [0, true])], 10_000)).toBe('audio');
    expect(receptionMode([video('camera', [0, true])], 10_000)).toBe('audio');
  });

  it('climbs back only once the camera is hardly starved any more (no flapping)', () => {
    // Starved 40 % of the window: enough to stay down once down, not enough to step down.
    const wobbling = () => [video('camera', [0, true], [6_000, false], [8_000, true], [8_400, false]), video('screen', [0, false])];
    expect(starvedShare(wobbling()[0]!, 10_000)).toBeCloseTo(0.4);
    expect(receptionMode(wobbling(), 10_000, 'full')).toBe('full');
    expect(receptionMode(wobbling(), 10_000, 'slides')).toBe('slides');
    expect(receptionMode([video('camera', [0, true], [5_000, false]), video('screen', [0, false])], 20_000, 'slides')).toBe('full');
  });

  it('needs every camera gone: one flowing camera keeps the lecture full', () => {
    expect(receptionMode([video('camera', [0, true]), video('camera', [0, false]), video('screen', [0, false])], 10_000)).toBe('full');
  });
});
