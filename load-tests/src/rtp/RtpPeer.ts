/**
 * One simulated participant with real media: mediasoup-client on werift, following the same
 * protocol flow as tests/helpers/fakePeer.ts (join → load device → capabilities → transports →
 * consume every producer it is offered → resume), but counting the RTP that actually arrives.
 */
import { Device, type types } from 'mediasoup-client';
import type { MediaStreamTrack as WeriftTrack, RtpPacket } from 'werift';
import { PROTOCOL_VERSION, type JoinResponse, type MediaSource, type ProducerInfo } from '@tongtang/shared';
import { ConsumerMeter } from './ConsumerMeter.ts';
import { GapTracker } from './mediaGaps.ts';
import { encodingsFor, RtpPublisher, type PublishSpec, type SsrcSimulcastAppData } from './RtpPublisher.ts';
import { SignalClient, type RttSample } from '@tongtang/protocol-client';
import { epochNow } from './streamSender.ts';
import { installWeriftGlobals } from './weriftGlobals.ts';
import { relayCandidates } from '../net/candidates.ts';
import type { NetworkProfile } from '../net/profiles.ts';
import type { RelayStats, UdpRelay } from '../net/relay.ts';

export interface RtpPeerOptions {
  url: string;
  token: string;
  /** Open a receive transport and consume what the server offers. */
  receive: boolean;
  /** Preferred spatial layer for simulcast video; undefined lets the SFU choose. */
  preferredLayer?: number;
  onRtt?: (s: RttSample) => void;
  /** Something went wrong after joining (a consume failed, the socket dropped...). */
  onError?: (message: string) => void;
  /** Reach the server over this emulated link (a relay in front of each transport). */
  network?: NetworkProfile;
}

export class RtpPeer {
  /** Epoch ms: connect started, join answered. */
  readonly joinStartedAt: number;
  joinedAt = 0;
  joined!: JoinResponse;
  readonly meters = new Map<string, ConsumerMeter>(); // by consumer id
  publisher: RtpPublisher | undefined;
  disconnected: string | null = null;
  /** Silences per followed stream, across consumers (a media reset brings a stream back on a new one). */
  readonly gaps = new GapTracker();
  /** Times the server reset this peer's media (its worker died) and it rebuilt it. */
  mediaResets = 0;
  readonly #published: PublishSpec[] = [];
  #offered = new Map<string, ProducerInfo>();
  #restarting = false;
  readonly #device = new Device({ handlerName: 'Chrome111' });
  #recv: types.Transport | undefined;
  #send: types.Transport | undefined;
  readonly #consumers = new Map<string, types.Consumer>(); // by producer id
  #closed = false;
  readonly #relays: UdpRelay[] = [];

  private constructor(readonly client: SignalClient, readonly options: RtpPeerOptions, startedAt: number) {
    this.joinStartedAt = startedAt;
  }

  static async join(options: RtpPeerOptions): Promise<RtpPeer> {
    installWeriftGlobals();
    const startedAt = epochNow();
    const client = await SignalClient.connect(options.url, options.token, { onRtt: options.onRtt, connectTimeoutMs: 15_000, requestTimeoutMs: 15_000 });
    const peer = new RtpPeer(client, options, startedAt);
    try {
      await peer.#start();
    } catch (err) {
      peer.close();
      throw err;
    }
    return peer;
  }

  get id(): string {
    return this.joined.self.id;
  }

  /** Publishes pre-encoded clips as `spec.source` (opens the send transport on first use). */
  async publish(spec: PublishSpec): Promise<types.Producer> {
    this.#send ??= await this.#createTransport('send');
    this.publisher ??= new RtpPublisher(this.#send);
    const producer = await this.publisher.publish(spec);
    this.#published.push(spec);
    return producer;
  }

  unpublish(source: MediaSource): void {
    const i = this.#published.findIndex((s) => s.source === source);
    if (i >= 0) this.#published.splice(i, 1);
    const producerId = this.publisher?.producers.get(source)?.producer.id;
    this.publisher?.unpublish(source);
    if (producerId) void this.client.request('media:closeProducer', { producerId }).catch(() => {});
  }

  /** What the emulated link did to this peer's datagrams, over all its transports. */
  networkStats(): RelayStats | null {
    if (this.#relays.length === 0) return null;
    const add = (a: RelayStats['up'], b: RelayStats['up']) => ({ passed: a.passed + b.passed, lost: a.lost + b.lost, queueDropped: a.queueDropped + b.queueDropped });
    return this.#relays.map((r) => r.stats()).reduce((a, b) => ({ clients: a.clients + b.clients, up: add(a.up, b.up), down: add(a.down, b.down) }));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const now = epochNow();
    for (const m of this.meters.values()) m.closedAt ??= now;
    this.publisher?.close();
    this.#send?.close();
    this.#recv?.close();
    this.client.close();
    for (const r of this.#relays) void r.close();
  }

  async #start(): Promise<void> {
    const { client } = this;
    this.joined = await client.request('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    this.joinedAt = epochNow();
    client.onDisconnect((reason) => {
      if (!this.#closed) this.disconnected = reason;
    });
    client.on('media:reset', () => void this.#restartMedia());
    if (!this.options.receive) {
      await this.#device.load({ routerRtpCapabilities: this.joined.routerRtpCapabilities as types.RtpCapabilities });
      return;
    }
    // Listen before the next await: a producer announced while the transport is being set up
    // (a speaker getting the floor mid-join) must not be missed.
    const offered = this.#offered;
    for (const p of this.joined.producers) offered.set(p.id, p);
    client.on('producer:added', (p) => (this.#recv ? void this.#consume(p) : offered.set(p.id, p)));
    client.on('producer:removed', ({ producerId, reason }) => {
      offered.delete(producerId);
      this.#drop(producerId, reason !== 'media-lost');
    });
    client.on('consumer:closed', ({ producerId }) => this.#drop(producerId));
    await this.#device.load({ routerRtpCapabilities: this.joined.routerRtpCapabilities as types.RtpCapabilities });
    await client.request('media:setCapabilities', { rtpCapabilities: this.#device.rtpCapabilities });
    this.#recv = await this.#createTransport('recv');
    await Promise.all([...offered.values()].map((p) => this.#consume(p)));
    offered.clear();
  }

  /**
   * The worker carrying our media died (media:reset): the signaling connection stays; ask for a
   * fresh media peer (retrying while the worker is replaced), consume again, publish again.
   */
  async #restartMedia(): Promise<void> {
    if (this.#closed || this.#restarting) return;
    this.#restarting = true;
    const now = epochNow();
    for (const m of this.meters.values()) m.closedAt ??= now;
    const specs = [...this.#published];
    this.#published.length = 0;
    this.publisher?.close();
    this.publisher = undefined;
    this.#send?.close();
    this.#send = undefined;
    this.#recv?.close();
    this.#recv = undefined;
    this.#consumers.clear();
    try {
      let restart;
      for (let attempt = 1; ; attempt++) {
        try {
          restart = await this.client.request('media:restart', {});
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'UNAVAILABLE' || attempt >= 20 || this.#closed) throw err;
          await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2_000)));
        }
      }
      if (this.options.receive) {
        await this.client.request('media:setCapabilities', { rtpCapabilities: this.#device.rtpCapabilities });
        for (const p of restart.producers) this.#offered.set(p.id, p);
        this.#recv = await this.#createTransport('recv');
        await Promise.all([...this.#offered.values()].map((p) => this.#consume(p)));
        this.#offered.clear();
      }
      for (const spec of specs) await this.publish(spec);
      this.mediaResets++;
    } catch (err) {
      if (!this.#closed) this.options.onError?.(`media restart: ${(err as Error).message}`);
    } finally {
      this.#restarting = false;
    }
  }

  async #createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const o = await this.client.request('media:createTransport', { direction });
    let iceCandidates = o.iceCandidates;
    if (this.options.network) {
      const relayed = await relayCandidates(o.iceCandidates as never[], this.options.network);
      this.#relays.push(relayed.relay);
      iceCandidates = relayed.candidates;
    }
    const options = {
      id: o.id,
      iceParameters: o.iceParameters,
      iceCandidates,
      dtlsParameters: o.dtlsParameters,
    } as types.TransportOptions;
    const transport = direction === 'send' ? this.#device.createSendTransport(options) : this.#device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.client.request('media:connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      const data = appData as unknown as SsrcSimulcastAppData;
      const params = { ...rtpParameters, encodings: encodingsFor(data) };
      this.client.request('media:produce', { transportId: transport.id, kind, source: data.source, rtpParameters: params as never })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    return transport;
  }

  async #consume(p: ProducerInfo): Promise<void> {
    if (!this.#recv || this.#closed || this.#consumers.has(p.id)) return;
    try {
      const o = await this.client.request('media:consume', { producerId: p.id });
      const consumer = await this.#recv.consume({
        id: o.id, producerId: o.producerId, kind: o.kind, rtpParameters: o.rtpParameters as types.RtpParameters,
      });
      this.#consumers.set(p.id, consumer);
      const clockRate = consumer.rtpParameters.codecs[0]?.clockRate ?? (o.kind === 'audio' ? 48_000 : 90_000);
      const meter = new ConsumerMeter({
        consumerId: o.id, producerId: o.producerId, participantId: o.participantId, source: o.source, kind: o.kind,
        // Only the load test's own publishers stamp send time into RTP timestamps (plan.ts names them load-*).
        clockRate, stamped: o.participantId.startsWith('load-'),
      }, epochNow());
      this.meters.set(o.id, meter);
      // werift hands every decrypted packet to the track; nothing is depacketized or decoded.
      const stream = `${o.participantId}/${o.source}`;
      (consumer.track as unknown as WeriftTrack).onReceiveRtp.subscribe((rtp: RtpPacket) => {
        const at = epochNow();
        meter.onRtp(rtp.header.sequenceNumber, rtp.header.timestamp, rtp.payload, at);
        this.gaps.packet(stream, at);
      });
      await this.client.request('media:resumeConsumer', { consumerId: o.id });
      if (this.options.preferredLayer !== undefined && o.source === 'camera' && o.kind === 'video') {
        await this.client.request('media:setPreferredLayers', { consumerId: o.id, spatialLayer: this.options.preferredLayer });
      }
    } catch (err) {
      if (!this.#closed) this.options.onError?.(`consume ${p.source} of ${p.participantId}: ${(err as Error).message}`);
    }
  }

  /**
   * The server closed this consumer. Its local end stays open until the transport closes:
   * closing it would let mediasoup-client recycle the m-section for the next consumer of the same
   * kind, and werift then delivers no RTP to the new track (the second speaker went unheard).
   */
  #drop(producerId: string, ended = false): void {
    const consumer = this.#consumers.get(producerId);
    if (!consumer) return;
    this.#consumers.delete(producerId);
    const meter = this.meters.get(consumer.id);
    if (meter) meter.closedAt ??= epochNow();
    // The producer ended on purpose (floor revoked, publisher left): its silence is no outage.
    if (ended && meter) this.gaps.forget(`${meter.info.participantId}/${meter.info.source}`);
  }
}
