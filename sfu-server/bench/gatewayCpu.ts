/**
 * Bench: CPU of one gateway ingest (ffmpeg) per stream, transcoded H.264/AAC -> VP8/Opus (what the
 * gateway does) vs passed through (-c copy, what adding H.264 to the routers would cost), for a
 * 640x360 and a 1280x720 camera. Prints % of one core, over several runs.
 * Run: npx tsx sfu-server/src/bench/gatewayCpu.ts [seconds] [runs]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { ingestArgs } from '../src/gateway/ffmpegArgs.ts';
import { hardwareClip } from '../src/gateway/testClips.ts';

const seconds = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 3);
const TICK = 100; // USER_HZ

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(args: string[]): Promise<number> {
  const ffmpeg = spawn('ffmpeg', args, { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 2000)); // past start-up
  const start = cpuTicks(ffmpeg.pid!);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = cpuTicks(ffmpeg.pid!) - start;
  ffmpeg.kill('SIGKILL');
  return (100 * used) / TICK / seconds;
}

const target = (port: number) => ({ payloadType: 101, ssrc: 1234 + port, rtpPort: port, rtcpPort: port + 1 });
for (const [clipKind, size] of [['h264-aac', '640x360'], ['h264-aac-720p', '1280x720']] as const) {
  const clip = await hardwareClip(clipKind);
  const input = { kind: 'file' as const, path: clip };
  const transcode = ingestArgs(input, target(40000), { ...target(40002), payloadType: 100 });
  const copy = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip,
    '-map', '0:v:0', '-c', 'copy', '-f', 'rtp', 'rtp://127.0.0.1:40004?pkt_size=1200',
    '-map', '0:a:0', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k', '-f', 'rtp', 'rtp://127.0.0.1:40006?pkt_size=1200'];
  for (const [name, args] of [['transcode to VP8 640x360 + Opus', transcode], ['H.264 pass-through + Opus', copy]] as const) {
    const results: number[] = [];
    for (let i = 0; i < runs; i += 1) results.push(await measure(args));
    const mean = results.reduce((a, b) => a + b, 0) / results.length;
    console.log(`${size} ${name}: ${mean.toFixed(1)}% of a core (runs: ${results.map((r) => r.toFixed(1)).join(', ')})`);
  }
}
