/**
 * Test only: a simulcast camera without a browser. Three ffmpeg processes loop clips of three
 * sizes, each as one simulcast encoding (its own SSRC). A PlainTransport takes packets from one
 * address only, so a UDP relay forwards all three through one socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { types as ms } from 'mediasoup';
import { testClip } from './ffmpegSource.ts';
import { lectureInternals } from '../src/LectureMedia.ts';
import { lectureMediaOf, type MediasoupNode } from '../src/MediasoupNode.ts';

const LOOPBACK = '127.0.0.1';
const PAYLOAD_TYPE = 101;
export const SIMULCAST_SIZES = [[160, 120], [320, 240], [640, 480]] as const;

export interface SimulcastPublisher {
  readonly producer: ms.Producer;
  close(): void;
}

export async function publishSimulcastWithFfmpeg(node: MediasoupNode, lectureId: string, peerId: string): Promise<SimulcastPublisher> {
  const media = lectureMediaOf(node, lectureId);
  if (!media) throw new Error(`lecture ${lectureId} has not started on this node`);
  const { routers, ledger } = lectureInternals(media);
  const slot = await routers.origin();
  const transport = await slot.router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: true, comedia: true });
  const ssrcs = SIMULCAST_SIZES.map((_, i) => 0x3000_0000 + i * 0x100 + Math.floor(Math.random() * 0xff));
  const producer = await transport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: PAYLOAD_TYPE }],
      encodings: ssrcs.map((ssrc) => ({ ssrc })),
    },
    appData: { peerId, source: 'camera' },
  });
  ledger.producers.set(producer.id, { peerId, source: 'camera', producer, transportId: transport.id, slot });
  producer.observer.once('close', () => {
    if (ledger.producers.get(producer.id)?.producer === producer) ledger.forgetProducer(producer.id);
  });
  // The relay: whatever the encoders send arrives here and leaves from one address.
  const relay = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => relay.bind(0, LOOPBACK, resolve));
  relay.on('message', (msg) => relay.send(msg, transport.tuple.localPort, LOOPBACK));
  const { port } = relay.address();
  const encoders: ChildProcess[] = [];
  for (const [i, [w, h]] of SIMULCAST_SIZES.entries()) {
    encoders.push(spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', await testClip(w, h),
      '-map', '0:v', '-c', 'copy', '-payload_type', String(PAYLOAD_TYPE), '-ssrc', String(ssrcs[i]),
      '-f', 'rtp', `rtp://${LOOPBACK}:${port}?pkt_size=1200`,
    ], { stdio: 'ignore' }));
  }
  return {
    producer,
    close() {
      for (const e of encoders) e.kill('SIGKILL');
      relay.close();
      transport.close();
    },
  };
}
