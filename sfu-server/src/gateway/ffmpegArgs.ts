/**
 * The ffmpeg command of one ingest: an external stream in, VP8 (fixed size, so a resolution change
 * mid-stream never reaches the encoder) and Opus out as RTP to the gateway's PlainTransports.
 */
import { LOOPBACK } from './plainProducer.ts';

export type IngestInput =
  | { kind: 'rtmp'; port: number; key: string; bindHost?: string }
  | { kind: 'rtsp'; url: string; transport?: 'tcp' | 'udp' }
  /** Tests and benches: a file looped in real time. */
  | { kind: 'file'; path: string };

export interface RtpTarget {
  payloadType: number;
  ssrc: number;
  rtpPort: number;
  rtcpPort: number | undefined;
  /** Local ports to send from, the same across restarts (see sourcePorts.ts); ephemeral when absent. */
  from?: { rtpPort: number; rtcpPort: number | undefined };
}

export interface EncodeOptions { width: number; height: number; fps: number; videoKbps: number; keyFrameSeconds: number }

export const DEFAULT_ENCODE: EncodeOptions = { width: 640, height: 360, fps: 25, videoKbps: 800, keyFrameSeconds: 2 };

export const RTMP_APP = 'live';

function inputArgs(input: IngestInput): string[] {
  switch (input.kind) {
    // ffmpeg's RTMP server refuses a publish whose stream name is not this one ("Unexpected stream").
    case 'rtmp': return ['-listen', '1', '-i', `rtmp://${input.bindHost ?? LOOPBACK}:${input.port}/${RTMP_APP}/${input.key}`];
    // -timeout (µs): a silent camera ends the process, and the supervisor reconnects.
    case 'rtsp': return ['-rtsp_transport', input.transport ?? 'tcp', '-timeout', '5000000', '-i', input.url];
    case 'file': return ['-re', '-stream_loop', '-1', '-i', input.path];
  }
}

function rtpUrl(t: RtpTarget): string {
  const query = [`pkt_size=1200`];
  if (t.rtcpPort !== undefined) query.push(`rtcpport=${t.rtcpPort}`);
  if (t.from) {
    query.push(`localaddr=${LOOPBACK}`, `localrtpport=${t.from.rtpPort}`);
    if (t.from.rtcpPort !== undefined) query.push(`localrtcpport=${t.from.rtcpPort}`);
  }
  return `rtp://${LOOPBACK}:${t.rtpPort}?${query.join('&')}`;
}

export function ingestArgs(input: IngestInput, video: RtpTarget, audio: RtpTarget, enc: EncodeOptions = DEFAULT_ENCODE): string[] {
  const { width, height, fps } = enc;
  const gop = String(Math.round(fps * enc.keyFrameSeconds));
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'warning', '-progress', 'pipe:1', '-stats_period', '1',
    ...inputArgs(input),
    '-map', '0:v:0', '-vf', `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:-1:-1,fps=${fps}`,
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${enc.videoKbps}k`, '-g', gop, '-keyint_min', gop,
    '-auto-alt-ref', '0', '-error-resilient', '1', '-pix_fmt', 'yuv420p',
    '-payload_type', String(video.payloadType), '-ssrc', String(video.ssrc), '-f', 'rtp', rtpUrl(video),
    // The optional '?': a room without a microphone still sends its picture.
    '-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k',
    '-payload_type', String(audio.payloadType), '-ssrc', String(audio.ssrc), '-f', 'rtp', rtpUrl(audio),
  ];
}
