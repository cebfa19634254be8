/**
 * The SDP ffmpeg reads to receive one track as plain RTP: it binds `port` for RTP and `port + 1`
 * for RTCP (rtcpMux off: ffmpeg 5.1's SDP demuxer listens for RTCP on its own port).
 */
import type { types as ms } from 'mediasoup';

export interface Container {
  /** File extension, without the dot. */
  ext: string;
  /** ffmpeg's muxer name. */
  format: string;
}

/**
 * The file a codec is copied into without re-encoding: WebM carries VP8 and Opus; H.264 (a
 * classroom's hardware encoder over WHIP) needs Matroska, which WebM is the subset of.
 */
export function containerOf(mimeType: string): Container {
  return mimeType.toLowerCase() === 'video/h264' ? { ext: 'mkv', format: 'matroska' } : { ext: 'webm', format: 'webm' };
}

/** Every extension containerOf gives: what a recording folder's media files end with. */
export const MEDIA_FILE = /\.(webm|mkv)$/;

export function ffmpegSdp(rtp: ms.RtpParameters, kind: ms.MediaKind, port: number): string {
  const codec = rtp.codecs[0];
  if (!codec) throw new Error('consumer has no codec');
  const [, name] = codec.mimeType.split('/');
  const rtpmap = kind === 'audio' ? `${name}/${codec.clockRate}/${codec.channels ?? 2}` : `${name}/${codec.clockRate}`;
  // H.264's depacketizer needs to know FU-A fragments may come (mode 1); SPS/PPS arrive in-band.
  const mode = codec.mimeType.toLowerCase() === 'video/h264' ? codec.parameters?.['packetization-mode'] : undefined;
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=tongtang-recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtcp:${port + 1}`,
    `a=rtpmap:${codec.payloadType} ${rtpmap}`,
    ...(mode === undefined ? [] : [`a=fmtp:${codec.payloadType} packetization-mode=${String(mode)}`]),
    'a=recvonly',
    '',
  ].join('\r\n');
}
