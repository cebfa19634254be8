/** The chapters as WebVTT: one cue per floor turn and per poll; the cue id says which. Pure. */
import type { Chapter } from './plan.ts';

export function chaptersVtt(chapters: readonly Chapter[]): string {
  const counts = { floor: 0, poll: 0 };
  const cues = chapters.map((c) => `${c.kind}-${++counts[c.kind]}\n${stamp(c.fromMs)} --> ${stamp(c.toMs)}\n${escapeCue(c.title) || '—'}\n`);
  return ['WEBVTT\n', ...cues].join('\n');
}

export function stamp(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
}

/** Cue text may not hold "-->", and &, < are markup. */
function escapeCue(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s+/g, ' ').trim();
}
