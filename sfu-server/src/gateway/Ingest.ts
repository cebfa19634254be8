/**
 * One external stream brought into a lecture as a classroom's room camera and room microphone:
 * a supervised ffmpeg (restarted with back-off when it exits: the camera dropped, the encoder
 * stopped pushing, garbage arrived) feeding two PlainTransport producers that outlive it, so
 * consumers stay attached across reconnects. The microphone starts paused: it is heard only while
 * the classroom holds the floor (setMicrophone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { MediasoupNode } from '../MediasoupNode.ts';
import { DEFAULT_ENCODE, ingestArgs, type EncodeOptions, type IngestInput } from './ffmpegArgs.ts';
import { addPlainProducer, randomSsrc, type PlainProducer } from './plainProducer.ts';
import { RtpFunnel } from './RtpFunnel.ts';

export type IngestState = 'waiting' | 'live' | 'stalled' | 'restarting' | 'closed';

export interface IngestHealth {
  source: 'rtmp' | 'rtsp' | 'file' | 'whip';
  state: IngestState;
  /** Frames per second the gateway decoded over the last progress period; 0 for WHIP, which is forwarded undecoded. */
  fps: number;
  /** What the gateway sends on (kbit/s of VP8 + Opus RTP), or for WHIP what the client sends, over the last second. */
  bitrateKbps: number;
  /** Key-frame interval of what the classroom's viewers receive; for WHIP as measured, null until two were seen. */
  keyFrameSeconds: number | null;
  reconnects: number;
  lastError: string | undefined;
  videoProducerId: string;
  /** Undefined for a WHIP client that sends no audio. */
  audioProducerId: string | undefined;
}

export interface IngestOptions {
  lectureId: string;
  peerId: string;
  input: IngestInput;
  encode?: EncodeOptions;
  /** No decoded frame for this long: stalled (shown as such), and the process is restarted after twice that. */
  stallMs?: number;
  backoff?: { firstMs: number; maxMs: number };
  onHealth?: (health: IngestHealth) => void;
}

/** What went wrong, in words an IT person acts on, when ffmpeg said something we recognise. */
export function knownCause(stderr: string): string | undefined {
  if (/Unexpected stream/.test(stderr)) return 'refused a publish with a wrong stream key';
  if (/matches no streams/.test(stderr)) return 'the stream has no video';
  const decoder = /Decoder \(codec ([\w-]+)\) not found|Unsupported codec[^\n]*/.exec(stderr);
  if (decoder) return `unsupported codec${decoder[1] ? ` ${decoder[1]}` : ''}`;
  if (/Connection refused/.test(stderr)) return 'connection refused: nothing answers at that address and port (camera off or wrong port)';
  if (/Connection timed out|Operation timed out|No route to host/.test(stderr)) return 'no answer from that address (camera unreachable or firewalled)';
  if (/401 Unauthorized/.test(stderr)) return 'the camera wants a user name and password (401): put them in the URL';
  if (/404 Not Found/.test(stderr)) return 'the camera has no stream at that path (404)';
  if (/Address already in use/.test(stderr)) return 'a local port the gateway sends from is taken by another process';
  return undefined;
}

/** knownCause, or ffmpeg's own last line. */
export function explain(stderr: string): string | undefined {
  const known = knownCause(stderr);
  if (known) return known;
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('Last message repeated'));
  return lines.at(-1);
}

const VIDEO_PT = 101;
const AUDIO_PT = 100;

export class Ingest {
  readonly video: PlainProducer;
  readonly audio: PlainProducer;
  /** Where every ffmpeg of this ingest sends to: one fixed address per transport, across restarts. */
  readonly #funnels: { video: RtpFunnel; audio: RtpFunnel };
  readonly #opts: Required<Omit<IngestOptions, 'onHealth'>> & Pick<IngestOptions, 'onHealth'>;
  #ffmpeg: ChildProcess | undefined;
  #state: IngestState = 'waiting';
  #fps = 0;
  #frames = 0;
  #lastFrameAt = 0;
  #bitrateKbps = 0;
  #lastBytes = 0;
  #reconnects = 0;
  #lastError: string | undefined;
  #delayMs: number;
  #liveSince = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #refused = false;
  readonly #ticker: NodeJS.Timeout;

  private constructor(opts: IngestOptions, video: PlainProducer, audio: PlainProducer, funnels: { video: RtpFunnel; audio: RtpFunnel }) {
    this.#opts = { encode: DEFAULT_ENCODE, stallMs: 3000, backoff: { firstMs: 500, maxMs: 10_000 }, ...opts };
    this.video = video;
    this.audio = audio;
    this.#funnels = funnels;
    this.#delayMs = this.#opts.backoff.firstMs;
    this.#ticker = setInterval(() => void this.#tick(), 1000);
  }

  static async start(node: MediasoupNode, opts: IngestOptions): Promise<Ingest> {
    const { lectureId, peerId } = opts;
    const layers = (opts.encode ?? DEFAULT_ENCODE).layers;
    // rtcpMux: RTP and RTCP of every layer arrive through one funnel, from one address.
    const video = await addPlainProducer(node, lectureId, {
      peerId, source: 'camera', rtcpMux: true, ssrcs: layers.map((_, i) => randomSsrc(0x4000_0000 + i * 0x1000_0000 / 4)),
      codec: { mimeType: 'video/VP8', clockRate: 90000, payloadType: VIDEO_PT },
    });
    const opened: { close(): void }[] = [video.transport];
    try {
      const audio = await addPlainProducer(node, lectureId, {
        peerId, source: 'microphone', rtcpMux: true, ssrcs: [randomSsrc(0x5000_0000)], paused: true,
        codec: { mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: AUDIO_PT },
      });
      opened.push(audio.transport);
      const videoFunnel = await RtpFunnel.open(video.rtpPort);
      opened.push(videoFunnel);
      const audioFunnel = await RtpFunnel.open(audio.rtpPort);
      opened.push(audioFunnel);
      const ingest = new Ingest(opts, video, audio, { video: videoFunnel, audio: audioFunnel });
      ingest.#spawn();
      return ingest;
    } catch (err) {
      for (const o of opened) o.close();
      throw err;
    }
  }


  /** The room microphone follows the floor: on while the classroom holds it. */
  async setMicrophone(on: boolean): Promise<void> {
    if (on) await this.audio.producer.resume();
    else await this.audio.producer.pause();
  }

  /** Where the stream comes from (an RTMP listener's port, a camera URL...). */
  get input(): IngestInput {
    return this.#opts.input;
  }

  health(): IngestHealth {
    return {
      source: this.#opts.input.kind,
      state: this.#state,
      fps: this.#fps,
      bitrateKbps: this.#bitrateKbps,
      keyFrameSeconds: this.#opts.encode.keyFrameSeconds,
      reconnects: this.#reconnects,
      lastError: this.#lastError,
      videoProducerId: this.video.producer.id,
      audioProducerId: this.audio.producer.id,
    };
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    clearInterval(this.#ticker);
    clearTimeout(this.#restartTimer);
    this.#ffmpeg?.kill('SIGKILL');
    this.video.transport.close();
    this.audio.transport.close();
    this.#funnels.video.close();
    this.#funnels.audio.close();
  }

  #spawn(): void {
    const { video, audio } = this;
    const ssrcsOf = (p: PlainProducer) => p.producer.rtpParameters.encodings!.map((e) => e.ssrc!);
    const args = ingestArgs(
      this.#opts.input,
      { payloadType: VIDEO_PT, ssrcs: ssrcsOf(video), port: this.#funnels.video.port },
      { payloadType: AUDIO_PT, ssrcs: ssrcsOf(audio), port: this.#funnels.audio.port },
      this.#opts.encode,
    );
    const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#ffmpeg = ffmpeg;
    this.#frames = 0;
    // Gate: ffmpeg's RTMP server only warns about a wrong stream name and goes on decoding until we
    // kill it, so the picture stays paused until ffmpeg reported progress (a second in) unrefused.
    this.#refused = false;
    this.video.producer.pause().catch(() => undefined); // closed meanwhile: nothing to gate
    let stderr = '';
    ffmpeg.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
      // ffmpeg's RTMP server warns and then holds the refused connection open: end it here.
      if (/Unexpected stream/.test(chunk)) {
        this.#refused = true;
        this.#lastError = explain(chunk);
        ffmpeg.kill('SIGKILL');
      }
    });
    ffmpeg.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.#ffmpeg !== ffmpeg || this.#refused) return;
      this.#onProgress(chunk);
    });
    ffmpeg.on('error', (err) => {
      this.#lastError = `ffmpeg: ${err.message}`;
    });
    ffmpeg.on('exit', (code, signal) => {
      if (this.#ffmpeg !== ffmpeg || this.#state === 'closed') return;
      this.#ffmpeg = undefined;
      // A clean exit is the input ending (camera or encoder hung up); its stderr holds only warnings.
      this.#lastError = code === 0
        ? (knownCause(stderr) ?? 'the source closed the stream')
        : (explain(stderr) ?? `ffmpeg exited (${signal ?? code})`);
      this.#scheduleRestart();
    });
  }

  #scheduleRestart(): void {
    this.#setState('restarting');
    this.#fps = 0;
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, this.#opts.backoff.maxMs);
    this.#restartTimer = setTimeout(() => {
      if (this.#state === 'closed') return;
      this.#reconnects += 1;
      // A source that was live and dropped is stalled until frames come back, not merely awaited.
      this.#setState(this.#liveSince > 0 ? 'stalled' : 'waiting');
      this.#spawn();
    }, delay);
  }

  #onProgress(chunk: string): void {
    for (const line of chunk.split('\n')) {
      const [key, value] = line.split('=');
      if (key === 'frame') {
        const frames = Number(value);
        if (frames > this.#frames) {
          this.#frames = frames;
          this.#lastFrameAt = Date.now();
          if (this.#state !== 'live') {
            this.#liveSince = Date.now();
            this.video.producer.resume().catch(() => undefined);
            this.#setState('live');
          }
        }
      } else if (key === 'fps') {
        this.#fps = Number(value) || 0;
      }
    }
  }

  async #tick(): Promise<void> {
    if (this.#state === 'closed') return;
    const now = Date.now();
    const { stallMs, backoff } = this.#opts;
    if (this.#state === 'live' && now - this.#liveSince > 10_000) this.#delayMs = backoff.firstMs; // steady: back-off starts over
    if ((this.#state === 'live' || this.#state === 'stalled') && this.#ffmpeg !== undefined && now - this.#lastFrameAt > stallMs) {
      this.#fps = 0;
      this.#setState('stalled');
      // A process that decoded frames and went silent is treated as gone: reconnect rather than
      // wait forever. One still waiting for its encoder to come back (no frame yet) keeps listening.
      if (now - this.#lastFrameAt > 2 * stallMs && this.#frames > 0) {
        this.#lastError = `no frames for ${Math.round((now - this.#lastFrameAt) / 1000)} s`;
        const stale = this.#ffmpeg;
        this.#ffmpeg = undefined;
        stale.kill('SIGKILL');
        this.#scheduleRestart();
      }
    }
    try {
      const stats = [...await this.video.transport.getStats(), ...await this.audio.transport.getStats()];
      const bytes = stats.reduce((sum, s) => sum + (s.bytesReceived ?? 0), 0);
      this.#bitrateKbps = this.#lastBytes === 0 ? 0 : Math.round(((bytes - this.#lastBytes) * 8) / 1000);
      this.#lastBytes = bytes;
    } catch {
      // The transport closed under us (lecture ended): close() follows.
    }
    this.#opts.onHealth?.(this.health());
  }

  #setState(state: IngestState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#opts.onHealth?.(this.health());
  }
}
