/**
 * Test and bench only: a publisher of real VP8 + Opus without a browser. ffmpeg loops a clip it
 * encoded once (live encoding costs half a core and wobbles under load) and sends it as RTP into
 * PlainTransport producers registered like the peer's own, so signaling and recording treat them
 * as a camera and a microphone. rtcpMux off and comedia on: /work/shared/docs/test-clients.md.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { types as ms } from 'mediasoup';
import type { MediaSource } from '../../shared/src/index.ts';
import { lectureInternals } from '../src/LectureMedia.ts';
import { lectureMediaOf, type MediasoupNode } from '../src/MediasoupNode.ts';

const run = promisify(execFile);
const LOOPBACK = '127.0.0.1';
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
  const media = lectureMediaOf(node, lectureId);
  if (!media) throw new Error(`lecture ${lectureId} has not started on this node`);
  const { routers, ledger } = lectureInternals(media);
  const slot = await routers.origin();
  const args = ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip ?? (await testClip())];
  const producers: ms.Producer[] = [];
  const transports: ms.PlainTransport[] = [];
  for (const t of TRACKS) {
    const transport = await slot.router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: false, comedia: true });
    transports.push(transport);
    const ssrc = 0x2000_0000 + Math.floor(Math.random() * 0x0fff_ffff);
    const source: MediaSource = t.kind === 'audio' ? 'microphone' : videoSource;
    const codec = { mimeType: t.mimeType, clockRate: t.clockRate, payloadType: t.payloadType, ...('channels' in t ? { channels: t.channels } : {}) };
    const producer = await transport.produce({ kind: t.kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] }, appData: { peerId, source } });
    ledger.producers.set(producer.id, { peerId, source, producer, transportId: transport.id, slot });
    producer.observer.once('close', () => {
      if (ledger.producers.get(producer.id)?.producer === producer) ledger.forgetProducer(producer.id);
    });
    producers.push(producer);
    const { localPort } = transport.tuple;
    const rtcpPort = transport.rtcpTuple?.localPort;
    args.push('-map', t.map, '-c', 'copy', '-payload_type', String(t.payloadType), '-ssrc', String(ssrc),
      '-f', 'rtp', `rtp://${LOOPBACK}:${localPort}?rtcpport=${rtcpPort}&pkt_size=1200`);
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
