/**
 * CPU of one ingest's ffmpeg on its own (no mediasoup: RTP goes to ports nobody reads), transcoding
 * as the gateway does today versus passing the camera's H.264 through (-c:v copy, only remuxed into
 * RTP), which is what the gateway would cost if the routers carried H.264.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DEFAULT_ENCODE, ingestArgs } from '../../src/gateway/ffmpegArgs.ts';
import { cpuMsOf } from '../recording/procCpu.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// An interrupted bench must not leave ffmpegs looping on the machine (they outlive a killed parent).
const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

export type StreamMode =
  | 'transcode VP8 640x360 + Opus' | 'transcode VP8 simulcast 180p+360p + Opus' | 'H.264 copy, audio to Opus' | 'H.264 copy, no audio';

/** The ffmpeg arguments of each mode for a clip looped in real time, sending to loopback `basePort` and up. */
export function modeArgs(mode: StreamMode, clip: string, basePort: number): string[] {
  const target = (port: number, payloadType: number) => ({ payloadType, ssrcs: [0x1000 + port, 0x2000 + port], port });
  const file = { kind: 'file', path: clip } as const;
  // What the gateway does (DEFAULT_ENCODE: two layers), and one 640x360 layer as it did before simulcast.
  if (mode === 'transcode VP8 simulcast 180p+360p + Opus') return ingestArgs(file, target(basePort, 101), target(basePort + 2, 100));
  if (mode === 'transcode VP8 640x360 + Opus') {
    return ingestArgs(file, target(basePort, 101), target(basePort + 2, 100), { ...DEFAULT_ENCODE, layers: [{ width: 640, height: 360, kbps: 800 }] });
  }
  const head = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip,
    '-map', '0:v:0', '-c:v', 'copy', '-f', 'rtp', `rtp://127.0.0.1:${basePort}?pkt_size=1200`];
  if (mode === 'H.264 copy, no audio') return head;
  return [...head, '-map', '0:a:0', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k', '-f', 'rtp', `rtp://127.0.0.1:${basePort + 2}?pkt_size=1200`];
}

/** Percent of one core the ffmpeg used over `windowMs`, after `warmMs` of start-up. */
export async function ffmpegCpu(args: string[], warmMs: number, windowMs: number): Promise<number> {
  const ffmpeg = spawn('ffmpeg', args, { stdio: 'ignore' });
  running.add(ffmpeg);
  try {
    await sleep(warmMs);
    const before = cpuMsOf(ffmpeg.pid!);
    await sleep(windowMs);
    const used = cpuMsOf(ffmpeg.pid!) - before;
    if (ffmpeg.exitCode !== null) throw new Error(`ffmpeg exited (${ffmpeg.exitCode}) during the window: ${args.join(' ')}`);
    return (100 * used) / windowMs;
  } finally {
    running.delete(ffmpeg);
    ffmpeg.kill('SIGKILL');
  }
}
