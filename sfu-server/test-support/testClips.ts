/** Test and bench only: clips like a classroom's hardware sends (H.264 + AAC in FLV, audio only, HEVC). */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ClipKind = 'h264-aac' | 'audio-only' | 'h264-aac-720p';

const ENCODE: Record<ClipKind, string[]> = {
  'h264-aac': ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
  'h264-aac-720p': ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
  'audio-only': ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-c:a', 'aac', '-b:a', '64k'],
};

/** 4 s of the clip (cached in the temp dir, written atomically). */
export async function hardwareClip(kind: ClipKind): Promise<string> {
  const clip = path.join(os.tmpdir(), `tongtang-gateway-${kind}.flv`);
  if (fs.existsSync(clip)) return clip;
  const partial = `${clip}.${process.pid}.flv`;
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...ENCODE[kind], '-t', '4', '-f', 'flv', '-y', partial]);
  fs.renameSync(partial, clip);
  return clip;
}

export interface Encoder { stop(): void }

/**
 * An encoder pushing `clip` in a loop to an RTMP URL, reconnecting a moment after it fails as a
 * lecture-capture host or OBS does, until stopped.
 */
export function pushRtmp(clip: string, url: string): Encoder {
  let stopped = false;
  let current: ChildProcess | undefined;
  const start = (): void => {
    if (stopped) return;
    current = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy', '-f', 'flv', url], { stdio: 'ignore' });
    current.on('exit', () => setTimeout(start, 300));
  };
  start();
  return {
    stop() {
      stopped = true;
      current?.kill('SIGKILL');
    },
  };
}
