/**
 * A media-less participant: mediasoup-client with its FakeHandler, speaking the real protocol to
 * a real node. It proves the signaling ↔ SFU flow (transports, produce, consume, resume) fast;
 * real packets are proven in the browser end-to-end tests.
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, type types } from 'mediasoup-client';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { PROTOCOL_VERSION, type JoinResponse, type MediaSource, type ProducerInfo } from '@tongtang/shared';
import { TestClient } from './client.ts';

export class FakePeer {
  readonly consumers = new Map<string, types.Consumer>(); // by producerId
  readonly producers = new Map<MediaSource, types.Producer>();
  readonly errors: string[] = [];
  private sendTransport?: types.Transport;
  private recvTransport?: types.Transport;
  private readonly device = new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });

  private constructor(readonly client: TestClient, readonly joined: JoinResponse) {}

  static async join(url: string, token: string, opts: { receive?: boolean } = {}): Promise<FakePeer> {
    const client = await TestClient.connect(url, token);
    const joined = await client.call('lecture:join', { protocolVersion: PROTOCOL_VERSION });
    const peer = new FakePeer(client, joined);
    await peer.device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
    if (opts.receive !== false) {
      await client.call('media:setCapabilities', { rtpCapabilities: peer.device.rtpCapabilities });
      peer.recvTransport = await peer.createTransport('recv');
      // A producer may vanish between the announcement and the resume: record, don't throw.
      client.socket.on('producer:added', (p) => void peer.consume(p).catch((err: Error) => peer.errors.push(err.message)));
      client.socket.on('producer:removed', ({ producerId }) => peer.dropConsumer(producerId));
      client.socket.on('consumer:closed', ({ producerId }) => peer.dropConsumer(producerId));
      for (const p of joined.producers) await peer.consume(p);
    }
    return peer;
  }

  get id(): string {
    return this.joined.self.id;
  }

  /** The send transport's id (after a first publish), for tests that send raw produce requests. */
  get sendTransportId(): string | undefined {
    return this.sendTransport?.id;
  }

  async publish(source: MediaSource, opts: { simulcast?: boolean } = {}): Promise<types.Producer> {
    this.sendTransport ??= await this.createTransport('send');
    const track = new FakeMediaStreamTrack({ kind: source === 'microphone' ? 'audio' : 'video' });
    const producer = await this.sendTransport.produce({
      track: track as unknown as MediaStreamTrack,
      encodings: opts.simulcast ? [{ maxBitrate: 150_000 }, { maxBitrate: 500_000 }, { maxBitrate: 1_200_000 }] : undefined,
      appData: { source },
    });
    this.producers.set(source, producer);
    return producer;
  }

  /** Resolves once this peer has a resumed consumer of a producer matching `match`. */
  async waitForConsumer(match: (c: types.Consumer) => boolean, timeoutMs = 5_000): Promise<types.Consumer> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = [...this.consumers.values()].find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching consumer within ${timeoutMs} ms (have ${[...this.consumers.values()].map((c) => JSON.stringify(c.appData)).join(', ')})`);
  }

  close(): void {
    this.client.close();
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const options = (await this.client.call('media:createTransport', { direction })) as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.device.createSendTransport(options) : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.client.call('media:connectTransport', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      const source = appData.source as MediaSource;
      this.client.call('media:produce', { transportId: transport.id, kind, source, rtpParameters: rtpParameters as never })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    return transport;
  }

  private async consume(p: ProducerInfo): Promise<void> {
    if (!this.recvTransport || this.consumers.has(p.id)) return;
    const res = await this.client.request('media:consume', { producerId: p.id });
    if (!res.ok) {
      this.errors.push(`${res.error.code}: ${res.error.message}`);
      return;
    }
    const o = res.data;
    const consumer = await this.recvTransport.consume({
      id: o.id, producerId: o.producerId, kind: o.kind, rtpParameters: o.rtpParameters as types.RtpParameters,
      appData: { participantId: o.participantId, source: o.source },
    });
    await this.client.call('media:resumeConsumer', { consumerId: consumer.id });
    this.consumers.set(p.id, consumer);
  }

  private dropConsumer(producerId: string): void {
    for (const [source, producer] of this.producers) {
      if (producer.id !== producerId) continue;
      producer.close();
      this.producers.delete(source);
    }
    this.consumers.get(producerId)?.close();
    this.consumers.delete(producerId);
  }
}
