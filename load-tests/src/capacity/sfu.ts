/**
 * The SFU under test, straight on mediasoup's API: one router per worker (the routers of the
 * server's own codecs), the lecturer's camera and microphone produced on worker 1's router through
 * one comedia PlainTransport, piped to worker 2's router when there is one, and receivers — one
 * SRTP PlainTransport each, consuming both — spread evenly over the routers.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { MEDIA_CODECS } from '@tongtang/sfu-server';
import { CAMERA_BITRATES } from '../rtp/clips.ts';
import { processCpuTimes } from '../stats/cpu.ts';
import { withoutCongestionControl } from './capabilities.ts';
import { randomSrtpParameters, type SrtpSuite } from './srtp.ts';

const LOOPBACK = '127.0.0.1';
/** Any dynamic payload types: the router maps them to its own. */
export const VIDEO_PT = 96;
export const AUDIO_PT = 111;
/** Receivers set up at once: enough to keep the workers' channels busy, few enough not to time out. */
const SETUP_BATCH = 25;

export interface Receiver {
  router: number;
  transport: ms.PlainTransport;
  video: ms.Consumer;
  audio: ms.Consumer;
}

export type StreamInfo = { kind: 'video' | 'audio'; router: number };

const randomSsrc = () => 0x1000_0000 + Math.floor(Math.random() * 0x6fff_ffff);

export class CapacitySfu {
  readonly receivers: Receiver[] = [];
  /** Consumers' outgoing SSRCs: which stream the receiver process's counts belong to. */
  readonly streams = new Map<number, StreamInfo>();

  private constructor(
    readonly workers: ms.Worker[],
    readonly routers: ms.Router[],
    readonly ingress: ms.PlainTransport,
    readonly video: ms.Producer,
    readonly audio: ms.Producer,
    readonly videoSsrcs: number[],
    readonly audioSsrc: number,
  ) {}

  /** Workers start one by one and are closed again if anything after them fails. */
  static async create(workerCount: number, onDied: (err: Error) => void): Promise<CapacitySfu> {
    const workers: ms.Worker[] = [];
    try {
      for (let i = 0; i < workerCount; i++) {
        const worker = await mediasoup.createWorker({ logLevel: 'warn' });
        worker.on('died', onDied);
        workers.push(worker);
      }
      const routers = await Promise.all(workers.map((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS })));
      const origin = routers[0]!;
      // rtcpMux + comedia: our one socket's RTP and sender reports both arrive on one port.
      const ingress = await origin.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: true, comedia: true });
      const videoSsrcs = CAMERA_BITRATES.map(randomSsrc);
      const audioSsrc = randomSsrc();
      const video = await ingress.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90_000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
          encodings: videoSsrcs.map((ssrc, i) => ({ ssrc, maxBitrate: CAMERA_BITRATES[i], scalabilityMode: 'L1T1' })),
        },
      });
      const audio = await ingress.produce({
        kind: 'audio',
        rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48_000, channels: 2 }], encodings: [{ ssrc: audioSsrc }] },
      });
      for (const router of routers.slice(1)) {
        for (const producer of [video, audio]) await origin.pipeToRouter({ producerId: producer.id, router });
      }
      return new CapacitySfu(workers, routers, ingress, video, audio, videoSsrcs, audioSsrc);
    } catch (err) {
      for (const w of workers) w.close();
      throw err;
    }
  }

  /** Adds receivers until there are `target`, receiver i on router i mod routers and receiver socket i mod sockets. */
  async growTo(target: number, ports: number[], suite: SrtpSuite, layer: number): Promise<void> {
    while (this.receivers.length < target) {
      const first = this.receivers.length;
      const batch = Array.from({ length: Math.min(SETUP_BATCH, target - first) }, (_, k) => first + k);
      this.receivers.push(...(await Promise.all(batch.map((i) => this.#receiver(i % this.routers.length, ports[i % ports.length]!, suite, layer)))));
    }
  }

  async #receiver(routerIndex: number, port: number, suite: SrtpSuite, layer: number): Promise<Receiver> {
    const router = this.routers[routerIndex]!;
    const transport = await router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: suite });
    await transport.connect({ ip: LOOPBACK, port, srtpParameters: randomSrtpParameters(suite) });
    const rtpCapabilities = withoutCongestionControl(router.rtpCapabilities);
    const consume = (producerId: string, more: Partial<ms.ConsumerOptions> = {}) =>
      transport.consume({ producerId, rtpCapabilities, paused: false, ...more });
    // One layer for all: 720p as a projector takes it, 180p as a phone does; without BWE it stays there.
    const video = await consume(this.video.id, { preferredLayers: { spatialLayer: layer } });
    const audio = await consume(this.audio.id);
    for (const [c, kind] of [[video, 'video'], [audio, 'audio']] as const) {
      this.streams.set(c.rtpParameters.encodings![0]!.ssrc!, { kind, router: routerIndex });
    }
    return { router: routerIndex, transport, video, audio };
  }

  /** Video consumers not on the asked-for layer right now (from mediasoup's layerschange events: no request). */
  offLayer(layer: number): number {
    return this.receivers.filter((r) => r.video.currentLayers?.spatialLayer !== layer).length;
  }

  /** Packets the worker found missing from the sender's streams (sequence gaps on the way in). */
  async ingressLost(): Promise<number> {
    const stats = await Promise.all([this.video.getStats(), this.audio.getStats()]);
    return stats.flat().reduce((n, s) => n + s.packetsLost, 0);
  }

  /**
   * User and system CPU ms of each worker, read from /proc rather than asked over the channel:
   * a saturated worker answers requests seconds late, which would skew the window it times.
   */
  workerCpuMs(): { userMs: number; systemMs: number }[] {
    return this.workers.map((w) => {
      const t = processCpuTimes(w.pid);
      if (!t) throw new Error(`no /proc/${w.pid}/stat for worker ${w.pid}`);
      return t;
    });
  }

  /**
   * Packets the worker says it sent (over the channel, so late when the worker is busy), summed over a sample of `size` receivers spread over the
   * list: the cross-check of the receiver's counts, at a few dozen requests rather than thousands.
   */
  async sentBySample(size: number): Promise<{ receivers: number; packets: number }> {
    const step = Math.max(1, Math.floor(this.receivers.length / size));
    const sample = this.receivers.filter((_, i) => i % step === 0).slice(0, size);
    const counts = await Promise.all(sample.flatMap((r) => [r.video, r.audio]).map(async (c) => {
      const stats = await c.getStats();
      return stats.find((s) => s.type === 'outbound-rtp')?.packetCount ?? 0;
    }));
    return { receivers: sample.length, packets: counts.reduce((a, b) => a + b, 0) };
  }

  close(): void {
    for (const w of this.workers) w.close();
  }
}
