/**
 * One recorded segment of one track: a loopback PlainTransport consumer sending RTP to an ffmpeg
 * that copies it, without re-encoding, into one file. A sidecar JSON beside the file holds the
 * wall-clock start (and end), the clock an event log of the lecture shares.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { types as ms } from 'mediasoup';
import type { SfuLogger } from '../logger.ts';
import { freePortPair } from './ports.ts';
import { containerOf, ffmpegSdp } from './sdp.ts';

const LOOPBACK = '127.0.0.1';
/** ffmpeg's SDP demuxer cannot start a VP8 stream without a key frame: ask often until data flows (a lost request costs a quarter second of the file, not a second). */
const KEYFRAME_EVERY_MS = 250;
/** The container header alone is a few hundred bytes; past this, media is being written. */
const DATA_BYTES = 2_048;
const SECOND_SIGINT_MS = 300;
const STOP_GRACE_MS = 5_000;

/** ffmpegs still running: if this process exits without stopping them, they must not linger. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(ffmpeg: ChildProcess): void {
  running.add(ffmpeg);
  ffmpeg.once('close', () => running.delete(ffmpeg));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Two different signals (two SIGINTs could merge into one): ffmpeg ends its read, writes its trailer and exits.
  process.once('exit', () => {
    for (const child of running) {
      child.kill('SIGINT');
      child.kill('SIGTERM');
    }
  });
}

export interface SegmentOptions {
  router: ms.Router;
  producer: ms.Producer;
  /** Full path of the media file; the sidecar is the same path with `.json`. */
  file: string;
  segment: number;
  /** Written into the sidecar as is (who, which source...). */
  meta: Record<string, unknown>;
  log: SfuLogger;
}

export interface SegmentEnd {
  /** stop() was called, or the producer or its router went away: no new segment should follow. */
  finished: boolean;
  bytes: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of ffmpeg's stderr, to tell the lecturer why a recording failed. */
  stderr: string;
}

export class Segment {
  readonly file: string;
  readonly startedAt = Date.now();
  readonly ended: Promise<SegmentEnd>;
  readonly #transport: ms.PlainTransport;
  readonly #ffmpeg: ChildProcess;
  readonly #sdpPath: string;
  readonly #sidecar: Record<string, unknown>;
  #finished = false;
  #stderr = '';
  #keyframes: NodeJS.Timeout | undefined;

  private constructor(file: string, transport: ms.PlainTransport, ffmpeg: ChildProcess, sdpPath: string, sidecar: Record<string, unknown>) {
    this.file = file;
    this.#transport = transport;
    this.#ffmpeg = ffmpeg;
    this.#sdpPath = sdpPath;
    this.#sidecar = sidecar;
    ffmpeg.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-2_000);
    });
    this.ended = new Promise((resolve) => {
      ffmpeg.once('close', (code, signal) => resolve(this.#onExit(code, signal)));
      ffmpeg.once('error', (err) => {
        this.#stderr += `\n${err.message}`;
      });
    });
  }

  static async start(opts: SegmentOptions): Promise<Segment> {
    const { router, producer, file } = opts;
    const port = await freePortPair();
    const transport = await router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: false, comedia: false });
    try {
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: captureCapabilities(router, producer.kind), paused: true });
      if (consumer.type === 'simulcast' || consumer.type === 'svc') {
        // The recording keeps the best the lecturer sends, whatever receivers are getting.
        const spatialLayer = Math.max(0, producer.rtpParameters.encodings!.length - 1);
        await consumer.setPreferredLayers({ spatialLayer, temporalLayer: 2 });
      }
      const sdpPath = path.join(os.tmpdir(), `tongtang-rec-${consumer.id}.sdp`);
      fs.writeFileSync(sdpPath, ffmpegSdp(consumer.rtpParameters, consumer.kind, port));
      const codec = consumer.rtpParameters.codecs[0]!.mimeType;
      const sidecar: Record<string, unknown> = { ...opts.meta, producerId: producer.id, kind: producer.kind, codec, segment: opts.segment, file: path.basename(file) };
      const ffmpeg = spawn('ffmpeg', [
        '-nostdin', '-hide_banner', '-loglevel', 'warning', '-protocol_whitelist', 'file,udp,rtp',
        '-i', sdpPath, '-map', '0', '-c', 'copy',
        // Short clusters: a killed ffmpeg loses at most about a second of what it had written.
        '-f', containerOf(codec).format, '-cluster_time_limit', '1000', '-flush_packets', '1', '-y', file,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      track(ffmpeg);
      const segment = new Segment(file, transport, ffmpeg, sdpPath, sidecar);
      consumer.once('producerclose', () => void segment.stop());
      consumer.once('transportclose', () => void segment.stop());
      await transport.connect({ ip: LOOPBACK, port, rtcpPort: port + 1 });
      // Packets sent before ffmpeg listens are lost, and the file's clock would start later than
      // the sidecar says: resume once its socket is bound, and call that the start.
      await udpBound(port, () => ffmpeg.exitCode !== null);
      if (consumer.kind === 'video') await segment.#startAtFirstKeyframe(consumer);
      await consumer.resume();
      sidecar['startedAt'] ??= Date.now();
      segment.#writeSidecar();
      if (consumer.kind === 'video') segment.#askKeyframes(consumer);
      opts.log.info({ file, producerId: producer.id, pid: ffmpeg.pid }, 'recording segment started');
      return segment;
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.#ffmpeg.pid;
  }

  /** Lets ffmpeg write its trailer (SIGINT), killing it if it does not within a few seconds. Safe twice. */
  async stop(): Promise<SegmentEnd> {
    if (!this.#finished) {
      this.#finished = true;
      clearInterval(this.#keyframes);
      if (this.#ffmpeg.exitCode === null && this.#ffmpeg.signalCode === null) {
        this.#ffmpeg.kill('SIGINT');
        // ffmpeg 5.1 lets the first SIGINT end its loop only once a read returns: with the
        // producer gone no packet comes, and only a second signal interrupts the wait.
        const again = setTimeout(() => this.#ffmpeg.kill('SIGINT'), SECOND_SIGINT_MS);
        const kill = setTimeout(() => this.#ffmpeg.kill('SIGKILL'), STOP_GRACE_MS);
        void this.ended.finally(() => {
          clearTimeout(again);
          clearTimeout(kill);
        });
      }
    }
    return this.ended;
  }

  /**
   * A resumed video consumer sends nothing until a key frame (a publisher that just started may
   * take a second or more to send one), so the file's media starts then: the sidecar says so, and
   * the replay places the track where its pictures really begin.
   */
  async #startAtFirstKeyframe(consumer: ms.Consumer): Promise<void> {
    await consumer.enableTraceEvent(['keyframe']).catch(() => undefined);
    const onTrace = (trace: ms.ConsumerTraceEventData): void => {
      if (trace.type !== 'keyframe' || trace.direction !== 'out') return;
      consumer.off('trace', onTrace);
      consumer.enableTraceEvent([]).catch(() => undefined);
      if (this.#finished) return;
      this.#sidecar['startedAt'] = Date.now();
      this.#writeSidecar();
    };
    consumer.on('trace', onTrace);
  }

  #askKeyframes(consumer: ms.Consumer): void {
    const ask = (): void => {
      if (consumer.closed || bytesOf(this.file) >= DATA_BYTES) {
        clearInterval(this.#keyframes);
        return;
      }
      consumer.requestKeyFrame().catch(() => undefined);
    };
    this.#keyframes = setInterval(ask, KEYFRAME_EVERY_MS);
    ask();
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): SegmentEnd {
    // Read before closing the transport: its consumer's transportclose calls stop(), which would
    // mark an unexpected death as a requested end.
    const finished = this.#finished;
    this.#finished = true;
    clearInterval(this.#keyframes);
    this.#transport.close();
    fs.rm(this.#sdpPath, { force: true }, () => undefined);
    const bytes = bytesOf(this.file);
    const end: SegmentEnd = { finished, bytes, code, signal, stderr: this.#stderr.trim() };
    Object.assign(this.#sidecar, { endedAt: Date.now(), bytes, exit: signal ?? code });
    this.#writeSidecar();
    return end;
  }

  #writeSidecar(): void {
    try {
      fs.writeFileSync(this.file.replace(/\.[^.]+$/, '.json'), `${JSON.stringify(this.#sidecar, null, 2)}\n`);
    } catch {
      // An unwritable directory shows as ffmpeg failing to write the media file; reported there.
    }
  }
}

/** The router's codec for the kind, without RTX or header extensions: ffmpeg wants plain RTP. */
function captureCapabilities(router: ms.Router, kind: ms.MediaKind): ms.RtpCapabilities {
  const codecs = (router.rtpCapabilities.codecs ?? []).filter((c) => c.kind === kind && !/\/rtx$/i.test(c.mimeType));
  return { codecs, headerExtensions: [] };
}

/** Waits (at most a few seconds) until something listens on the UDP port (ffmpeg binds the wildcard address). */
async function udpBound(port: number, gaveUp: () => boolean): Promise<void> {
  const listening = new RegExp(`^\\s*\\d+: [0-9A-F]{8}:${port.toString(16).toUpperCase().padStart(4, '0')} `, 'm');
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && !gaveUp()) {
    const table = await fs.promises.readFile('/proc/net/udp', 'utf8').catch(() => '');
    if (table === '' || listening.test(table)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function bytesOf(file: string): number {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}
