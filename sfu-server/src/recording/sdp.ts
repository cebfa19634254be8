/**
 * The SDP ffmpeg reads to receive one track as plain RTP: it binds `port` for RTP and `port + 1`
 * for RTCP (rtcpMux off: ffmpeg 5.1's SDP demuxer listens for RTCP on its own port).
 */
import type { types as ms } from 'mediasoup';

/** Container extension per codec: WebM carries VP8 and Opus without re-encoding. */
export const CONTAINER_OF: Record<string, string> = { 'video/vp8': 'webm', 'audio/opus': 'webm' };

export function ffmpegSdp(rtp: ms.RtpParameters, kind: ms.MediaKind, port: number): string {
  const codec = rtp.codecs[0];
  if (!codec) throw new Error('consumer has no codec');
  const [, name] = codec.mimeType.split('/');
  const rtpmap = kind === 'audio' ? `${name}/${codec.clockRate}/${codec.channels ?? 2}` : `${name}/${codec.clockRate}`;
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=tongtang-recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtcp:${port + 1}`,
    `a=rtpmap:${codec.payloadType} ${rtpmap}`,
    'a=recvonly',
    '',
  ].join('\r\n');
}
