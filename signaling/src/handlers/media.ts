/** Transports, producers and consumers: the signaling half of the SFU, checked per participant. */
import { AppError, can, type MediaKind, type MediaSource } from '@tongtang/shared';
import type { HandlerSpec, JoinedRequest, RequestContext } from '../rpc/dispatcher.ts';
import { mayPublish } from '../lecture/machine/visibility.ts';

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
  if (entry.info.via !== undefined) throw new AppError('FORBIDDEN', `that ${entry.info.source} comes from the classroom's ${entry.info.via.toUpperCase()} source; the lecturer or IT manages it`);
  return entry.info;
}

function ownConsumer(ctx: RequestContext, consumerId: string): void {
  if (!ctx.session.consumers.has(consumerId)) throw new AppError('NOT_FOUND', 'no such consumer');
}

function speaker(ctx: RequestContext) {
  return ctx.room.classState.speakers.find((s) => s.participantId === ctx.session.id);
}

/** Whether the sender may publish `source` right now (the lecture, its role, the floor). */
function assertMayPublish(ctx: RequestContext, source: MediaSource): void {
  if (ctx.room.info.state === 'ended') throw new AppError('CONFLICT', 'the lecture has ended');
  const onFloor = speaker(ctx);
  const verdict = mayPublish(ctx.session.participant, source, onFloor !== undefined, onFloor?.cameraStopped === true);
  if (!verdict.ok) throw new AppError('FORBIDDEN', verdict.reason);
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
  'media:restart': {
    async handle({ room, session }) {
      return room.restartMedia(session);
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
      if (KIND_OF[source] !== kind) throw new AppError('BAD_REQUEST', `a ${source} is ${KIND_OF[source]}, not ${kind}`);
      assertMayPublish(ctx, source);
      const hardware = room.producersOf(session.id).find((p) => p.source === source && p.via !== undefined);
      if (hardware) throw new AppError('CONFLICT', `this classroom's ${source} comes from its ${hardware.via!.toUpperCase()} source`);
      if (session.publishing.has(source) || room.producersOf(session.id).some((p) => p.source === source)) {
        throw new AppError('CONFLICT', `you already publish a ${source}; stop it first`);
      }
      // Reserved before the worker is asked: a burst of produce requests finds the source taken.
      session.publishing.add(source);
      try {
        const { producerId } = await room.media.produce({ lectureId: room.id, peerId: session.peerId, transportId, kind, source, rtpParameters });
        // The lecture may have moved on while the worker worked: the floor revoked, the camera
        // stopped, the lecture ended, the session gone. Check again before anyone hears it.
        try {
          if (session.closed) throw new AppError('CONFLICT', 'the session closed while publishing');
          assertMayPublish(ctx, source);
        } catch (err) {
          await room.media.closeProducer(room.id, producerId).catch(() => undefined);
          throw err;
        }
        // Reading the mute and registering the producer happen in one synchronous step: a
        // floor:mute either finds this producer (and pauses it) or is already in the state here.
        const paused = source === 'microphone' && speaker(ctx)?.micMuted === true;
        const { id, role, displayName } = session.participant;
        const added = room.addProducer(session, { id: producerId, participantId: id, role, displayName, source, kind, paused });
        if (paused) await room.media.setProducerPaused(room.id, producerId, true);
        await added;
        await room.syncVisibility();
        return { producerId };
      } finally {
        session.publishing.delete(source);
      }
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
      await ctx.room.pauseProducer(producerId, true);
      return {};
    },
  },
  'media:resumeProducer': {
    async handle(ctx, { producerId }) {
      const info = ownProducer(ctx, producerId);
      const muted = speaker(ctx);
      if (info.source === 'microphone' && muted?.micMuted) {
        throw new AppError('FORBIDDEN', muted.mutedBy === 'lecturer'
          ? 'the lecturer has muted your microphone'
          : 'your microphone is muted on the floor; unmute it with floor:mute');
      }
      await ctx.room.pauseProducer(producerId, false);
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
      if (session.consuming.has(producerId) || [...session.consumers.values()].includes(producerId)) {
        throw new AppError('CONFLICT', 'already receiving that producer');
      }
      // Reserved before the first await: one receiver gets one copy of a producer, however many
      // requests it sends at once.
      session.consuming.add(producerId);
      try {
        await room.ensureLocalProducer(entry);
        const options = await room.media.consume({ lectureId: room.id, peerId: session.peerId, producerId, playout: room.playoutFor(session) });
        if (session.closed || !session.announced.has(producerId)) {
          // Withdrawn (or the session gone) while the worker worked: the consumer must not live on.
          await room.media.closeConsumer(room.id, session.peerId, options.id).catch(() => undefined);
          throw new AppError('NOT_FOUND', 'that producer is no longer available');
        }
        session.consumers.set(options.id, producerId);
        // Within the site's quality ceiling from the first packet (the consumer starts paused).
        if (entry.info.kind === 'video') await room.applyLayers(session, options.id);
        return { ...options, participantId: entry.info.participantId, source: entry.info.source };
      } finally {
        session.consuming.delete(producerId);
      }
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
      await ctx.room.preferLayers(ctx.session, consumerId, spatialLayer, temporalLayer);
      return {};
    },
  },
};
