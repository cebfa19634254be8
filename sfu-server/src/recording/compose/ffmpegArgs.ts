/**
 * The ffmpeg command that turns a plan into one MOOC-ready MP4 (H.264 + AAC): a canvas as long
 * as the recording, each clip shifted to its place on the timeline and overlaid in its region
 * while its placement lasts, every audio track delayed to its place and mixed. Pure.
 */
import { CANVAS, type Plan } from './plan.ts';

export const FPS = 25;
const BACKGROUND = '0x20252b';

export interface EncodeOptions {
  /** libx264 threads: the composition's CPU ceiling (0 lets x264 choose). */
  threads: number;
}

export function composeArgs(plan: Plan, output: string, { threads }: EncodeOptions): string[] {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const used = [...new Set([...plan.video.map((p) => p.clip), ...plan.audio.map((a) => a.clip)])].sort((a, b) => a - b);
  const input = new Map(used.map((clip, i) => [clip, i]));
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];
  for (const clip of used) args.push('-i', plan.clips[clip]!.file);

  const graph: string[] = [`color=c=${BACKGROUND}:s=${CANVAS.width}x${CANVAS.height}:r=${FPS}:d=${seconds(plan.durationMs)}[bg0]`];
  const offset = (clip: number): number => Math.max(0, plan.clips[clip]!.startMs - plan.videoStartedAt);
  // One decoded stream per video clip, split as many times as it is placed.
  const copies = new Map<number, number>();
  for (const p of plan.video) copies.set(p.clip, (copies.get(p.clip) ?? 0) + 1);
  for (const [clip, n] of copies) {
    const outs = Array.from({ length: n }, (_, j) => `[c${clip}_${j}]`).join('');
    graph.push(`[${input.get(clip)}:v]setpts=PTS-STARTPTS+${seconds(offset(clip))}/TB,split=${n}${outs}`);
  }
  const next = new Map<number, number>();
  plan.video.forEach((p, k) => {
    const j = next.get(p.clip) ?? 0;
    next.set(p.clip, j + 1);
    const { x, y, width: w, height: h } = p.box;
    graph.push(
      `[c${p.clip}_${j}]scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2,` +
      `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black[p${k}]`,
      `[bg${k}][p${k}]overlay=x=${x}:y=${y}:eof_action=pass:enable='between(t,${seconds(p.fromMs)},${seconds(p.toMs)})'[bg${k + 1}]`,
    );
  });
  graph.push(`[bg${plan.video.length}]format=yuv420p[vout]`);

  if (plan.audio.length === 0) {
    graph.push('anullsrc=r=48000:cl=stereo[aout]');
  } else {
    plan.audio.forEach((a, k) => {
      graph.push(`[${input.get(a.clip)}:a]asetpts=PTS-STARTPTS,aresample=48000,adelay=${Math.round(a.offsetMs)}:all=1[a${k}]`);
    });
    const mix = plan.audio.map((_, k) => `[a${k}]`).join('');
    graph.push(`${mix}amix=inputs=${plan.audio.length}:duration=longest:normalize=0,apad[aout]`);
  }

  args.push(
    '-filter_complex', graph.join(';'), '-map', '[vout]', '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-g', String(FPS * 2), '-threads', String(threads),
    '-c:a', 'aac', '-b:a', '96k', '-ac', '2',
    '-t', seconds(plan.durationMs), '-movflags', '+faststart',
    '-progress', 'pipe:1', '-nostats', output,
  );
  return args;
}

/** HLS VOD from the MP4 without re-encoding (key frames every two seconds cut it cleanly). */
export function hlsArgs(mp4: string, dir: string): string[] {
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', mp4, '-c', 'copy',
    '-f', 'hls', '-hls_time', '6', '-hls_playlist_type', 'vod',
    '-hls_segment_filename', `${dir}/segment-%03d.ts`, `${dir}/index.m3u8`,
  ];
}

export function thumbnailArgs(mp4: string, atMs: number, file: string): string[] {
  return ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-ss', (atMs / 1000).toFixed(3), '-i', mp4, '-frames:v', '1', '-vf', 'scale=480:-2', file];
}
