/**
 * The ffmpeg command of one ingest: an external stream in; VP8 in simulcast layers of fixed sizes
 * and Opus out, as RTP to the ingest's funnels in front of its PlainTransports.
 */
import { LOOPBACK } from './plainProducer.ts';

export type IngestInput =
  | { kind: 'rtmp'; port: number; key: string; bindHost?: string }
  | { kind: 'rtsp'; url: string; transport?: 'tcp' | 'udp' }
  /** Tests and benches: a file looped in real time. */
  | { kind: 'file'; path: string };

/** Where one kind of media goes: the ingest's funnel (RtpFunnel.ts), RTP and RTCP alike. */
export interface RtpTarget {
  payloadType: number;
  /** One per simulcast layer for video, lowest first; one for audio. */
  ssrcs: number[];
  port: number;
}

/** One simulcast layer of the room camera. */
export interface VideoLayer { width: number; height: number; kbps: number }

export interface EncodeOptions {
  /** Lowest first: a weak receiver (or a small wall tile) gets the first, a projector the last. */
  layers: VideoLayer[];
  fps: number;
  keyFrameSeconds: number;
}

/**
 * 180p for thin links and small wall tiles, 360p for projectors: what a room camera needs. A key
 * frame every second: a receiver switching layers waits for the next one (ffmpeg does not answer
 * a PLI), so this bounds that freeze at a second.
 */
export const DEFAULT_ENCODE: EncodeOptions = {
  layers: [{ width: 320, height: 180, kbps: 150 }, { width: 640, height: 360, kbps: 650 }],
  fps: 25,
  keyFrameSeconds: 1,
};

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

function rtpUrl(port: number): string {
  // rtcpport: the sender reports go through the funnel too (the transport muxes RTCP).
  return `rtp://${LOOPBACK}:${port}?rtcpport=${port}&pkt_size=1200`;
}

/**
 * The camera scaled to the top layer's fixed size (so a resolution change mid-stream never reaches
 * the encoders), split, and each layer encoded on its own with its own SSRC: simulcast as mediasoup
 * takes it from a PlainTransport.
 */
export function ingestArgs(input: IngestInput, video: RtpTarget, audio: RtpTarget, enc: EncodeOptions = DEFAULT_ENCODE): string[] {
  const { fps, layers } = enc;
  const top = layers.at(-1)!;
  const gop = String(Math.round(fps * enc.keyFrameSeconds));
  const labels = layers.map((_, i) => `v${i}`);
  const graph = `[0:v:0]scale=${top.width}:${top.height}:force_original_aspect_ratio=decrease,pad=${top.width}:${top.height}:-1:-1,fps=${fps},`
    + `split=${layers.length}${labels.map((l) => `[${l}in]`).join('')};`
    + layers.map((l, i) => (i === layers.length - 1 ? `[${labels[i]}in]null[${labels[i]}]` : `[${labels[i]}in]scale=${l.width}:${l.height}[${labels[i]}]`)).join(';');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'warning', '-progress', 'pipe:1', '-stats_period', '1',
    ...inputArgs(input),
    '-filter_complex', graph,
    ...layers.flatMap((l, i) => [
      '-map', `[${labels[i]}]`,
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${l.kbps}k`, '-g', gop, '-keyint_min', gop,
      '-auto-alt-ref', '0', '-error-resilient', '1', '-pix_fmt', 'yuv420p',
      '-payload_type', String(video.payloadType), '-ssrc', String(video.ssrcs[i]), '-f', 'rtp', rtpUrl(video.port),
    ]),
    // The optional '?': a room without a microphone still sends its picture.
    '-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k',
    '-payload_type', String(audio.payloadType), '-ssrc', String(audio.ssrcs[0]), '-f', 'rtp', rtpUrl(audio.port),
  ];
}
