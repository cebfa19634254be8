/**
 * What a receiver's link lets through, from its layered videos' history: everything; audio plus
 * the slides (the lecturer's camera starved: the link cannot carry its lowest layer, and the slides
 * are served first); or audio only. The media server switches a starved video off and on again as
 * its estimate wobbles, so a video counts as gone when it was starved most of the last WINDOW_MS,
 * and as back only when it was starved hardly at all (hysteresis: no flapping notices). Pure.
 */
import type { ReceptionMode } from '@tongtang/shared';

export const WINDOW_MS = 6_000;
const GONE_SHARE = 0.6;
const BACK_SHARE = 0.2;

export interface VideoReception {
  source: 'camera' | 'screen';
  /** When the video was starved or not, oldest first; the first entry may predate the window. */
  changes: { at: number; starved: boolean }[];
}

/** Records a change and forgets what lies wholly before the window. */
export function recordChange(video: VideoReception, at: number, starved: boolean): void {
  video.changes.push({ at, starved });
  while (video.changes.length > 1 && video.changes[1]!.at <= at - WINDOW_MS) video.changes.shift();
}

/** The share of the last WINDOW_MS (up to `now`) the video spent starved. */
export function starvedShare(video: VideoReception, now: number): number {
  const start = now - WINDOW_MS;
  let starvedMs = 0;
  video.changes.forEach((c, i) => {
    if (!c.starved) return;
    const from = Math.max(c.at, start);
    const to = video.changes[i + 1]?.at ?? now;
    if (to > from) starvedMs += to - from;
  });
  return starvedMs / WINDOW_MS;
}

export function receptionMode(videos: Iterable<VideoReception>, now: number, current: ReceptionMode = 'full'): ReceptionMode {
  const all = [...videos];
  const gone = (source: VideoReception['source'], wasGone: boolean): boolean => {
    const of = all.filter((v) => v.source === source);
    return of.length > 0 && of.every((v) => starvedShare(v, now) >= (wasGone ? BACK_SHARE : GONE_SHARE));
  };
  const camerasGone = gone('camera', current !== 'full');
  if (!camerasGone) return 'full'; // the slides have priority: they only go after the camera
  const hasSlides = all.some((v) => v.source === 'screen');
  return !hasSlides || gone('screen', current === 'audio') ? 'audio' : 'slides';
}
