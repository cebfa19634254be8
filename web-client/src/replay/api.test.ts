import { describe, expect, it } from 'vitest';
import { clock, parseChapters } from './api.ts';

describe('replay chapters', () => {
  it('reads the cues the composition writes', () => {
    const vtt = 'WEBVTT\n\nfloor-1\n00:00:20.000 --> 01:02:05.500\nA &lt;b&gt; &amp; B\n\npoll-1\n00:00:01.000 --> 00:00:02.000\nQ?\n';
    expect(parseChapters(vtt)).toEqual([
      { id: 'floor-1', kind: 'floor', start: 20, end: 3725.5, title: 'A <b> & B' },
      { id: 'poll-1', kind: 'poll', start: 1, end: 2, title: 'Q?' },
    ]);
    expect(parseChapters('WEBVTT\n')).toEqual([]);
  });

  it('prints video times', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65.9)).toBe('1:05');
    expect(clock(3725)).toBe('1:02:05');
  });
});
