import { describe, expect, it } from 'vitest';
import { GAP_MS, GapTracker } from './mediaGaps.ts';

describe('GapTracker', () => {
  it('counts silences longer than GAP_MS per stream, and how long each took to recover', () => {
    const g = new GapTracker();
    for (let t = 0; t <= 1_000; t += 20) g.packet('L/camera', t);
    g.packet('L/camera', 4_000); // a 3 s outage, then media again
    for (let t = 4_020; t <= 5_000; t += 20) g.packet('L/camera', t);
    g.packet('L/microphone', 0);
    g.packet('L/microphone', GAP_MS); // exactly GAP_MS is not a gap
    const [camera, mic] = g.summary(5_010);
    expect(camera).toEqual({ stream: 'L/camera', count: 1, longestMs: 3_000, recoveredMs: [3_000], openMs: null });
    expect(mic).toMatchObject({ stream: 'L/microphone', count: 0, openMs: 4_010, longestMs: 4_010 });
  });

  it('does not count a stream it was told to forget', () => {
    const g = new GapTracker();
    g.packet('S/microphone', 0);
    g.forget('S/microphone');
    expect(g.summary(10_000)).toEqual([]);
  });
});
