import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listRecordings, unfinishedCompositions } from './listing.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-listing-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 27, 2);
/** A pid that was alive and is not any more. */
const deadPid = spawnSync('true').pid!;

function recording(id: string, opts: { stopped?: boolean; reason?: string; replay?: Record<string, unknown> }): string {
  const dir = path.join(root, 'chem', id);
  fs.mkdirSync(dir, { recursive: true });
  const events = [{ at: NOW - 60_000, type: 'recording.started' }];
  if (opts.stopped !== false) events.push({ at: NOW - 1_000, type: 'recording.stopped', ...(opts.reason ? { reason: opts.reason } : {}) } as never);
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  if (opts.replay) {
    fs.mkdirSync(path.join(dir, 'replay'));
    fs.writeFileSync(path.join(dir, 'replay', 'compose.json'), JSON.stringify({ progress: 0, gaps: [], updatedAt: NOW - 1_000, ...opts.replay }));
  }
  return dir;
}

const here = os.hostname();
const neverComposed = recording('2026-11-27T01-00-00-000Z', {});
const interrupted = recording('2026-11-27T01-01-00-000Z', { replay: { state: 'composing', owner: { host: here, pid: deadPid } } });
recording('2026-11-27T01-02-00-000Z', { replay: { state: 'composing', owner: { host: here, pid: process.ppid } } });
recording('2026-11-27T01-03-00-000Z', { replay: { state: 'ready', progress: 1, owner: { host: here, pid: deadPid } } });
recording('2026-11-27T01-04-00-000Z', { stopped: false });
const staleElsewhere = recording('2026-11-27T01-05-00-000Z', { replay: { state: 'composing', owner: { host: 'other-node', pid: 1 }, updatedAt: NOW - 120_000 } });
recording('2026-11-27T01-06-00-000Z', { replay: { state: 'composing', owner: { host: 'other-node', pid: 1 }, updatedAt: NOW - 5_000 } });
recording('2026-11-27T01-07-00-000Z', { replay: { state: 'failed', reason: 'nothing was recorded', owner: { host: here, pid: deadPid } } });
recording('2026-11-27T01-08-00-000Z', { reason: 'disk full', replay: { state: 'ready', progress: 1, owner: { host: here, pid: deadPid } } });

describe('recordings on disk', () => {
  it('finds the replays never made or whose composer is gone, and leaves running and finished ones', () => {
    expect(unfinishedCompositions(root, NOW)).toEqual([neverComposed, interrupted, staleElsewhere]);
    expect(unfinishedCompositions(path.join(root, 'missing'), NOW)).toEqual([]);
  });

  it('says recording, composing, ready or failed with the reason', () => {
    const list = listRecordings(path.join(root, 'chem'), NOW);
    expect(list.map((r) => [r.state, r.reason])).toEqual([
      ['composing', null], ['composing', null], ['composing', null], ['ready', null], ['recording', null],
      ['composing', null], ['composing', null], ['failed', 'the replay could not be made: nothing was recorded'], ['failed', 'disk full'],
    ]);
    expect(list[3]!.replay).toMatchObject({ state: 'ready', progress: 1 });
    expect(list[0]!.replay).toBeNull();
  });
});

describe('recordings cut short', () => {
  it('are the ones without a stop that nobody has written to for a minute', async () => {
    const { interruptedRecordings } = await import('./listing.ts');
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-interrupted-'));
    const make = (id: string, stopped: boolean, ageMs: number): string => {
      const dir = path.join(base, 'chem', id);
      fs.mkdirSync(dir, { recursive: true });
      const lines = [{ at: 1, type: 'recording.started' }, ...(stopped ? [{ at: 2, type: 'recording.stopped' }] : [])];
      fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      fs.writeFileSync(path.join(dir, 'camera-001.webm'), 'x');
      const when = new Date(Date.now() - ageMs);
      for (const f of [path.join(dir, 'events.jsonl'), path.join(dir, 'camera-001.webm'), dir]) fs.utimesSync(f, when, when);
      return dir;
    };
    const cut = make('2026-11-27T01-00-00-000Z', false, 120_000);
    make('2026-11-27T01-01-00-000Z', false, 5_000); // still being written (another node, or just now)
    make('2026-11-27T01-02-00-000Z', true, 120_000);
    try {
      expect(interruptedRecordings(base)).toEqual([cut]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('a recording\'s tracks', () => {
  it('lists VP8 tracks in WebM and H.264 tracks (a WHIP encoder\'s) in Matroska, each with its sidecar', async () => {
    const { listRecordings } = await import('./listing.ts');
    const lectureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-tracks-'));
    const dir = path.join(lectureDir, '2026-11-27T02-00-00-000Z');
    fs.mkdirSync(dir);
    try {
      fs.writeFileSync(path.join(dir, 'prof-camera-001.webm'), 'xx');
      fs.writeFileSync(path.join(dir, 'prof-camera-001.json'), JSON.stringify({ source: 'camera', codec: 'video/VP8', participantId: 'prof' }));
      fs.writeFileSync(path.join(dir, 'room-k-camera-001.mkv'), 'xxx');
      fs.writeFileSync(path.join(dir, 'room-k-camera-001.json'), JSON.stringify({ source: 'camera', codec: 'video/H264', participantId: 'room-k' }));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a track');
      const [recording] = listRecordings(lectureDir);
      expect(recording!.tracks.map((t) => [t.file, t.codec, t.bytes])).toEqual([
        ['prof-camera-001.webm', 'video/VP8', 2],
        ['room-k-camera-001.mkv', 'video/H264', 3],
      ]);
    } finally {
      fs.rmSync(lectureDir, { recursive: true, force: true });
    }
  });
});
