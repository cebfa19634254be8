/**
 * A producer fed with plain RTP from a local process (ffmpeg), registered like one the peer
 * produced, so signaling, consumers and recording treat it as that peer's camera or microphone.
 * Shared by the media gateway and the test/bench publishers. rtcpMux off and comedia on for a
 * single SSRC (/work/shared/docs/test-clients.md); rtcpMux on when a relay sends several.
 */
import type { types as ms } from 'mediasoup';
import type { MediaSource } from '@tongtang/shared';
import { lectureMediaOf, type MediasoupNode } from '../MediasoupNode.ts';

export const LOOPBACK = '127.0.0.1';

export interface PlainProducerSpec {
  peerId: string;
  source: MediaSource;
  codec: ms.RtpCodecParameters;
  ssrcs: number[];
  rtcpMux?: boolean;
  paused?: boolean;
}

export interface PlainProducer {
  readonly producer: ms.Producer;
  readonly transport: ms.PlainTransport;
  /** Where the RTP goes (and, without rtcpMux, the RTCP port). */
  readonly rtpPort: number;
  readonly rtcpPort: number | undefined;
}

export function randomSsrc(base: number): number {
  return base + Math.floor(Math.random() * 0x0fff_ffff);
}

export async function addPlainProducer(node: MediasoupNode, lectureId: string, spec: PlainProducerSpec): Promise<PlainProducer> {
  const media = lectureMediaOf(node, lectureId);
  if (!media) throw new Error(`lecture ${lectureId} has not started on this node`);
  const slot = await media.origin();
  const { peerId, source } = spec;
  const transport = await slot.router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: spec.rtcpMux ?? false, comedia: true });
  try {
    const producer = await transport.produce({
      kind: spec.codec.mimeType.startsWith('audio/') ? 'audio' : 'video',
      rtpParameters: { codecs: [spec.codec], encodings: spec.ssrcs.map((ssrc) => ({ ssrc })) },
      paused: spec.paused ?? false,
      appData: { peerId, source },
    });
    media.adoptProducer({ peerId, source, producer, transportId: transport.id, slot });
    return { producer, transport, rtpPort: transport.tuple.localPort, rtcpPort: transport.rtcpTuple?.localPort };
  } catch (err) {
    transport.close();
    throw err;
  }
}
