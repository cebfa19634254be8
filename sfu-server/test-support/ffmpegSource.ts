/**
 * Test and bench only: a publisher of real VP8 + Opus without a browser. ffmpeg loops a clip it
 * encoded once (live encoding costs half a core and wobbles under load) and sends it as RTP into
 * PlainTransport producers registered like the peer's own (gateway/plainProducer.ts, shared with
 * the media gateway), so signaling and recording treat them as a camera and a microphone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { types as ms } from 'mediasoup';
import type { MediaSource } from '@tongtang/shared';
import { addPlainProducer, LOOPBACK, randomSsrc } from '../src/gateway/plainProducer.ts';
import type { MediasoupNode } from '../src/MediasoupNode.ts';

const run = promisify(execFile);
const CLIP = path.join(os.tmpdir(), 'tongtang-test-clip-v2.webm');

/** 4 s of a moving test pattern (20 fps, a key frame every 0.5 s: ffmpeg ignores key frame requests) and a 440 Hz tone. */
export async function testClip(width = 320, height = 240): Promise<string> {
  const clip = CLIP.replace('.webm', width === 320 ? '.webm' : `-${width}x${height}.webm`);
  if (fs.existsSync(clip)) return clip;
  const partial = `${clip}.${process.pid}.webm`;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=20`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '4', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${Math.round(width * height / 256)}k`, '-g', '10', '-keyint_min', '10',
    '-c:a', 'libopus', '-ac', '2', '-b:a', '32k', '-y', partial,
  ]);
  fs.renameSync(partial, clip); // atomic: test files running side by side never read half a clip
  return clip;
}

export interface FfmpegPublisher {
  readonly video: ms.Producer;
  readonly audio: ms.Producer;
  close(): void;
}

const TRACKS = [
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, payloadType: 101, map: '0:v' },
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, payloadType: 100, map: '0:a', channels: 2 },
] as const;

/** A camera (or screen) and a microphone of `peerId`, fed by ffmpeg until close(); `clip`: any VP8 + Opus WebM. */
export async function publishWithFfmpeg(
  node: MediasoupNode, lectureId: string, peerId: string, videoSource: MediaSource = 'camera', clip?: string,
): Promise<FfmpegPublisher> {
  const args = ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip ?? (await testClip())];
  const producers: ms.Producer[] = [];
  const transports: ms.PlainTransport[] = [];
  for (const t of TRACKS) {
    const ssrc = randomSsrc(0x2000_0000);
    const source: MediaSource = t.kind === 'audio' ? 'microphone' : videoSource;
    const codec = { mimeType: t.mimeType, clockRate: t.clockRate, payloadType: t.payloadType, ...('channels' in t ? { channels: t.channels } : {}) };
    const plain = await addPlainProducer(node, lectureId, { peerId, source, codec, ssrcs: [ssrc] });
    transports.push(plain.transport);
    producers.push(plain.producer);
    args.push('-map', t.map, '-c', 'copy', '-payload_type', String(t.payloadType), '-ssrc', String(ssrc),
      '-f', 'rtp', `rtp://${LOOPBACK}:${plain.rtpPort}?rtcpport=${plain.rtcpPort}&pkt_size=1200`);
  }
  const ffmpeg: ChildProcess = spawn('ffmpeg', args, { stdio: 'ignore' });
  return {
    video: producers[0]!,
    audio: producers[1]!,
    close() {
      ffmpeg.kill('SIGKILL');
      for (const t of transports) t.close();
    },
  };
}
