/**
 * One participant's media: the mediasoup Device, a receive transport, a lazily created send
 * transport, the local producers (one per source) and the remote consumers. No React; the UI
 * reads `store`, tests read the same store through the page's test hooks.
 */
import type { Consumer, Device, Producer, RtpCapabilities, RtpParameters, Transport } from 'mediasoup-client/types';
import { createStore, type StoreApi } from 'zustand';
import type { MediaSource, ProducerInfo } from '@tongtang/shared';
import type { RequestOf } from '@tongtang/shared';
import type { SignalClient } from '../signal/SignalClient.ts';
import { createDevice } from './device.ts';
import { userTrack, withDevice, type DeviceChoice } from './devices.ts';
import { cameraProfile, microphoneProfile, screenConstraints, screenOptions, type CameraProfile, type PublishProfile } from './profiles.ts';
import {
  inboundStatsOf, outboundStatsOf, transportPathOf, type InboundStats, type OutboundStats, type TransportPath,
} from './stats.ts';
import { openTransport } from './transport.ts';
import type { MediaSnapshot } from './types.ts';

export type { LocalProducer, MediaSnapshot, RemoteConsumer } from './types.ts';

interface ConsumerEntry { consumer: Consumer; info: ProducerInfo; producerPaused: boolean }
interface OwnProducer { producer: Producer; source: MediaSource; paused: boolean }

/** consume() marks a producer id PENDING until its consumer exists; removal deletes the mark. */
const PENDING = 'pending';
const EMPTY: MediaSnapshot = { producers: [], consumers: [], starting: [] };
const NO_CHOICE: DeviceChoice = { cameraId: null, microphoneId: null };

export interface RoomClientOptions {
  /** The user's chosen camera and microphone, read at each publish. */
  devices?: () => DeviceChoice;
  /**
   * Tracks to publish again instead of opening the devices (after a media reset): a screen share
   * needs a user gesture to pick again, and a camera should not blink off and on.
   */
  tracks?: Map<MediaSource, MediaStreamTrack>;
}

export class RoomClient {
  readonly store: StoreApi<MediaSnapshot> = createStore<MediaSnapshot>()(() => EMPTY);
  readonly #signal: SignalClient;
  readonly #devices: () => DeviceChoice;
  readonly #reuse: Map<MediaSource, MediaStreamTrack>;
  readonly #device: Device = createDevice();
  readonly #recvReady: Promise<Transport>;
  #resolveRecv!: (transport: Transport) => void;
  #rejectRecv!: (err: unknown) => void;
  #recv: Transport | null = null;
  #send: Promise<Transport> | null = null;
  readonly #producers = new Map<MediaSource, OwnProducer>();
  readonly #publishing = new Map<MediaSource, Promise<void>>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  /** producerId → PENDING or the consumer id. */
  readonly #consuming = new Map<string, string>();
  readonly #unsubscribe: Array<() => void>;
  #closed = false;
  #cameraConstraints: MediaStreamConstraints = { video: true };
  #iceServers: RTCIceServer[] | undefined;

  constructor(signal: SignalClient, options: RoomClientOptions = {}) {
    this.#signal = signal;
    this.#devices = options.devices ?? (() => NO_CHOICE);
    this.#reuse = options.tracks ?? new Map();
    this.#recvReady = new Promise<Transport>((resolve, reject) => {
      this.#resolveRecv = resolve;
      this.#rejectRecv = reject;
    });
    this.#recvReady.catch(() => {}); // a failed load is reported by load() itself
    this.#unsubscribe = [
      signal.on('producer:added', (info) => void this.consume(info).catch((err) => console.warn('[tongtang] consume', info.id, err))),
      signal.on('producer:removed', ({ producerId }) => this.#producerGone(producerId)),
      signal.on('consumer:closed', ({ producerId }) => this.#producerGone(producerId)),
      signal.on('producer:updated', ({ producerId, paused }) => this.#producerPaused(producerId, paused)),
    ];
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#device.rtpCapabilities;
  }

  /** Loads the router's codecs, tells the server what we can receive, opens the receive transport. */
  async load(routerRtpCapabilities: unknown, iceServers?: RTCIceServer[]): Promise<void> {
    this.#iceServers = iceServers;
    try {
      await this.#device.load({ routerRtpCapabilities: routerRtpCapabilities as RtpCapabilities });
      // mediasoup-client types `codecs` as optional; a loaded device always has them.
      const rtpCapabilities = this.#device.rtpCapabilities as RequestOf<'media:setCapabilities'>['rtpCapabilities'];
      await this.#signal.request('media:setCapabilities', { rtpCapabilities });
      const recv = await openTransport(this.#device, this.#signal, 'recv', () => this.#closed, this.#iceServers);
      this.#recv = recv;
      this.#resolveRecv(recv);
    } catch (err) {
      this.#rejectRecv(err);
      throw err;
    }
  }

  /** Receives one remote producer. The server creates the consumer paused; we resume once it is wired. */
  async consume(info: ProducerInfo): Promise<void> {
    if (this.#closed || this.#consuming.has(info.id) || this.#isOwnProducer(info.id)) return;
    this.#consuming.set(info.id, PENDING);
    try {
      const recv = await this.#recvReady;
      const options = await this.#signal.request('media:consume', { producerId: info.id });
      const consumer = await recv.consume({
        id: options.id,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: options.rtpParameters as RtpParameters,
      });
      if (this.#closed || this.#consuming.get(info.id) !== PENDING) {
        consumer.close(); // the producer went away while we were setting up
        return;
      }
      this.#consuming.set(info.id, consumer.id);
      this.#consumers.set(consumer.id, { consumer, info, producerPaused: options.producerPaused });
      consumer.on('transportclose', () => this.#producerGone(info.id));
      consumer.on('trackended', () => this.#producerGone(info.id));
      this.#emit();
      await this.#signal.request('media:resumeConsumer', { consumerId: consumer.id });
    } catch (err) {
      if (this.#consuming.get(info.id) === PENDING) this.#consuming.delete(info.id);
      if (!this.#closed) throw err; // after close() the failure is just the teardown
    }
  }

  publishCamera(profile: CameraProfile): Promise<void> {
    const { constraints, options } = cameraProfile(profile, this.#device.rtpCapabilities);
    this.#cameraConstraints = constraints;
    return this.#publish('camera', () => userTrack(withDevice(constraints, 'video', this.#devices().cameraId), 'video'), options);
  }

  publishMicrophone(): Promise<void> {
    const { constraints, options } = microphoneProfile;
    return this.#publish('microphone', () => userTrack(withDevice(constraints, 'audio', this.#devices().microphoneId), 'audio'), options);
  }

  /**
   * Moves a running camera or microphone to the device chosen now, without republishing:
   * the producer (and everyone's consumer of it) stays, only the track underneath changes.
   */
  async switchDevice(source: 'camera' | 'microphone'): Promise<void> {
    const entry = this.#producers.get(source);
    if (!entry) return;
    const track = source === 'camera'
      ? await userTrack(withDevice(this.#cameraConstraints, 'video', this.#devices().cameraId), 'video')
      : await userTrack(withDevice(microphoneProfile.constraints, 'audio', this.#devices().microphoneId), 'audio');
    if (this.#producers.get(source) !== entry) return track.stop();
    await entry.producer.replaceTrack({ track }); // stops the previous track
    this.#emit();
  }

  publishScreen(): Promise<void> {
    return this.#publish('screen', async () => {
      const [track] = (await navigator.mediaDevices.getDisplayMedia(screenConstraints)).getVideoTracks();
      if (!track) throw new Error('the screen picker returned no video');
      track.contentHint = 'detail';
      return track;
    }, screenOptions);
  }

  /** Stops publishing a source (waits for a publish in progress first). Safe when not publishing. */
  async stop(source: MediaSource): Promise<void> {
    await this.#publishing.get(source)?.catch(() => {});
    const entry = this.#producers.get(source);
    if (!entry) return;
    this.#forgetProducer(entry);
    // NOT_FOUND here just means the server closed it first (floor revoked, for instance).
    await this.#signal.request('media:closeProducer', { producerId: entry.producer.id }).catch(() => {});
  }

  /**
   * Copies of the live local tracks, by source, for a RoomClient that takes over after a media
   * reset: closing this one stops the originals, the copies go on capturing.
   */
  cloneTracks(): Map<MediaSource, MediaStreamTrack> {
    const tracks = new Map<MediaSource, MediaStreamTrack>();
    for (const { producer, source } of this.#producers.values()) {
      if (producer.track && producer.track.readyState === 'live') tracks.set(source, producer.track.clone());
    }
    return tracks;
  }

  isPublishing(source: MediaSource): boolean {
    return this.#producers.has(source) || this.#publishing.has(source);
  }

  async setPreferredLayer(consumerId: string, spatialLayer: number): Promise<void> {
    await this.#signal.request('media:setPreferredLayers', { consumerId, spatialLayer });
  }

  inboundStats(): Promise<InboundStats[]> {
    return Promise.all([...this.#consumers.values()].map(({ consumer, info }) =>
      inboundStatsOf(consumer, { participantId: info.participantId, source: info.source })));
  }

  outboundStats(): Promise<OutboundStats[]> {
    return Promise.all([...this.#producers.values()].map(({ producer, source }) => outboundStatsOf(producer, source)));
  }

  /** The candidate pairs in use; null for a transport that has not connected (it does on first media). */
  async transportPaths(): Promise<{ recv: TransportPath | null; send: TransportPath | null }> {
    const send = this.#send ? await this.#send.catch(() => null) : null;
    const path = async (t: Transport | null) => (t && !t.closed ? transportPathOf(await t.getStats()) : null);
    return { recv: await path(this.#recv).catch(() => null), send: await path(send).catch(() => null) };
  }

  /** Closes transports and with them every producer, consumer and local track. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    this.#rejectRecv(new Error('room closed'));
    this.#recv?.close();
    void this.#send?.then((t) => t.close(), () => {});
    for (const { producer } of this.#producers.values()) producer.close();
    this.#producers.clear();
    for (const track of this.#reuse.values()) track.stop();
    this.#reuse.clear();
    this.#consumers.clear();
    this.#consuming.clear();
    this.store.setState(EMPTY, true);
  }

  async #publish(source: MediaSource, acquire: () => Promise<MediaStreamTrack>, options: PublishProfile['options']): Promise<void> {
    if (this.#closed || this.#producers.has(source)) return;
    const inFlight = this.#publishing.get(source);
    if (inFlight) return inFlight;
    const job = (async () => {
      const transport = await this.#sendTransport();
      const kept = this.#reuse.get(source);
      this.#reuse.delete(source);
      const track = kept?.readyState === 'live' ? kept : await acquire();
      let producer: Producer;
      try {
        producer = await transport.produce({ track, ...options, appData: { source } });
      } catch (err) {
        track.stop();
        throw err;
      }
      if (this.#closed) return producer.close();
      const entry: OwnProducer = { producer, source, paused: false };
      this.#producers.set(source, entry);
      // The browser's "Stop sharing" bar, or an unplugged camera.
      producer.on('trackended', () => void this.stop(source));
      producer.on('transportclose', () => this.#forgetProducer(entry));
    })();
    this.#publishing.set(source, job);
    this.#emit();
    try {
      await job;
    } catch (err) {
      if (!this.#closed) throw err;
    } finally {
      this.#publishing.delete(source);
      this.#emit();
    }
  }

  #sendTransport(): Promise<Transport> {
    if (!this.#send) {
      this.#send = this.#recvReady.then(() => openTransport(this.#device, this.#signal, 'send', () => this.#closed, this.#iceServers));
      this.#send.catch(() => { this.#send = null; }); // let the next publish try again
    }
    return this.#send;
  }

  #producerGone(producerId: string): void {
    const own = [...this.#producers.values()].find((e) => e.producer.id === producerId);
    if (own) return this.#forgetProducer(own);
    const consumerId = this.#consuming.get(producerId);
    this.#consuming.delete(producerId);
    const entry = consumerId === undefined ? undefined : this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(entry.consumer.id);
    entry.consumer.close();
    this.#emit();
  }

  #producerPaused(producerId: string, paused: boolean): void {
    for (const entry of this.#producers.values()) if (entry.producer.id === producerId) entry.paused = paused;
    for (const entry of this.#consumers.values()) if (entry.info.id === producerId) entry.producerPaused = paused;
    this.#emit();
  }

  #forgetProducer(entry: OwnProducer): void {
    if (this.#producers.get(entry.source) !== entry) return;
    this.#producers.delete(entry.source);
    entry.producer.close(); // also stops the local track
    this.#emit();
  }

  #isOwnProducer(producerId: string): boolean {
    return [...this.#producers.values()].some((e) => e.producer.id === producerId);
  }

  #emit(): void {
    if (this.#closed) return;
    this.store.setState({
      producers: [...this.#producers.values()].map(({ producer, source, paused }) => ({
        id: producer.id, source, kind: producer.kind, track: producer.track, paused,
      })),
      consumers: [...this.#consumers.values()].map(({ consumer, info, producerPaused }) => ({
        id: consumer.id, producerId: info.id, participantId: info.participantId, role: info.role,
        displayName: info.displayName, source: info.source, kind: consumer.kind, track: consumer.track, producerPaused,
      })),
      starting: [...this.#publishing.keys()],
    }, true);
  }
}

