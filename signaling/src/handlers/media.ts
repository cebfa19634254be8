/** Transports, producers and consumers: the signaling half of the SFU, checked per participant. */
import { AppError, can, type MediaKind, type MediaSource } from '../../../shared/src/index.ts';
import type { HandlerSpec, JoinedRequest, RequestContext } from '../rpc/dispatcher.ts';
import { mayPublish } from '../lecture/visibility.ts';

type MediaRequest = Extract<JoinedRequest, `media:${string}`>;
type MediaHandlers = { [N in MediaRequest]: HandlerSpec<N> };

const KIND_OF: Record<MediaSource, MediaKind> = { camera: 'video', screen: 'video', microphone: 'audio' };

function publishes(ctx: RequestContext): boolean {
  const role = ctx.session.participant.role;
  return can(role, 'media:publishProgram') || can(role, 'media:publishRoomCamera') || can(role, 'media:publishOnFloor');
}

function ownProducer(ctx: RequestContext, producerId: string) {
  const entry = ctx.room.producer(producerId);
  if (!entry) throw new AppError('NOT_FOUND', 'no such producer');
  if (entry.info.participantId !== ctx.session.id) throw new AppError('FORBIDDEN', 'that producer belongs to someone else');
  return entry.info;
}

function ownConsumer(ctx: RequestContext, consumerId: string): void {
  if (!ctx.session.consumers.has(consumerId)) throw new AppError('NOT_FOUND', 'no such consumer');
}

function speaker(ctx: RequestContext) {
  return ctx.room.classState.speakers.find((s) => s.participantId === ctx.session.id);
}

export const mediaHandlers: MediaHandlers = {
  'media:setCapabilities': {
    action: 'media:receive',
    async handle({ room, session }, { rtpCapabilities }) {
      await room.media.setPeerCapabilities(room.id, session.peerId, rtpCapabilities);
      session.hasCapabilities = true;
      return {};
    },
  },
  'media:createTransport': {
    async handle(ctx, { direction }) {
      const allowed = direction === 'send' ? publishes(ctx) : can(ctx.session.participant.role, 'media:receive');
      if (!allowed) throw new AppError('FORBIDDEN', `a ${ctx.session.participant.role} has no ${direction} transport`);
      return ctx.room.media.createTransport(ctx.room.id, ctx.session.peerId, direction);
    },
  },
  'media:connectTransport': {
    async handle({ room, session }, { transportId, dtlsParameters }) {
      await room.media.connectTransport(room.id, session.peerId, transportId, dtlsParameters);
      return {};
    },
  },
  'media:restartIce': {
    async handle({ room, session }, { transportId }) {
      return { iceParameters: await room.media.restartIce(room.id, session.peerId, transportId) };
    },
  },
  'media:produce': {
    async handle(ctx, { transportId, kind, source, rtpParameters }) {
      const { room, session } = ctx;
      if (room.info.state === 'ended') throw new AppError('CONFLICT', 'the lecture has ended');
      if (KIND_OF[source] !== kind) throw new AppError('BAD_REQUEST', `a ${source} is ${KIND_OF[source]}, not ${kind}`);
      const onFloor = speaker(ctx);
      const verdict = mayPublish(session.participant, source, onFloor !== undefined);
      if (!verdict.ok) throw new AppError('FORBIDDEN', verdict.reason);
      if (room.producersOf(session.id).some((p) => p.source === source)) {
        throw new AppError('CONFLICT', `you already publish a ${source}; stop it first`);
      }
      const { producerId } = await room.media.produce({ lectureId: room.id, peerId: session.peerId, transportId, kind, source, rtpParameters });
      if (session.closed) {
        await room.media.closeProducer(room.id, producerId).catch(() => undefined);
        throw new AppError('CONFLICT', 'the session closed while publishing');
      }
      // A speaker the lecturer muted stays muted even if it republishes its microphone.
      const paused = source === 'microphone' && onFloor?.micMuted === true;
      if (paused) await room.media.setProducerPaused(room.id, producerId, true);
      const { id, role, displayName } = session.participant;
      await room.addProducer(session, { id: producerId, participantId: id, role, displayName, source, kind, paused });
      await room.syncVisibility();
      return { producerId };
    },
  },
  'media:closeProducer': {
    async handle(ctx, { producerId }) {
      ownProducer(ctx, producerId);
      await ctx.room.closeProducer(producerId);
      return {};
    },
  },
  'media:pauseProducer': {
    async handle(ctx, { producerId }) {
      ownProducer(ctx, producerId);
      await ctx.room.media.setProducerPaused(ctx.room.id, producerId, true);
      await ctx.room.setProducerPaused(producerId, true);
      return {};
    },
  },
  'media:resumeProducer': {
    async handle(ctx, { producerId }) {
      const info = ownProducer(ctx, producerId);
      if (info.source === 'microphone' && speaker(ctx)?.micMuted) {
        throw new AppError('FORBIDDEN', 'the lecturer has muted your microphone');
      }
      await ctx.room.media.setProducerPaused(ctx.room.id, producerId, false);
      await ctx.room.setProducerPaused(producerId, false);
      return {};
    },
  },
  'media:consume': {
    action: 'media:receive',
    async handle({ room, session }, { producerId }) {
      if (!session.hasCapabilities) throw new AppError('CONFLICT', 'send media:setCapabilities first');
      const entry = room.producer(producerId);
      if (!entry) throw new AppError('NOT_FOUND', 'no such producer');
      if (!session.announced.has(producerId)) throw new AppError('FORBIDDEN', 'you may not receive that producer');
      if ([...session.consumers.values()].includes(producerId)) throw new AppError('CONFLICT', 'already receiving that producer');
      await room.ensureLocalProducer(entry);
      const options = await room.media.consume({ lectureId: room.id, peerId: session.peerId, producerId });
      session.consumers.set(options.id, producerId);
      return { ...options, participantId: entry.info.participantId, source: entry.info.source };
    },
  },
  'media:resumeConsumer': {
    async handle(ctx, { consumerId }) {
      ownConsumer(ctx, consumerId);
      await ctx.room.media.setConsumerPaused(ctx.room.id, ctx.session.peerId, consumerId, false);
      return {};
    },
  },
  'media:pauseConsumer': {
    async handle(ctx, { consumerId }) {
      ownConsumer(ctx, consumerId);
      await ctx.room.media.setConsumerPaused(ctx.room.id, ctx.session.peerId, consumerId, true);
      return {};
    },
  },
  'media:setPreferredLayers': {
    async handle(ctx, { consumerId, spatialLayer, temporalLayer }) {
      ownConsumer(ctx, consumerId);
      await ctx.room.media.setPreferredLayers(ctx.room.id, ctx.session.peerId, consumerId, spatialLayer, temporalLayer);
      return {};
    },
  },
};
