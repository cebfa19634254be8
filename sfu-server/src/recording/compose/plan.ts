/**
 * The replay's timeline, decided from the clips and the event log alone (pure, tested alone):
 * the slides large with the lecturer's camera in picture-in-picture, the lecturer large when
 * there are no slides, the floor speaker beside them while they hold the floor; every audio
 * track mixed; a chapter per floor turn and per poll; the gaps a dead recorder left.
 * Times are milliseconds from the video's start.
 */
import type { Clip, RecordedEvent, RecordingInputs } from './inputs.ts';

export const CANVAS = { width: 1280, height: 720 } as const;
const MARGIN = 20;

export interface Box { x: number; y: number; width: number; height: number }

/** Where each region of the picture sits. */
export const REGIONS = {
  main: { x: 0, y: 0, width: CANVAS.width, height: CANVAS.height },
  lecturerInset: { x: CANVAS.width - 320 - MARGIN, y: CANVAS.height - 180 - MARGIN, width: 320, height: 180 },
  /** Speakers on the floor, side by side from the bottom left (two at most are shown). */
  speaker: [0, 1].map((i) => ({ x: MARGIN + i * (400 + MARGIN), y: CANVAS.height - 225 - MARGIN, width: 400, height: 225 })),
} as const;

export interface Span { fromMs: number; toMs: number }

export interface Placement extends Span {
  clip: number;
  box: Box;
}

export interface Chapter extends Span {
  kind: 'floor' | 'poll';
  title: string;
}

export interface Gap extends Span {
  /** Whose track is missing, e.g. "camera of 王老师". */
  track: string;
}

export interface Plan {
  /** Wall-clock time of the video's first frame. */
  videoStartedAt: number;
  durationMs: number;
  clips: Clip[];
  video: Placement[];
  audio: { clip: number; offsetMs: number }[];
  chapters: Chapter[];
  gaps: Gap[];
}

/** A hole between two segments of one track shorter than this is jitter, not a gap. */
const GAP_MIN_MS = 500;

export function planReplay({ clips, events }: RecordingInputs): Plan {
  const started = events.find((e) => e.type === 'recording.started')?.at;
  const stopped = [...events].reverse().find((e) => e.type === 'recording.stopped')?.at;
  const t0 = Math.min(started ?? Infinity, ...clips.map((c) => c.startMs));
  const end = stopped ?? Math.max(...clips.map((c) => c.endMs), t0);
  const at = (ms: number): number => Math.max(0, Math.min(end, ms) - t0);
  const span = (c: Clip): Span => ({ fromMs: at(c.startMs), toMs: at(c.endMs) });

  const screens = merge(clips.filter((c) => c.kind === 'video' && c.source === 'screen').map(span));
  const video: Placement[] = [];
  clips.forEach((c, clip) => {
    if (c.kind !== 'video') return;
    const s = span(c);
    if (s.toMs <= s.fromMs) return;
    if (c.source === 'screen') video.push({ clip, ...s, box: REGIONS.main });
    else if (c.role === 'lecturer') {
      for (const part of subtract(s, screens)) video.push({ clip, ...part, box: REGIONS.main });
      for (const part of intersect(s, screens)) video.push({ clip, ...part, box: REGIONS.lecturerInset });
    }
  });
  placeSpeakers(clips, span, video);
  // Drawn in order: the large picture first, insets on top.
  video.sort((a, b) => area(b.box) - area(a.box) || a.fromMs - b.fromMs);

  const audio = clips.flatMap((c, clip) => (c.kind === 'audio' && span(c).toMs > span(c).fromMs ? [{ clip, offsetMs: span(c).fromMs }] : []));
  return {
    videoStartedAt: t0,
    durationMs: Math.max(0, end - t0),
    clips,
    video,
    audio,
    chapters: chaptersOf(events, at),
    gaps: gapsOf(clips, at),
  };
}

/** The floor's cameras (whoever is not the lecturer): each speaker gets the first free slot. */
function placeSpeakers(clips: Clip[], span: (c: Clip) => Span, video: Placement[]): void {
  const taken: Span[][] = REGIONS.speaker.map(() => []);
  clips.forEach((c, clip) => {
    if (c.kind !== 'video' || c.source === 'screen' || c.role === 'lecturer') return;
    const s = span(c);
    if (s.toMs <= s.fromMs) return;
    const slot = taken.findIndex((spans) => spans.every((t) => t.toMs <= s.fromMs || t.fromMs >= s.toMs));
    if (slot < 0) return; // a third simultaneous speaker is heard, not shown
    taken[slot]!.push(s);
    video.push({ clip, ...s, box: REGIONS.speaker[slot]! });
  });
}

function chaptersOf(events: RecordedEvent[], at: (ms: number) => number): Chapter[] {
  const out: Chapter[] = [];
  const lastAt = events.length ? events[events.length - 1]!.at : 0;
  const closing = (from: number, match: (e: RecordedEvent) => boolean): number =>
    events.find((e) => e.at >= from && match(e))?.at ?? lastAt;
  for (const e of events) {
    if (e.type === 'floor.granted') {
      const to = closing(e.at, (x) => x.type === 'floor.revoked' && x['participantId'] === e['participantId']);
      const site = typeof e['site'] === 'string' && e['site'] !== 'online' ? ` (${e['site']})` : '';
      out.push({ kind: 'floor', fromMs: at(e.at), toMs: at(to), title: `${String(e['displayName'] ?? '')}${site}` });
    } else if (e.type === 'poll.opened') {
      const to = closing(e.at, (x) => x.type === 'poll.closed' && x['pollId'] === e['pollId']);
      out.push({ kind: 'poll', fromMs: at(e.at), toMs: at(to), title: String(e['question'] ?? '') });
    }
  }
  return out.map((c) => (c.toMs > c.fromMs ? c : { ...c, toMs: c.fromMs + 1_000 })).sort((a, b) => a.fromMs - b.fromMs);
}

/** Between two segments of one producer: its recorder died and came back. */
function gapsOf(clips: Clip[], at: (ms: number) => number): Gap[] {
  const byProducer = new Map<string, Clip[]>();
  for (const c of clips) byProducer.set(c.producerId, [...(byProducer.get(c.producerId) ?? []), c]);
  const gaps: Gap[] = [];
  for (const segments of byProducer.values()) {
    segments.sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < segments.length; i++) {
      const [before, after] = [segments[i - 1]!, segments[i]!];
      if (after.startMs - before.endMs >= GAP_MIN_MS) {
        gaps.push({ fromMs: at(before.endMs), toMs: at(after.startMs), track: `${after.source} of ${after.displayName}` });
      }
    }
  }
  return gaps.sort((a, b) => a.fromMs - b.fromMs);
}

export function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.fromMs - b.fromMs)) {
    const last = out[out.length - 1];
    if (last && s.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, s.toMs);
    else if (s.toMs > s.fromMs) out.push({ ...s });
  }
  return out;
}

/** The parts of `s` that none of the (merged) spans cover. */
export function subtract(s: Span, spans: Span[]): Span[] {
  const out: Span[] = [];
  let from = s.fromMs;
  for (const t of spans) {
    if (t.toMs <= from || t.fromMs >= s.toMs) continue;
    if (t.fromMs > from) out.push({ fromMs: from, toMs: t.fromMs });
    from = Math.max(from, t.toMs);
  }
  if (from < s.toMs) out.push({ fromMs: from, toMs: s.toMs });
  return out;
}

export function intersect(s: Span, spans: Span[]): Span[] {
  return spans.flatMap((t) => {
    const fromMs = Math.max(s.fromMs, t.fromMs);
    const toMs = Math.min(s.toMs, t.toMs);
    return toMs > fromMs ? [{ fromMs, toMs }] : [];
  });
}

function area(b: Box): number {
  return b.width * b.height;
}
