/** Reads recorded files with the real ffprobe, as a replay job would. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface StreamInfo {
  codec_name: string;
  codec_type: 'video' | 'audio';
  width?: number;
  height?: number;
}

export async function streams(file: string): Promise<StreamInfo[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type,width,height', '-of', 'json', file]);
  return (JSON.parse(stdout) as { streams: StreamInfo[] }).streams;
}

/** Seconds from the first to the last packet, plus the packet count (no trust in header durations). */
export async function packetSpan(file: string): Promise<{ seconds: number; packets: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], { maxBuffer: 64 << 20 });
  const times = stdout.split('\n').map(Number.parseFloat).filter(Number.isFinite);
  if (times.length === 0) return { seconds: 0, packets: 0 };
  return { seconds: Math.max(...times) - Math.min(...times), packets: times.length };
}

/** Per decoded video frame: luma min, max and average (signalstats). A blank frame has max ≈ min. */
export async function lumaStats(file: string): Promise<{ min: number; max: number; avg: number }[]> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-f', 'lavfi', '-i', `movie=${file.replace(/([:\\'])/g, '\\$1')},signalstats`,
    '-show_entries', 'frame_tags=lavfi.signalstats.YMIN,lavfi.signalstats.YMAX,lavfi.signalstats.YAVG', '-of', 'json',
  ], { maxBuffer: 64 << 20 });
  const frames = (JSON.parse(stdout) as { frames: { tags: Record<string, string> }[] }).frames;
  return frames.map(({ tags }) => ({
    min: Number(tags['lavfi.signalstats.YMIN']), max: Number(tags['lavfi.signalstats.YMAX']), avg: Number(tags['lavfi.signalstats.YAVG']),
  }));
}

/** The width of every decoded video frame (a simulcast layer switch shows as a change). */
export async function frameWidths(file: string): Promise<number[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=width', '-of', 'csv=p=0', file], { maxBuffer: 64 << 20 });
  return stdout.split('\n').filter(Boolean).map(Number);
}
