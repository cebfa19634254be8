/** What the replay page reads from the server (see signaling/src/http/recordings.ts). */
import type { ReplayStatus } from '@tongtang/shared';

export interface ReplayEvent {
  at: number;
  type: string;
  [field: string]: unknown;
}

export interface ReplayInfo {
  lectureId: string;
  recording: { id: string; state: 'recording' | 'composing' | 'ready' | 'failed'; reason: string | null; startedAt: number | null; durationMs: number | null; bytes: number };
  replay: ReplayStatus | null;
  events: ReplayEvent[];
}

export interface Chapter {
  id: string;
  kind: 'floor' | 'poll' | 'other';
  start: number;
  end: number;
  title: string;
}

export class ReplayError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export function replayBase(lectureId: string, recordingId: string): string {
  return `/api/recordings/${encodeURIComponent(lectureId)}/${encodeURIComponent(recordingId)}`;
}

async function get(url: string, token: string): Promise<Response> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ReplayError(body?.error?.code ?? 'UNAVAILABLE', body?.error?.message ?? res.statusText);
  }
  return res;
}

export async function loadReplay(base: string, token: string): Promise<ReplayInfo> {
  return (await (await get(`${base}/replay`, token)).json()) as ReplayInfo;
}

export async function loadChapters(base: string, token: string): Promise<Chapter[]> {
  return parseChapters(await (await get(`${base}/replay/chapters.vtt`, token)).text());
}

/** The cues of our chapters.vtt (id line, timing line, one text line). */
export function parseChapters(vtt: string): Chapter[] {
  const out: Chapter[] = [];
  for (const block of vtt.replace(/\r/g, '').split(/\n\n+/)) {
    const lines = block.split('\n').filter(Boolean);
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const [from, to] = lines[timing]!.split('-->').map((s) => seconds(s.trim().split(' ')[0]!));
    const id = timing > 0 ? lines[0]! : `cue-${out.length + 1}`;
    const kind = id.startsWith('floor-') ? 'floor' : id.startsWith('poll-') ? 'poll' : 'other';
    out.push({ id, kind, start: from!, end: to!, title: unescape(lines.slice(timing + 1).join(' ')) });
  }
  return out;
}

function seconds(stamp: string): number {
  const parts = stamp.split(':').map(Number);
  return parts.reduce((sum, p) => sum * 60 + p, 0);
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** m:ss or h:mm:ss */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
