/**
 * Composes one finished recording into its replay: `replay/replay.mp4` (H.264 + AAC, fast
 * start), `replay/hls/index.m3u8` (HLS VOD cut from the MP4 without re-encoding),
 * `replay/chapters.vtt`, `replay/thumbnail.jpg`, and `replay/compose.json` — the status, written
 * as it goes so a list of recordings can show progress, and so an interrupted composition is
 * seen as one. ffmpeg runs niced with a bounded number of encoder threads.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReplayStatus } from '@tongtang/shared';
import { composeArgs, hlsArgs, thumbnailArgs } from './ffmpegArgs.ts';
import { readInputs } from './inputs.ts';
import { planReplay } from './plan.ts';
import { chaptersVtt } from './vtt.ts';

export interface ComposeOptions {
  /** Added niceness of the ffmpeg processes (0..19). */
  nice: number;
  /** Encoder threads: how many cores one composition may take. */
  threads: number;
  onProgress?: (status: ReplayStatus) => void;
  signal?: AbortSignal;
}

export const REPLAY_DIR = 'replay';
export const STATUS_FILE = 'compose.json';
const PROGRESS_EVERY_MS = 1_000;

export function statusPath(recordingDir: string): string {
  return path.join(recordingDir, REPLAY_DIR, STATUS_FILE);
}

export function readStatus(recordingDir: string): ReplayStatus | null {
  try {
    return JSON.parse(fs.readFileSync(statusPath(recordingDir), 'utf8')) as ReplayStatus;
  } catch {
    return null;
  }
}

/** Atomic (write then rename): a reader never sees half a status. */
export function writeStatus(recordingDir: string, status: ReplayStatus): void {
  const file = statusPath(recordingDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(status, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function queuedStatus(now = Date.now()): ReplayStatus {
  return {
    state: 'composing', queued: true, progress: 0, reason: null, videoStartedAt: null, durationMs: null,
    gaps: [], chapters: 0, speed: null, startedAt: now, updatedAt: now, finishedAt: null,
    owner: { host: os.hostname(), pid: process.pid },
  };
}

export async function composeRecording(dir: string, opts: ComposeOptions): Promise<ReplayStatus> {
  const began = Date.now();
  let status: ReplayStatus = { ...queuedStatus(began), queued: false };
  const save = (patch: Partial<ReplayStatus>): ReplayStatus => {
    status = { ...status, ...patch, updatedAt: Date.now() };
    try {
      writeStatus(dir, status);
    } catch { /* the folder went away or the disk is full: the returned status still says it */ }
    opts.onProgress?.(status);
    return status;
  };
  try {
    const plan = planReplay(readInputs(dir));
    if (plan.video.length === 0 && plan.audio.length === 0) throw new Error('nothing was recorded');
    const out = path.join(dir, REPLAY_DIR);
    save({ videoStartedAt: plan.videoStartedAt, durationMs: plan.durationMs, gaps: plan.gaps, chapters: plan.chapters.length });
    fs.writeFileSync(path.join(out, 'chapters.vtt'), chaptersVtt(plan.chapters));

    const partial = path.join(out, 'replay.partial.mp4');
    let lastReport = 0;
    await run(composeArgs(plan, partial, opts), opts, (line) => {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (!m || Date.now() - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = Date.now();
      save({ progress: Math.min(0.99, Number(m[1]) / 1000 / Math.max(1, plan.durationMs)) });
    });
    const mp4 = path.join(out, 'replay.mp4');
    fs.renameSync(partial, mp4);

    const hls = path.join(out, 'hls');
    fs.rmSync(hls, { recursive: true, force: true });
    fs.mkdirSync(hls);
    await run(hlsArgs(mp4, hls), opts);
    await run(thumbnailArgs(mp4, plan.durationMs / 3, path.join(out, 'thumbnail.jpg')), opts);
    const took = Date.now() - began;
    return save({ state: 'ready', progress: 1, speed: Math.round((plan.durationMs / Math.max(1, took)) * 100) / 100, finishedAt: Date.now() });
  } catch (err) {
    // Cancelled by a shutdown: left as composing, so the next start composes it again.
    if (opts.signal?.aborted) return save({});
    return save({ state: 'failed', reason: (err as Error).message.slice(0, 500), finishedAt: Date.now() });
  }
}

/** Runs ffmpeg niced; rejects with the end of its stderr. Aborting kills it. */
function run(args: string[], opts: ComposeOptions, onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new Error('composition cancelled'));
      return;
    }
    const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      if (ffmpeg.pid) os.setPriority(ffmpeg.pid, Math.min(19, Math.max(0, opts.nice)));
    } catch { /* not allowed to lower priority here: it still runs */ }
    let stderr = '';
    let pending = '';
    ffmpeg.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    ffmpeg.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) onLine?.(line);
    });
    const abort = (): void => {
      ffmpeg.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', abort, { once: true });
    ffmpeg.once('error', (err) => reject(new Error(`ffmpeg could not run: ${err.message}`)));
    ffmpeg.once('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', abort);
      if (code === 0) resolve();
      else if (opts.signal?.aborted) reject(new Error('composition cancelled'));
      else reject(new Error(`ffmpeg failed (${signal ?? code}): ${stderr.trim().split('\n').pop() ?? ''}`));
    });
  });
}
