/**
 * What a lecture's recordings folder holds, read from the files alone (sidecars and event logs),
 * so it stays true after a restart and whichever process wrote them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReplayStatus } from '@tongtang/shared';
import { csvCell } from '../lecture/machine/csv.ts';
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
  /**
   * 'recording' until the log says it stopped; then 'composing' until its replay is made, 'ready'
   * once it is; 'failed' when capture stopped with a reason or the composition failed.
   */
  state: 'recording' | 'composing' | 'ready' | 'failed';
  reason: string | null;
  /** The replay's composition (null before it was asked for). */
  replay: ReplayStatus | null;
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
  const tracks = fs.readdirSync(dir).filter((f) => /\.(webm|mkv)$/.test(f)).sort().map((f) => track(dir, f, now));
  const startedAt = typeof started?.['at'] === 'number' ? started['at'] : null;
  const endedAt = typeof stopped?.['at'] === 'number' ? stopped['at'] : null;
  const captureFailure = typeof stopped?.['reason'] === 'string' ? stopped['reason'] : null;
  const replay = replayStatus(dir);
  const composeFailure = replay?.state === 'failed' ? `the replay could not be made: ${replay.reason ?? 'unknown error'}` : null;
  const state = !stopped ? 'recording'
    : captureFailure || composeFailure ? 'failed'
      : replay?.state === 'ready' ? 'ready' : 'composing';
  return {
    id,
    state,
    reason: captureFailure ?? composeFailure,
    replay,
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
    side = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.(webm|mkv)$/, '.json')), 'utf8')) as Record<string, unknown>;
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

export function replayStatus(recordingDir: string): ReplayStatus | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(recordingDir, 'replay', 'compose.json'), 'utf8')) as ReplayStatus;
  } catch {
    return null;
  }
}

/** A composition whose process is gone (or, on another host, that stopped reporting) was interrupted. */
const STALE_MS = 60_000;

/**
 * Recordings under RECORDINGS_DIR that stopped but whose replay was never made, or whose
 * composition was interrupted (the node stopped or died): composed again at start-up.
 */
export function unfinishedCompositions(root: string, now = Date.now()): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const lecture of fs.readdirSync(root)) {
    const lectureDir = path.join(root, lecture);
    if (!fs.statSync(lectureDir).isDirectory()) continue;
    for (const id of fs.readdirSync(lectureDir).filter((x) => RECORDING_ID.test(x))) {
      const dir = path.join(lectureDir, id);
      if (!fs.existsSync(path.join(dir, 'events.jsonl'))) continue;
      if (!readEvents(dir).some((e) => e.type === 'recording.stopped')) continue;
      const replay = replayStatus(dir);
      if (!replay || (replay.state === 'composing' && interrupted(replay, now))) out.push(dir);
    }
  }
  return out;
}

function interrupted(status: ReplayStatus, now: number): boolean {
  const owner = status.owner;
  if (owner?.host === os.hostname()) return owner.pid === process.pid ? false : !alive(owner.pid);
  return now - status.updatedAt > STALE_MS;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A recording nothing has written to for this long is not being recorded by anyone. */
const QUIET_MS = 60_000;

/**
 * Recordings that never logged their stop and whose files nobody has written for a minute: the
 * node recording them stopped or died mid-lecture (a live recording writes every second).
 */
export function interruptedRecordings(root: string, now = Date.now()): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((lecture) => {
    const lectureDir = path.join(root, lecture);
    if (!fs.statSync(lectureDir).isDirectory()) return [];
    return fs.readdirSync(lectureDir).filter((id) => RECORDING_ID.test(id)).map((id) => path.join(lectureDir, id)).filter((dir) =>
      fs.existsSync(path.join(dir, 'events.jsonl'))
      && !readEvents(dir).some((e) => e.type === 'recording.stopped')
      && now - lastWrite(dir) > QUIET_MS);
  });
}

/** When anything in the recording folder was last written (epoch ms). */
export function lastWrite(dir: string): number {
  const times = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
  return Math.round(Math.max(fs.statSync(dir).mtimeMs, ...times));
}
