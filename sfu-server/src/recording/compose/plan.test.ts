import { describe, expect, it } from 'vitest';
import type { Clip, RecordedEvent } from './inputs.ts';
import { merge, planReplay, REGIONS, subtract } from './plan.ts';
import { chaptersVtt, stamp } from './vtt.ts';

const T0 = 1_700_000_000_000;
let n = 0;
function clip(over: Partial<Clip> & Pick<Clip, 'kind' | 'source' | 'role' | 'startMs' | 'endMs'>): Clip {
  n++;
  return { file: `/r/${n}.webm`, participantId: over.role === 'lecturer' ? 'lec' : 'stu', displayName: over.role === 'lecturer' ? '王老师' : '李同学', site: null, producerId: `p${n}`, segment: 1, ...over };
}
const ev = (offset: number, type: string, extra: Record<string, unknown> = {}): RecordedEvent => ({ at: T0 + offset, type, ...extra });

describe('replay plan', () => {
  const lecturerCam = clip({ kind: 'video', source: 'camera', role: 'lecturer', startMs: T0 + 500, endMs: T0 + 60_000 });
  const screen = clip({ kind: 'video', source: 'screen', role: 'lecturer', startMs: T0 + 10_000, endMs: T0 + 40_000 });
  const speaker = clip({ kind: 'video', source: 'camera', role: 'student', startMs: T0 + 20_000, endMs: T0 + 30_000 });
  const mic = clip({ kind: 'audio', source: 'microphone', role: 'lecturer', startMs: T0 + 400, endMs: T0 + 60_000 });
  const events = [
    ev(0, 'recording.started'),
    ev(20_000, 'floor.granted', { participantId: 'stu', displayName: '李同学', site: 'kashgar-1' }),
    ev(30_000, 'floor.revoked', { participantId: 'stu' }),
    ev(42_000, 'poll.opened', { pollId: 'q1', question: 'Which gas is noble?' }),
    ev(50_000, 'poll.closed', { pollId: 'q1' }),
    ev(61_000, 'recording.stopped', { reason: null }),
  ];
  const plan = planReplay({ clips: [lecturerCam, screen, speaker, mic], events });

  it('starts at the recording start and lasts until it stopped', () => {
    expect(plan.videoStartedAt).toBe(T0);
    expect(plan.durationMs).toBe(61_000);
  });

  it('puts the slides large and the lecturer in the inset while slides show, the lecturer large otherwise', () => {
    const cam = plan.video.filter((p) => p.clip === 0);
    expect(cam.filter((p) => p.box === REGIONS.main).map((p) => [p.fromMs, p.toMs])).toEqual([[500, 10_000], [40_000, 60_000]]);
    expect(cam.filter((p) => p.box === REGIONS.lecturerInset).map((p) => [p.fromMs, p.toMs])).toEqual([[10_000, 40_000]]);
    expect(plan.video.find((p) => p.clip === 1)).toMatchObject({ box: REGIONS.main, fromMs: 10_000, toMs: 40_000 });
  });

  it('shows the floor speaker while they speak, drawn after (above) the large pictures', () => {
    const i = plan.video.findIndex((p) => p.clip === 2);
    expect(plan.video[i]).toMatchObject({ box: REGIONS.speaker[0], fromMs: 20_000, toMs: 30_000 });
    expect(plan.video.slice(0, i).every((p) => p.box === REGIONS.main)).toBe(true);
  });

  it('mixes audio at its offset and makes a chapter per floor turn and poll', () => {
    expect(plan.audio).toEqual([{ clip: 3, offsetMs: 400 }]);
    expect(plan.chapters).toEqual([
      { kind: 'floor', fromMs: 20_000, toMs: 30_000, title: '李同学 (kashgar-1)' },
      { kind: 'poll', fromMs: 42_000, toMs: 50_000, title: 'Which gas is noble?' },
    ]);
  });

  it('lists the hole between two segments of one track as a gap, not jitter', () => {
    const a = clip({ kind: 'video', source: 'camera', role: 'lecturer', startMs: T0, endMs: T0 + 10_000, producerId: 'cam' });
    const b = clip({ kind: 'video', source: 'camera', role: 'lecturer', startMs: T0 + 13_000, endMs: T0 + 20_000, producerId: 'cam', segment: 2 });
    const c = clip({ kind: 'video', source: 'camera', role: 'lecturer', startMs: T0 + 20_200, endMs: T0 + 30_000, producerId: 'cam', segment: 3 });
    expect(planReplay({ clips: [a, b, c], events: [] }).gaps).toEqual([{ fromMs: 10_000, toMs: 13_000, track: 'camera of 王老师' }]);
  });

  it('gives a second simultaneous speaker the next slot and shows no third', () => {
    const s = [1, 2, 3].map((i) => clip({ kind: 'video', source: 'camera', role: 'student', startMs: T0 + i * 100, endMs: T0 + 5_000 }));
    const p = planReplay({ clips: s, events: [] });
    expect(p.video.map((v) => v.box)).toEqual([REGIONS.speaker[0], REGIONS.speaker[1]]);
  });

  it('has nothing to place for an empty recording', () => {
    const p = planReplay({ clips: [], events: [ev(0, 'recording.started'), ev(5_000, 'recording.stopped')] });
    expect(p.video).toEqual([]);
    expect(p.audio).toEqual([]);
  });
});

describe('spans', () => {
  it('merges overlaps and subtracts', () => {
    expect(merge([{ fromMs: 5, toMs: 10 }, { fromMs: 0, toMs: 6 }, { fromMs: 20, toMs: 30 }])).toEqual([{ fromMs: 0, toMs: 10 }, { fromMs: 20, toMs: 30 }]);
    expect(subtract({ fromMs: 0, toMs: 40 }, [{ fromMs: 10, toMs: 20 }, { fromMs: 30, toMs: 50 }])).toEqual([{ fromMs: 0, toMs: 10 }, { fromMs: 20, toMs: 30 }]);
  });
});

describe('chapters.vtt', () => {
  it('writes WebVTT cues with escaped text and ids by kind', () => {
    const vtt = chaptersVtt([
      { kind: 'floor', fromMs: 20_000, toMs: 3_725_500, title: 'A <b> & B' },
      { kind: 'poll', fromMs: 1_000, toMs: 2_000, title: 'Q?' },
    ]);
    expect(vtt).toBe('WEBVTT\n\nfloor-1\n00:00:20.000 --> 01:02:05.500\nA &lt;b&gt; &amp; B\n\npoll-1\n00:00:01.000 --> 00:00:02.000\nQ?\n');
    expect(stamp(59_999)).toBe('00:00:59.999');
  });
});
