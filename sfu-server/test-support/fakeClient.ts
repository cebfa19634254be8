/**
 * Test-only: a media-less mediasoup-client (FakeHandler) wired to a MediaNode the way signaling
 * wires a browser, so tests produce and consume with parameters a real client would send.
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import type { types as client } from 'mediasoup-client';
import type { MediaNode, MediaSource, TransportOptions } from '@tongtang/shared';

export class FakeClient {
  readonly node: MediaNode;
  readonly lectureId: string;
  readonly peerId: string;
  readonly device: Device;
  sendTransport: client.Transport | undefined;
  recvTransport: client.Transport | undefined;

  private constructor(node: MediaNode, lectureId: string, peerId: string, device: Device) {
    this.node = node;
    this.lectureId = lectureId;
    this.peerId = peerId;
    this.device = device;
  }

  /** Loads the lecture's capabilities and tells the node what this client can receive. */
  static async join(node: MediaNode, lectureId: string, peerId: string): Promise<FakeClient> {
    const device = new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    const routerRtpCapabilities = (await node.getRouterRtpCapabilities(lectureId)) as client.RtpCapabilities;
    await device.load({ routerRtpCapabilities });
    await node.setPeerCapabilities(lectureId, peerId, device.rtpCapabilities);
    return new FakeClient(node, lectureId, peerId, device);
  }

  async openSendTransport(): Promise<client.Transport> {
    const options = await this.node.createTransport(this.lectureId, this.peerId, 'send');
    const transport = this.device.createSendTransport(clientOptions(options));
    this.#wireConnect(transport);
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      const source = appData['source'] as MediaSource;
      this.node
        .produce({ lectureId: this.lectureId, peerId: this.peerId, transportId: transport.id, kind, source, rtpParameters })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    this.sendTransport = transport;
    return transport;
  }

  async openRecvTransport(): Promise<client.Transport> {
    const options = await this.node.createTransport(this.lectureId, this.peerId, 'recv');
    const transport = this.device.createRecvTransport(clientOptions(options));
    this.#wireConnect(transport);
    this.recvTransport = transport;
    return transport;
  }

  /** Produces a fake track; video goes out as three simulcast layers like the web client's camera. */
  async produce(source: MediaSource): Promise<client.Producer> {
    if (!this.sendTransport) throw new Error('openSendTransport first');
    const kind = source === 'microphone' ? 'audio' : 'video';
    const track = new FakeMediaStreamTrack({ kind }) as unknown as MediaStreamTrack;
    const encodings = kind === 'video'
      ? [{ scaleResolutionDownBy: 4, maxBitrate: 150_000 }, { scaleResolutionDownBy: 2, maxBitrate: 500_000 }, { maxBitrate: 1_200_000 }]
      : undefined;
    return this.sendTransport.produce({ track, ...(encodings ? { encodings } : {}), appData: { source } });
  }

  /** Consumes through the node, then hands the answer to mediasoup-client as a browser would. */
  async consume(producerId: string): Promise<client.Consumer> {
    if (!this.recvTransport) throw new Error('openRecvTransport first');
    const options = await this.node.consume({ lectureId: this.lectureId, peerId: this.peerId, producerId });
    return this.recvTransport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters as client.RtpParameters,
      appData: { participantId: options.participantId, source: options.source },
    });
  }

  close(): void {
    this.sendTransport?.close();
    this.recvTransport?.close();
  }

  #wireConnect(transport: client.Transport): void {
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.node.connectTransport(this.lectureId, this.peerId, transport.id, dtlsParameters).then(done, fail);
    });
  }
}

function clientOptions(options: TransportOptions): client.TransportOptions {
  return {
    id: options.id,
    iceParameters: options.iceParameters as client.IceParameters,
    iceCandidates: options.iceCandidates as client.IceCandidate[],
    dtlsParameters: options.dtlsParameters as client.DtlsParameters,
  };
}
