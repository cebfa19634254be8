/** One lecture's media: its routers, and each peer's transports, producers and consumers. */
import type { types as ms } from 'mediasoup';
import {
  AppError, type ConsumerOptions, type LectureStats, type MediaNodeEvents, type ProduceRequest, type TransportOptions,
} from '@tongtang/shared';
import { KIND_OF_SOURCE } from './codecs.ts';
import type { SfuConfig } from './config.ts';
import { consume, type ConsumeContext } from './consume.ts';
import { LecturePipes } from './LecturePipes.ts';
import { LectureRouters, type RouterSlot } from './LectureRouters.ts';
import type { SfuLogger } from './logger.ts';
import { MediaLedger, type PeerEntry, type LedgerProducer, type TransportEntry } from './MediaLedger.ts';
import { attempt } from './mediaErrors.ts';
import { LectureRecordings } from './recording/LectureRecordings.ts';
import type { TypedEmitter } from './TypedEmitter.ts';
import type { WorkerPool } from './WorkerPool.ts';

/** A client needs one send and one receive transport; a few more cover reconnects, not abuse. */
const MAX_TRANSPORTS_PER_PEER = 4;

export class LectureMedia {
  readonly lectureId: string;
  /** Pipes to the other media nodes carrying this lecture (the cascade). */
  readonly pipes: LecturePipes;
  /** Tracks recorded to disk (ffmpeg copies, supervised). */
  readonly recordings: LectureRecordings;
  readonly #config: SfuConfig;
  readonly #events: TypedEmitter<MediaNodeEvents>;
  readonly #log: SfuLogger;
  readonly #routers: LectureRouters;
  readonly #ledger = new MediaLedger();
  readonly #consumeContext: ConsumeContext;
  #closed = false;

  private constructor(lectureId: string, pool: WorkerPool, config: SfuConfig, events: TypedEmitter<MediaNodeEvents>, log: SfuLogger) {
    this.lectureId = lectureId;
    this.#config = config;
    this.#events = events;
    this.#log = log;
    this.#routers = new LectureRouters(lectureId, pool, (slot, died) => this.#onRouterLost(slot, died));
    this.#consumeContext = {
      lectureId,
      ledger: this.#ledger,
      routers: this.#routers,
      keepOrDiscard: (peer, created) => this.#keepOrDiscard(peer, created),
      consumerClosed: (event) => this.#emit('consumerClosed', event),
      consumerLayers: (event) => this.#emit('consumerLayers', event),
    };
    this.recordings = new LectureRecordings(this.#ledger, events, this.#log);
    this.pipes = new LecturePipes({ lectureId, config, routers: this.#routers, ledger: this.#ledger, lectureClosed: () => this.#closed });
  }

  /** Starts the lecture's origin router on the least-loaded worker. */
  static async create(lectureId: string, pool: WorkerPool, config: SfuConfig, events: TypedEmitter<MediaNodeEvents>, log: SfuLogger): Promise<LectureMedia> {
    const media = new LectureMedia(lectureId, pool, config, events, log.child({ lectureId }));
    await media.#routers.origin();
    return media;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async rtpCapabilities(): Promise<ms.RtpCapabilities> {
    return (await this.#routers.origin()).router.rtpCapabilities;
  }

  setPeerCapabilities(peerId: string, rtpCapabilities: unknown): void {
    if (!isObject(rtpCapabilities) || !Array.isArray(rtpCapabilities['codecs'])) {
      throw new AppError('BAD_REQUEST', 'rtpCapabilities must be an object with a codecs array');
    }
    this.#ledger.peer(peerId).rtpCapabilities = rtpCapabilities as ms.RtpCapabilities;
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const peer = this.#ledger.peer(peerId);
    if (peer.transportIds.size + peer.pendingTransports >= MAX_TRANSPORTS_PER_PEER) {
      throw new AppError('LIMIT_EXCEEDED', `at most ${MAX_TRANSPORTS_PER_PEER} transports per participant`);
    }
    // Counted before the first await, so a burst of requests cannot all pass the cap.
    peer.pendingTransports += 1;
    try {
      return await this.#createTransport(peer, direction);
    } finally {
      peer.pendingTransports -= 1;
    }
  }

  async #createTransport(peer: PeerEntry, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const peerId = peer.id;
    const { maxConsumersPerRouter, initialAvailableOutgoingBitrate, maxIncomingBitrate } = this.#config;
    const slot = direction === 'send'
      ? await this.#routers.origin()
      : await this.#routers.forReceiver((s) => this.#ledger.receiverLoad(s), maxConsumersPerRouter);
    const transport = await attempt('create transport', () =>
      slot.router.createWebRtcTransport({
        webRtcServer: slot.pooled.webRtcServer,
        enableUdp: true,
        enableTcp: true, // for networks that block UDP; ICE still prefers UDP
        preferUdp: true,
        initialAvailableOutgoingBitrate,
        appData: { peerId, direction },
      }),
    );
    this.#keepOrDiscard(peer, transport);
    const entry: TransportEntry = { peerId, direction, transport, slot, consumerIds: new Set() };
    this.#ledger.addTransport(peer, entry);
    // DTLS 'closed' is the client hanging up, 'failed' a broken handshake: the transport is dead either way.
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') this.#closeTransport(entry);
    });
    if (direction === 'send') {
      try {
        await attempt('limit incoming bitrate', () => transport.setMaxIncomingBitrate(maxIncomingBitrate));
      } catch (err) {
        this.#closeTransport(entry);
        throw err;
      }
    }
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    const entry = this.#ledger.transportOf(peerId, transportId);
    // A second connect is the client's mistake (mediasoup would throw InvalidStateError): say so plainly.
    if (entry.connecting) throw new AppError('CONFLICT', `transport ${transportId} is already connected`);
    entry.connecting = true;
    await attempt('connect transport', () => entry.transport.connect({ dtlsParameters: dtlsParameters as ms.DtlsParameters }))
      .catch((err: unknown) => {
        entry.connecting = false;
        throw err;
      });
  }

  async restartIce(peerId: string, transportId: string): Promise<unknown> {
    const { transport } = this.#ledger.transportOf(peerId, transportId);
    return attempt('restart ICE', () => transport.restartIce());
  }

  async produce(req: ProduceRequest): Promise<{ producerId: string }> {
    const { peerId, transportId, kind, source } = req;
    const entry = this.#ledger.transportOf(peerId, transportId);
    const peer = this.#ledger.peer(peerId);
    if (entry.direction !== 'send') throw new AppError('BAD_REQUEST', `transport ${transportId} is for receiving`);
    if (KIND_OF_SOURCE[source] !== kind) throw new AppError('BAD_REQUEST', `${source} must be ${KIND_OF_SOURCE[source]}, not ${kind}`);
    const producer = await attempt('produce', () =>
      entry.transport.produce({ kind, rtpParameters: req.rtpParameters as ms.RtpParameters, appData: { peerId, source } }),
    );
    this.#keepOrDiscard(peer, producer);
    this.#ledger.producers.set(producer.id, { peerId, source, producer, transportId, slot: entry.slot });
    producer.on('transportclose', () => {
      const workerDied = entry.slot.pooled.worker.died;
      if (this.#ledger.forgetProducer(producer.id)) this.#emit('producerClosed', { lectureId: this.lectureId, producerId: producer.id, workerDied });
    });
    return { producerId: producer.id };
  }

  /** The router media from outside the participants' WebRTC transports (the gateway's ingests) enters on. */
  origin(): Promise<RouterSlot> {
    return this.#routers.origin();
  }

  /**
   * A producer made outside the peer's own transport (a gateway ingest, plain RTP from a local
   * process), entered like one the peer produced, so signaling, consumers and recording treat it as
   * that peer's camera or microphone; forgotten when it closes, whoever closes it: the gateway, its
   * transport, the router or the worker.
   */
  adoptProducer(entry: LedgerProducer): void {
    const { producer } = entry;
    this.#ledger.producers.set(producer.id, entry);
    producer.observer.once('close', () => {
      if (this.#ledger.producers.get(producer.id)?.producer === producer) this.#ledger.forgetProducer(producer.id);
    });
  }

  /** A live producer here, local or imported from another node. */
  hasProducer(producerId: string): boolean {
    const entry = this.#ledger.producers.get(producerId);
    return entry !== undefined && !entry.producer.closed;
  }

  /** No owner check: signaling decides who may stop a producer (its owner, the lecturer, or the cascade). */
  closeProducer(producerId: string): void {
    const { producer } = this.#ledger.producer(producerId);
    this.#ledger.forgetProducer(producerId);
    producer.close();
  }

  /** No owner check: the lecturer mutes speakers by pausing their producers. */
  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const { producer } = this.#ledger.producer(producerId);
    await attempt(paused ? 'pause producer' : 'resume producer', () => (paused ? producer.pause() : producer.resume()));
  }

  consume(peerId: string, producerId: string, playout?: 'smooth' | 'immediate'): Promise<ConsumerOptions> {
    return consume(this.#consumeContext, peerId, producerId, playout);
  }

  async setConsumerPaused(peerId: string, consumerId: string, paused: boolean): Promise<void> {
    const { consumer } = this.#ledger.consumerOf(peerId, consumerId);
    if (paused) return attempt('pause consumer', () => consumer.pause());
    await attempt('resume consumer', () => consumer.resume());
    // A decoder that starts mid-stream needs a keyframe; asking now beats waiting for the next one.
    if (consumer.kind === 'video') await attempt('request keyframe', () => consumer.requestKeyFrame());
  }

  async setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const { consumer } = this.#ledger.consumerOf(peerId, consumerId);
    if (!isLayer(spatialLayer) || (temporalLayer !== undefined && !isLayer(temporalLayer))) {
      throw new AppError('BAD_REQUEST', 'layers must be non-negative integers');
    }
    await attempt('set preferred layers', () =>
      consumer.setPreferredLayers(temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer }),
    );
  }

  closeConsumer(peerId: string, consumerId: string): void {
    const { consumer } = this.#ledger.consumerOf(peerId, consumerId);
    this.#ledger.forgetConsumer(consumerId);
    consumer.close();
  }

  /** Closes the peer's transports, and with them its producers and consumers. Safe to call twice. */
  closePeer(peerId: string): void {
    const peer = this.#ledger.peers.get(peerId);
    if (!peer) return;
    peer.closed = true;
    for (const id of [...peer.transportIds]) {
      const entry = this.#ledger.transports.get(id);
      if (entry) this.#closeTransport(entry);
    }
    this.#ledger.peers.delete(peerId);
  }

  /** Closes every router. No events: whoever closes the lecture already knows. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.recordings.stopAll();
    this.pipes.closeAll();
    this.#routers.close();
    this.#ledger.clear();
  }

  /** Counts, and the watchdog's last usage sample of each worker: never waits on a (maybe hung) worker. */
  async stats(): Promise<Omit<LectureStats, 'participants'>> {
    const workers = [...new Set(this.#routers.all.map((s) => s.pooled))].filter((p) => !p.worker.closed);
    return {
      lectureId: this.lectureId,
      routers: this.#routers.all.length,
      transports: this.#ledger.transports.size,
      producers: this.#ledger.producers.size,
      consumers: this.#ledger.consumers.size,
      workers: workers.flatMap(({ worker, watch }) =>
        watch.usage
          ? [{ pid: worker.pid, cpuUserMs: watch.usage.ru_utime, cpuSystemMs: watch.usage.ru_stime, maxRssKb: watch.usage.ru_maxrss }]
          : [],
      ),
    };
  }

  /** Closing the transport fires its producers' and consumers' own close events (and so ours). */
  #closeTransport(entry: TransportEntry): void {
    entry.transport.close();
    this.#ledger.forgetTransport(entry.transport.id);
  }

  /**
   * mediasoup state created while the peer left or the lecture closed has nobody to own it, and a
   * producer or consumer whose transport closed meanwhile is already dead.
   */
  #keepOrDiscard(peer: PeerEntry, created: { readonly closed: boolean; close(): void }): void {
    if (created.closed) throw new AppError('MEDIA_ERROR', 'its transport closed meanwhile');
    if (!peer.closed && !this.#closed) return;
    created.close();
    throw new AppError('NOT_FOUND', this.#closed ? `lecture ${this.lectureId} closed` : `participant ${peer.id} left`);
  }

  #onRouterLost(slot: RouterSlot, workerDied: boolean): void {
    const peerIds = this.#ledger.sweepRouter(slot);
    this.#log.warn({ routerId: slot.router.id, workerDied, peers: peerIds.size }, 'router closed under the lecture');
    if (workerDied && peerIds.size > 0) this.#emit('peersLostMedia', { lectureId: this.lectureId, peerIds: [...peerIds] });
  }

  #emit<K extends keyof MediaNodeEvents & string>(event: K, payload: MediaNodeEvents[K]): void {
    if (!this.#closed) this.#events.emit(event, payload);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isLayer(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < 16;
}
