/**
 * The load test's media: encoded once by load-tests/media/encode-clips.sh into a cache directory
 * (never committed), then read into memory by each publishing process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIvf, readOggOpus, type Clip } from './containers.ts';
import type { PublishSpec } from './RtpPublisher.ts';

export const DEFAULT_CLIP_DIR = path.join(os.homedir(), '.cache', 'tongtang', 'clips');
const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../media/encode-clips.sh');
const FILES = ['cam-180.ivf', 'cam-360.ivf', 'cam-720.ivf', 'screen-720.ivf', 'mic.ogg'];

/** Bitrates the clips are encoded at (bps), lowest layer first; told to the SFU as maxBitrate. */
export const CAMERA_BITRATES = [150_000, 500_000, 1_200_000];

export interface ClipSet {
  camera: Clip[];
  screen: Clip;
  mic: Clip;
}

/** Encodes whatever clip is missing (a few seconds of ffmpeg, once per machine); returns the directory. */
export function ensureClips(dir = DEFAULT_CLIP_DIR): string {
  if (FILES.every((f) => fs.existsSync(path.join(dir, f)))) return dir;
  execFileSync('bash', [SCRIPT, dir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  return dir;
}

export function loadClips(dir = DEFAULT_CLIP_DIR): ClipSet {
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  return {
    camera: ['cam-180.ivf', 'cam-360.ivf', 'cam-720.ivf'].map((f) => readIvf(read(f))),
    screen: readIvf(read('screen-720.ivf')),
    mic: readOggOpus(read('mic.ogg')),
  };
}

/** What each kind of publisher sends. */
export const publishSpecs = {
  /** The lecturer's program: simulcast camera, microphone and screen share. */
  lecturer: (c: ClipSet): PublishSpec[] => [
    { source: 'camera', clips: c.camera, maxBitrates: CAMERA_BITRATES },
    { source: 'microphone', clips: [c.mic] },
    { source: 'screen', clips: [c.screen] },
  ],
  /** A partner classroom's room camera (reaches the lecturer's wall), one 360p layer. */
  classroom: (c: ClipSet): PublishSpec[] => [{ source: 'camera', clips: [c.camera[1]!] }],
  /** A student given the floor speaks. */
  speaker: (c: ClipSet): PublishSpec[] => [{ source: 'microphone', clips: [c.mic] }],
};
