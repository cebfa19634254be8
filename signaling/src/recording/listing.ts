/**
 * What a lecture's recordings folder holds, read from the files alone (sidecars and event logs),
 * so it stays true after a restart and whichever process wrote them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvCell } from '../lecture/csv.ts';
import type { LogEvent } from './effectEvents.ts';

export interface TrackSummary {
  file: string;
  source: string | null;
  participantId: string | null;
  displayName: string | null;
  codec: string | null;
  segment: number | null;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  bytes: number;
}

export interface RecordingSummary {
  id: string;
  /** 'recording' until the log says it stopped; 'failed' when it stopped with a reason. */
  state: 'recording' | 'ready' | 'failed';
  reason: string | null;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  bytes: number;
  tracks: TrackSummary[];
}

/** Recording ids are their start times, as folder names. */
export const RECORDING_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/;

export function listRecordings(lectureDir: string, now = Date.now()): RecordingSummary[] {
  if (!fs.existsSync(lectureDir)) return [];
  return fs.readdirSync(lectureDir).filter((id) => RECORDING_ID.test(id)).sort().map((id) => summarise(path.join(lectureDir, id), id, now));
}

export function readEvents(recordingDir: string): LogEvent[] {
  const text = fs.readFileSync(path.join(recordingDir, 'events.jsonl'), 'utf8');
  // A line cut short by a crash is skipped, not fatal.
  return text.split('\n').filter(Boolean).flatMap((line) => {
    try {
      return [JSON.parse(line) as LogEvent];
    } catch {
      return [];
    }
  });
}

/** The log for spreadsheets: time, type, who, site, and the rest of the event as JSON. */
export function eventsCsv(events: LogEvent[]): string {
  const rows = events.map(({ at, type, displayName, from, site, ...rest }) => {
    const { participantId: _id, ...detail } = rest;
    return [
      typeof at === 'number' ? new Date(at).toISOString() : null, type,
      typeof (displayName ?? from) === 'string' ? String(displayName ?? from) : null,
      typeof site === 'string' ? site : null,
      Object.keys(detail).length ? JSON.stringify(detail) : null,
    ];
  });
  return [['time', 'event', 'who', 'site', 'detail'], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function summarise(dir: string, id: string, now: number): RecordingSummary {
  const events = fs.existsSync(path.join(dir, 'events.jsonl')) ? readEvents(dir) : [];
  const started = events.find((e) => e.type === 'recording.started');
  const stopped = [...events].reverse().find((e) => e.type === 'recording.stopped');
  const tracks = fs.readdirSync(dir).filter((f) => f.endsWith('.webm')).sort().map((f) => track(dir, f, now));
  const startedAt = typeof started?.['at'] === 'number' ? started['at'] : null;
  const endedAt = typeof stopped?.['at'] === 'number' ? stopped['at'] : null;
  const reason = typeof stopped?.['reason'] === 'string' ? stopped['reason'] : null;
  return {
    id,
    state: !stopped ? 'recording' : reason ? 'failed' : 'ready',
    reason,
    startedAt,
    endedAt,
    durationMs: startedAt === null ? null : (endedAt ?? now) - startedAt,
    bytes: tracks.reduce((sum, t) => sum + t.bytes, 0),
    tracks,
  };
}

function track(dir: string, file: string, now: number): TrackSummary {
  let side: Record<string, unknown> = {};
  try {
    side = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.webm$/, '.json')), 'utf8')) as Record<string, unknown>;
  } catch { /* a sidecar not written (yet): the file still counts */ }
  const str = (k: string) => (typeof side[k] === 'string' ? (side[k] as string) : null);
  const num = (k: string) => (typeof side[k] === 'number' ? (side[k] as number) : null);
  const startedAt = num('startedAt');
  const endedAt = num('endedAt');
  return {
    file,
    source: str('source'),
    participantId: str('participantId'),
    displayName: str('displayName'),
    codec: str('codec'),
    segment: num('segment'),
    startedAt,
    endedAt,
    durationMs: startedAt === null ? null : (endedAt ?? now) - startedAt,
    bytes: fs.statSync(path.join(dir, file)).size,
  };
}
