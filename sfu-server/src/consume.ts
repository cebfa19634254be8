/** How a peer comes to receive a producer: on its receive router, through a pipe if need be, paused. */
import { AppError, type ConsumerOptions, type MediaNodeEvents } from '@tongtang/shared';
import type { LectureRouters } from './LectureRouters.ts';
import type { MediaLedger, PeerEntry } from './MediaLedger.ts';
import { attempt } from './mediaErrors.ts';
import { withPlayout, type Playout } from './playoutDelay.ts';

export interface ConsumeContext {
  readonly lectureId: string;
  readonly ledger: MediaLedger;
  readonly routers: LectureRouters;
  /** Throws, closing `created`, when the peer or the lecture went away while mediasoup worked. */
  keepOrDiscard(peer: PeerEntry, created: { readonly closed: boolean; close(): void }): void;
  consumerClosed(event: MediaNodeEvents['consumerClosed']): void;
  consumerLayers(event: MediaNodeEvents['consumerLayers']): void;
}

/**
 * When a receiver's link cannot carry every video, its transport shares what it has by priority:
 * the slides before the lecturer's camera, so a thin link keeps audio and slides the longest.
 */
const PRIORITY_OF = { screen: 2, camera: 1, microphone: 1 } as const;

export async function consume(ctx: ConsumeContext, peerId: string, producerId: string, playout: Playout = 'smooth'): Promise<ConsumerOptions> {
  const { ledger, lectureId } = ctx;
  const peer = ledger.peers.get(peerId);
  const rtpCapabilities = peer?.rtpCapabilities;
  if (!peer || !rtpCapabilities) throw new AppError('BAD_REQUEST', 'send your rtpCapabilities before consuming');
  const recv = ledger.recvTransportOf(peerId);
  if (!recv) throw new AppError('BAD_REQUEST', 'create a receive transport before consuming');
  const source = ledger.producer(producerId);
  // Every router has the same codecs, so the producer's own router answers for the target too.
  if (!source.slot.router.canConsume({ producerId, rtpCapabilities })) {
    throw new AppError('BAD_REQUEST', `your device cannot receive producer ${producerId}`);
  }
  if (recv.slot !== source.slot) await ctx.routers.pipe(producerId, source.slot, recv.slot);
  const { producer } = source;
  const layers = producer.kind === 'video' ? producer.consumableRtpParameters.encodings?.length ?? 1 : 1;
  const consumer = await attempt('consume', () =>
    recv.transport.consume({
      producerId,
      rtpCapabilities,
      // Paused: RTP must not flow before the client has set the consumer up, or the first
      // keyframe is lost and video stays black; resuming requests a fresh keyframe.
      paused: true,
      // Highest simulcast layer by default; the client lowers it for thumbnails.
      ...(layers > 1 ? { preferredLayers: { spatialLayer: layers - 1 } } : {}),
      appData: { peerId },
    }),
  );
  ctx.keepOrDiscard(peer, consumer);
  ledger.addConsumer({ peerId, consumer, producerId, transportId: recv.transport.id });
  if (layers > 1) {
    if (PRIORITY_OF[source.source] !== 1) await attempt('set consumer priority', () => consumer.setPriority(PRIORITY_OF[source.source]));
    // Layers gone while neither side paused: the link's bandwidth estimate is below the lowest
    // layer, and the receiver is told so (it steps down to audio plus slides, then audio only).
    consumer.on('layerschange', (current) => {
      // mediasoup passes null (not undefined) when no layer is sent.
      const starved = !current && !consumer.paused && !consumer.producerPaused;
      ctx.consumerLayers({ lectureId, peerId, consumerId: consumer.id, producerId, spatialLayer: current?.spatialLayer ?? null, starved });
    });
  }
  const ended = (): void => {
    if (ledger.forgetConsumer(consumer.id)) ctx.consumerClosed({ lectureId, peerId, consumerId: consumer.id, producerId });
  };
  consumer.on('producerclose', ended);
  consumer.on('transportclose', ended);
  return {
    id: consumer.id,
    producerId,
    kind: consumer.kind,
    rtpParameters: withPlayout(consumer.rtpParameters, consumer.kind, playout),
    participantId: source.peerId,
    source: source.source,
    producerPaused: consumer.producerPaused,
  };
}
