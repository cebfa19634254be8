/**
 * What a finished recording folder holds, read from its files alone: the media segments with
 * their wall-clock sidecars, and the event log. Reading files only, a composition works after a
 * restart and whichever process captured the tracks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MEDIA_FILE } from '../sdp.ts';

/** One recorded segment of one track, placed on the wall clock. */
export interface Clip {
  file: string;
  kind: 'audio' | 'video';
  source: string;
  role: string;
  participantId: string;
  displayName: string;
  site: string | null;
  producerId: string;
  segment: number;
  startMs: number;
  endMs: number;
}

/** An event log line: `at` is the wall clock the sidecars use. */
export interface RecordedEvent {
  at: number;
  type: string;
  [field: string]: unknown;
}

export interface RecordingInputs {
  clips: Clip[];
  events: RecordedEvent[];
}

export function readInputs(dir: string): RecordingInputs {
  const clips = fs.readdirSync(dir).filter((f) => MEDIA_FILE.test(f)).sort().flatMap((f) => clipOf(dir, f));
  return { clips, events: eventsIn(dir) };
}

function clipOf(dir: string, file: string): Clip[] {
  const full = path.join(dir, file);
  const stat = fs.statSync(full);
  // A file ffmpeg never wrote media into holds a header at most: nothing to compose.
  if (stat.size < 1_024) return [];
  let side: Record<string, unknown>;
  try {
    side = JSON.parse(fs.readFileSync(full.replace(MEDIA_FILE, '.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return []; // no sidecar: the file cannot be placed in time
  }
  const str = (k: string, fallback = ''): string => (typeof side[k] === 'string' ? (side[k] as string) : fallback);
  const startMs = side['startedAt'];
  const kind = side['kind'];
  if (typeof startMs !== 'number' || (kind !== 'audio' && kind !== 'video')) return [];
  // A node that died mid-recording wrote no end: the file's last write is when it stopped.
  const endMs = typeof side['endedAt'] === 'number' ? side['endedAt'] : Math.round(stat.mtimeMs);
  if (endMs <= startMs) return [];
  return [{
    file: full, kind, source: str('source'), role: str('role'), participantId: str('participantId'),
    displayName: str('displayName'), site: typeof side['site'] === 'string' ? side['site'] : null,
    producerId: str('producerId', file), segment: typeof side['segment'] === 'number' ? side['segment'] : 1, startMs, endMs,
  }];
}

function eventsIn(dir: string): RecordedEvent[] {
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out: RecordedEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const event = JSON.parse(line) as RecordedEvent;
      if (typeof event.at === 'number' && typeof event.type === 'string') out.push(event);
    } catch { /* a line cut short by a crash */ }
  }
  return out;
}
