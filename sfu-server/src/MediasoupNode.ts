/** The MediaNode signaling talks to, backed by mediasoup workers in this process, able to cascade to other nodes. */
import {
  AppError, type CascadingMediaNode, type ProbeOptions, type ReplayStatus, type ConsumeRequest, type ConsumerOptions, type ExportedProducer, type LectureStats,
  type MediaNodeEvents, type MediaNodeHealth, type MediaNodeListener, type PipeEndpoint, type ProduceRequest, type RecordTrackRequest, type TransportOptions,
} from '@tongtang/shared';
import type { SfuConfig } from './config.ts';
import { GatewayPort } from './gateway/GatewayPort.ts';
import { LectureMedia } from './LectureMedia.ts';
import { ComposeQueue } from './recording/compose/index.ts';
import { Probes } from './Probes.ts';
import { silentLogger, type SfuLogger } from './logger.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import { WorkerPool } from './WorkerPool.ts';

export interface MediasoupNodeOptions {
  /** A pino logger fits; the default logs nothing. */
  logger?: SfuLogger;
}

let startedLecture: (node: MediasoupNode, lectureId: string) => LectureMedia | undefined;

export class MediasoupNode implements CascadingMediaNode {
  static {
    startedLecture = (node, lectureId) => node.#started.get(lectureId);
  }

  readonly #pool: WorkerPool;
  readonly #config: SfuConfig;
  readonly #log: SfuLogger;
  readonly #events: TypedEmitter<MediaNodeEvents>;
  readonly #probes: Probes;
  readonly #compositions: ComposeQueue;
  /** Partner classrooms' hardware (RTMP encoders, IP cameras) brought in as producers. */
  readonly gateway: GatewayPort;
  /** A promise per lecture, stored before the first await, so concurrent first calls share one creation. */
  readonly #lectures = new Map<string, Promise<LectureMedia>>();
  /** The lectures whose start finished, for the synchronous hasProducer. */
  readonly #started = new Map<string, LectureMedia>();
  #closed = false;

  private constructor(pool: WorkerPool, config: SfuConfig, log: SfuLogger, probeLog: SfuLogger) {
    this.#pool = pool;
    this.#config = config;
    this.#log = log;
    this.#probes = new Probes(pool, probeLog);
    this.#compositions = new ComposeQueue({ threads: config.composeThreads, nice: config.composeNice });
    this.#events = new TypedEmitter((event, err) => log.error({ err, event }, 'media event listener threw'));
    this.gateway = new GatewayPort(this, {
      bindHost: config.listenIp,
      publicHost: config.announcedIp ?? config.listenIp,
      rtmpPorts: config.gatewayRtmpPorts,
      onHealth: (lectureId, slot, health) => {
        if (!this.#closed) this.#events.emit('sourceHealth', { lectureId, slot, health });
      },
    });
  }

  /** Starts `config.numWorkers` workers; rejects with AppError('UNAVAILABLE') if one cannot start. */
  static async create(config: SfuConfig, options: MediasoupNodeOptions = {}): Promise<MediasoupNode> {
    // Siblings, not parent and child: a child's component would repeat the key in every line.
    const base = options.logger ?? silentLogger;
    const log = base.child({ component: 'sfu' });
    return new MediasoupNode(await WorkerPool.create(config, log), config, log, base.child({ component: 'probes' }));
  }

  async getRouterRtpCapabilities(lectureId: string): Promise<unknown> {
    return (await this.#lecture(lectureId, true)).rtpCapabilities();
  }

  async setPeerCapabilities(lectureId: string, peerId: string, rtpCapabilities: unknown): Promise<void> {
    (await this.#lecture(lectureId, true)).setPeerCapabilities(peerId, rtpCapabilities);
  }

  async createTransport(lectureId: string, peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    return (await this.#lecture(lectureId, true)).createTransport(peerId, direction);
  }

  async connectTransport(lectureId: string, peerId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    return (await this.#lecture(lectureId)).connectTransport(peerId, transportId, dtlsParameters);
  }

  async restartIce(lectureId: string, peerId: string, transportId: string): Promise<unknown> {
    return (await this.#lecture(lectureId)).restartIce(peerId, transportId);
  }

  async produce(req: ProduceRequest): Promise<{ producerId: string }> {
    return (await this.#lecture(req.lectureId)).produce(req);
  }

  async closeProducer(lectureId: string, producerId: string): Promise<void> {
    (await this.#lecture(lectureId)).closeProducer(producerId);
  }

  async setProducerPaused(lectureId: string, producerId: string, paused: boolean): Promise<void> {
    return (await this.#lecture(lectureId)).setProducerPaused(producerId, paused);
  }

  async consume(req: ConsumeRequest): Promise<ConsumerOptions> {
    return (await this.#lecture(req.lectureId)).consume(req.peerId, req.producerId, req.playout);
  }

  async setConsumerPaused(lectureId: string, peerId: string, consumerId: string, paused: boolean): Promise<void> {
    return (await this.#lecture(lectureId)).setConsumerPaused(peerId, consumerId, paused);
  }

  async setPreferredLayers(lectureId: string, peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    return (await this.#lecture(lectureId)).setPreferredLayers(peerId, consumerId, spatialLayer, temporalLayer);
  }

  async closeConsumer(lectureId: string, peerId: string, consumerId: string): Promise<void> {
    (await this.#lecture(lectureId)).closeConsumer(peerId, consumerId);
  }

  async closePeer(lectureId: string, peerId: string): Promise<void> {
    (await this.#existing(lectureId))?.closePeer(peerId);
  }

  async closeLecture(lectureId: string): Promise<void> {
    const pending = this.#lectures.get(lectureId);
    this.gateway.closeLecture(lectureId);
    if (!pending) return;
    // Forget it first: calls from now on find no lecture (or start a fresh one), none a closing one.
    this.#lectures.delete(lectureId);
    this.#started.delete(lectureId);
    (await pending.catch(() => undefined))?.close();
  }

  createProbe(): Promise<ProbeOptions> {
    if (this.#closed) return Promise.reject(new AppError('UNAVAILABLE', 'media node closed'));
    return this.#probes.create();
  }

  connectProbe(probeId: string, dtlsParameters: unknown): Promise<void> {
    return this.#probes.connect(probeId, dtlsParameters);
  }

  async openPipe(lectureId: string, remoteNodeId: string): Promise<PipeEndpoint> {
    return (await this.#lecture(lectureId)).pipes.open(remoteNodeId);
  }

  async connectPipe(lectureId: string, remoteNodeId: string, remote: PipeEndpoint): Promise<void> {
    return (await this.#lecture(lectureId)).pipes.connect(remoteNodeId, remote);
  }

  async exportProducer(lectureId: string, remoteNodeId: string, producerId: string): Promise<ExportedProducer> {
    return (await this.#lecture(lectureId)).pipes.export(remoteNodeId, producerId);
  }

  async importProducer(lectureId: string, remoteNodeId: string, exported: ExportedProducer): Promise<void> {
    return (await this.#lecture(lectureId)).pipes.import(remoteNodeId, exported);
  }

  hasProducer(lectureId: string, producerId: string): boolean {
    const lecture = this.#started.get(lectureId);
    return lecture !== undefined && !lecture.closed && lecture.hasProducer(producerId);
  }

  /** Imported producers close with the pipe, and their local consumers with them (consumerClosed). Safe twice. */
  async closePipe(lectureId: string, remoteNodeId: string): Promise<void> {
    (await this.#existing(lectureId))?.pipes.close(remoteNodeId);
  }

  /**
   * Counts for a lecture; zeros for one without media (yet, or any more). Imported producers count
   * as producers (receivers here consume them); transports are the participants' WebRTC ones, not pipes.
   */
  async lectureStats(lectureId: string): Promise<Omit<LectureStats, 'participants'>> {
    const lecture = await this.#existing(lectureId);
    if (lecture) return lecture.stats();
    return { lectureId, routers: 0, transports: 0, producers: 0, consumers: 0, workers: [] };
  }

  async startRecording(req: RecordTrackRequest): Promise<void> {
    return (await this.#lecture(req.lectureId)).recordings.start(req);
  }

  async stopRecording(lectureId: string, producerId: string): Promise<void> {
    await (await this.#existing(lectureId))?.recordings.stop(producerId);
  }

  composeRecording(dir: string): Promise<ReplayStatus> {
    if (this.#closed) return Promise.reject(new AppError('UNAVAILABLE', 'media node closed'));
    return this.#compositions.enqueue(dir);
  }

  /** Ready while every worker slot has a live worker (a dead one is being replaced). */
  health(): MediaNodeHealth {
    return { ready: this.#pool.allAlive, workers: this.#pool.health() };
  }

  on<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void {
    this.#events.on(event, listener);
  }

  off<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void {
    this.#events.off(event, listener);
  }

  /** Closes every lecture and worker; no events fire during or after. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const lectures = await Promise.allSettled(this.#lectures.values());
    this.#lectures.clear();
    this.#started.clear();
    this.#probes.close();
    this.#compositions.close();
    this.gateway.closeAll();
    // Recordings first, while their producers still send: each ffmpeg writes its trailer.
    await Promise.all(lectures.map((r) => (r.status === 'fulfilled' ? r.value.recordings.stopAll() : undefined)));
    for (const result of lectures) if (result.status === 'fulfilled') result.value.close();
    this.#events.removeAllListeners();
    this.#pool.close();
  }

  /** The lecture's media; created on first use when `create`, else NOT_FOUND. */
  async #lecture(lectureId: string, create = false): Promise<LectureMedia> {
    if (this.#closed) throw new AppError('UNAVAILABLE', 'media node closed');
    let pending = this.#lectures.get(lectureId);
    if (!pending) {
      if (!create) throw new AppError('NOT_FOUND', `lecture ${lectureId} has no media`);
      pending = LectureMedia.create(lectureId, this.#pool, this.#config, this.#events, this.#log);
      const starting = pending;
      this.#lectures.set(lectureId, starting);
      starting.then(
        (lecture) => {
          if (this.#lectures.get(lectureId) === starting) this.#started.set(lectureId, lecture);
        },
        // A failed start must not stay cached: the next call tries again (e.g. on a replaced worker).
        () => {
          if (this.#lectures.get(lectureId) === starting) this.#lectures.delete(lectureId);
        },
      );
    }
    const lecture = await pending;
    if (lecture.closed) throw new AppError('NOT_FOUND', `lecture ${lectureId} media closed`);
    return lecture;
  }

  /** The lecture's media if it exists and started; undefined otherwise (for idempotent calls). */
  async #existing(lectureId: string): Promise<LectureMedia | undefined> {
    const lecture = await this.#lectures.get(lectureId)?.catch(() => undefined);
    return lecture && !lecture.closed ? lecture : undefined;
  }
}

/** Not exported from index.ts: a started lecture's media, for the gateway that adds producers to it (and test support feeding RTP outside WebRTC). */
export function lectureMediaOf(node: MediasoupNode, lectureId: string): LectureMedia | undefined {
  return startedLecture(node, lectureId);
}
