/**
 * One simulated participant: Socket.IO signaling plus a mediasoup-client Device on the
 * FakeHandler. It does everything a browser does on the signaling side (load, capabilities,
 * transports, produce, consume, resume) but moves no RTP, so thousands fit in one process.
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, type types } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { PROTOCOL_VERSION, type MediaSource, type ProducerInfo, type Role } from '@tongtang/shared';
import { SignalClient } from '@tongtang/protocol-client';

/** Timing hooks the scenario listens on; `at` is performance.now() in this process. */
export interface PeerHooks {
  producerAdded(peer: BenchPeer, info: ProducerInfo, at: number): void;
  consumerResumed(peer: BenchPeer, info: ProducerInfo, at: number): void;
  consumerDropped(peer: BenchPeer, producerId: string, at: number): void;
}

export interface JoinTimings {
  connectMs: number;
  joinMs: number;
  /** From starting the connect to: device loaded, capabilities sent, recv transport created, snapshot consumed. */
  readyMs: number;
}

export class BenchPeer {
  /** Resumed consumers, by producer id. */
  readonly consumers = new Map<string, types.Consumer>();
  readonly producers = new Map<MediaSource, types.Producer>();
  readonly errors: string[] = [];
  /** Consumes started but not finished; the scenario waits for zero before measuring. */
  pendingConsumes = 0;
  private sendTransport?: Promise<types.Transport>;
  private recvTransport?: Promise<types.Transport>;
  /** Producers the server currently says we may receive; a consume that finishes after a withdrawal is undone. */
  private readonly announced = new Set<string>();
  private readonly device = new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });

  private constructor(
    readonly client: SignalClient,
    readonly id: string,
    readonly role: Role,
    private readonly hooks: PeerHooks,
  ) {}

  static async join(url: string, token: string, hooks: PeerHooks, timeoutMs: number): Promise<{ peer: BenchPeer; timings: JoinTimings }> {
    const t0 = performance.now();
    const client = await SignalClient.connect(url, token, { connectTimeoutMs: timeoutMs, requestTimeoutMs: 30_000 });
    const connectMs = performance.now() - t0;
    try {
      const joined = await client.request('lecture:join', { protocolVersion: PROTOCOL_VERSION }, timeoutMs);
      const joinMs = performance.now() - t0;
      const peer = new BenchPeer(client, joined.self.id, joined.self.role, hooks);
      // Listen at once: a producer added while the device loads must not be missed. Consumes
      // wait for the receive transport below.
      let recvReady!: (t: types.Transport) => void;
      let recvFailed!: (err: unknown) => void;
      peer.recvTransport = new Promise((resolve, reject) => { recvReady = resolve; recvFailed = reject; });
      peer.recvTransport.catch(() => undefined); // a failed join is reported by the awaits below
      client.on('producer:added', (p) => void peer.consume(p));
      client.on('producer:removed', ({ producerId }) => peer.drop(producerId));
      client.on('consumer:closed', ({ producerId }) => peer.drop(producerId));
      try {
        await peer.device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
        await client.request('media:setCapabilities', { rtpCapabilities: peer.device.rtpCapabilities }, timeoutMs);
        recvReady(await peer.createTransport('recv', timeoutMs));
      } catch (err) {
        recvFailed(err);
        throw err;
      }
      await Promise.all(joined.producers.map((p) => peer.consume(p)));
      return { peer, timings: { connectMs, joinMs, readyMs: performance.now() - t0 } };
    } catch (err) {
      client.close();
      throw err;
    }
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Publishes a fake track; the send transport is created (and connected) on first use. */
  async publish(source: MediaSource): Promise<types.Producer> {
    this.sendTransport ??= this.createTransport('send', 30_000);
    const transport = await this.sendTransport;
    const track = new FakeMediaStreamTrack({ kind: source === 'microphone' ? 'audio' : 'video' });
    const producer = await transport.produce({ track: track as unknown as MediaStreamTrack, appData: { source } });
    this.producers.set(source, producer);
    return producer;
  }

  close(): void {
    this.client.close();
  }

  private async createTransport(direction: 'send' | 'recv', timeoutMs: number): Promise<types.Transport> {
    const options = (await this.client.request('media:createTransport', { direction }, timeoutMs)) as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.device.createSendTransport(options) : this.device.createRecvTransport(options);
    // mediasoup-client raises 'connect' lazily, on the first produce or consume, as in a browser.
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.client.request('media:connectTransport', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      const source = appData.source as MediaSource;
      this.client.request('media:produce', { transportId: transport.id, kind, source, rtpParameters: rtpParameters as never })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    return transport;
  }

  private async consume(p: ProducerInfo): Promise<void> {
    if (!this.recvTransport || this.announced.has(p.id)) return;
    this.announced.add(p.id);
    this.hooks.producerAdded(this, p, performance.now());
    this.pendingConsumes++;
    try {
      const transport = await this.recvTransport;
      const o = await this.client.request('media:consume', { producerId: p.id });
      const consumer = await transport.consume({
        id: o.id, producerId: o.producerId, kind: o.kind, rtpParameters: o.rtpParameters as types.RtpParameters,
        appData: { participantId: o.participantId, source: o.source },
      });
      await this.client.request('media:resumeConsumer', { consumerId: consumer.id });
      if (!this.announced.has(p.id)) {
        consumer.close(); // withdrawn while we were consuming it
        return;
      }
      this.consumers.set(p.id, consumer);
      this.hooks.consumerResumed(this, p, performance.now());
    } catch (err) {
      // A producer removed while we were consuming it is normal churn, still worth counting.
      this.errors.push(`consume ${p.source} of ${p.participantId}: ${(err as Error).message}`);
    } finally {
      this.pendingConsumes--;
    }
  }

  /** The server withdrew a producer: close the consumer of it, or our own producer if it was ours. */
  private drop(producerId: string): void {
    for (const [source, producer] of this.producers) {
      if (producer.id !== producerId) continue;
      producer.close();
      this.producers.delete(source);
    }
    this.announced.delete(producerId);
    const consumer = this.consumers.get(producerId);
    if (!consumer) return;
    consumer.close();
    this.consumers.delete(producerId);
    this.hooks.consumerDropped(this, producerId, performance.now());
  }
}
