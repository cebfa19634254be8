/**
 * Test only: a simulcast camera without a browser. Three ffmpeg processes loop clips of three
 * sizes, each as one simulcast encoding (its own SSRC). A PlainTransport takes packets from one
 * address only, so the gateway's funnel forwards all three through one socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { types as ms } from 'mediasoup';
import { testClip } from './ffmpegSource.ts';
import { addPlainProducer } from '../src/gateway/plainProducer.ts';
import { RtpFunnel } from '../src/gateway/RtpFunnel.ts';
import type { MediasoupNode } from '../src/MediasoupNode.ts';

const LOOPBACK = '127.0.0.1';
const PAYLOAD_TYPE = 101;
export const SIMULCAST_SIZES = [[160, 120], [320, 240], [640, 480]] as const;

export interface SimulcastPublisher {
  readonly producer: ms.Producer;
  close(): void;
}

export async function publishSimulcastWithFfmpeg(node: MediasoupNode, lectureId: string, peerId: string): Promise<SimulcastPublisher> {
  const ssrcs = SIMULCAST_SIZES.map((_, i) => 0x3000_0000 + i * 0x100 + Math.floor(Math.random() * 0xff));
  const { producer, transport, rtpPort } = await addPlainProducer(node, lectureId, {
    peerId, source: 'camera', rtcpMux: true, ssrcs,
    codec: { mimeType: 'video/VP8', clockRate: 90000, payloadType: PAYLOAD_TYPE },
  });
  // The gateway's funnel: whatever the encoders send arrives here and leaves from one address.
  const relay = await RtpFunnel.open(rtpPort);
  const { port } = relay;
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
