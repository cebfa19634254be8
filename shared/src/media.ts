/**
 * The only door between signaling and the SFU. Everything crossing it is plain, serialisable
 * data keyed by ids, so a media node can live in this process today and behind an RPC later.
 * mediasoup-specific structures stay `unknown` here; the SFU validates them.
 */
import type { ConsumerOptions, LectureStats, MediaKind, MediaSource, TransportOptions } from './domain.ts';

export interface ProduceRequest {
  lectureId: string;
  peerId: string;
  transportId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: unknown;
}

export interface ConsumeRequest {
  lectureId: string;
  peerId: string;
  producerId: string;
}

export interface MediaNodeEvents {
  /** A producer ended on the media side (its transport closed, DTLS failed, worker died...). */
  producerClosed: { lectureId: string; producerId: string };
  /** A consumer ended on the media side (its producer closed, its transport closed...). */
  consumerClosed: { lectureId: string; peerId: string; consumerId: string; producerId: string };
  /** A worker died; the lectures it carried lost media for the listed peers. */
  peersLostMedia: { lectureId: string; peerIds: string[] };
}

export type MediaNodeListener<E extends keyof MediaNodeEvents> = (event: MediaNodeEvents[E]) => void;

export interface MediaNodeHealth {
  ready: boolean;
  workers: { pid: number; alive: boolean; routers: number; consumers: number }[];
}

export interface MediaNode {
  /** Codecs the lecture's routers speak (creates the lecture's media on first use). */
  getRouterRtpCapabilities(lectureId: string): Promise<unknown>;
  /** Remembers what a peer can receive; needed before consume. */
  setPeerCapabilities(lectureId: string, peerId: string, rtpCapabilities: unknown): Promise<void>;
  createTransport(lectureId: string, peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(lectureId: string, peerId: string, transportId: string, dtlsParameters: unknown): Promise<void>;
  restartIce(lectureId: string, peerId: string, transportId: string): Promise<unknown>;
  produce(req: ProduceRequest): Promise<{ producerId: string }>;
  closeProducer(lectureId: string, producerId: string): Promise<void>;
  setProducerPaused(lectureId: string, producerId: string, paused: boolean): Promise<void>;
  /** Creates a consumer on the peer's receive transport, paused; resume once the client has it. */
  consume(req: ConsumeRequest): Promise<ConsumerOptions>;
  setConsumerPaused(lectureId: string, peerId: string, consumerId: string, paused: boolean): Promise<void>;
  setPreferredLayers(lectureId: string, peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void>;
  closeConsumer(lectureId: string, peerId: string, consumerId: string): Promise<void>;
  /** Closes everything a peer opened. Safe to call twice. */
  closePeer(lectureId: string, peerId: string): Promise<void>;
  closeLecture(lectureId: string): Promise<void>;
  lectureStats(lectureId: string): Promise<Omit<LectureStats, 'participants'>>;
  health(): MediaNodeHealth;
  on<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void;
  off<E extends keyof MediaNodeEvents>(event: E, listener: MediaNodeListener<E>): void;
  close(): Promise<void>;
}
