/** Hand queue, floor, chat, reactions, polls and attendance: thin wrappers over the state machine. */
import { AppError } from '@tongtang/shared';
import { attendance, attendanceCsv, floorHistoryCsv, floorState, handsView, pollView } from '../lecture/machine/machine.ts';
import type { HandlerSpec, JoinedRequest, RequestContext } from '../rpc/dispatcher.ts';

type InteractionRequest = Extract<JoinedRequest, `${'hand' | 'floor' | 'chat' | 'reaction' | 'poll' | 'attendance' | 'site'}:${string}`>;
type InteractionHandlers = { [N in InteractionRequest]: HandlerSpec<N> };

/** The connected endpoint of the actor's partner classroom (an assistant raises on its behalf). */
function classroomEndpoint(ctx: RequestContext) {
  const { classroomId } = ctx.session.participant;
  return ctx.room.participants().find((p) => p.role === 'classroom' && p.classroomId === classroomId);
}

const hands = (ctx: RequestContext) => handsView(ctx.room.classState, ctx.session.actor);
const floor = (ctx: RequestContext) => floorState(ctx.room.classState);

function lastPollId(ctx: RequestContext): string {
  const poll = ctx.room.classState.polls.at(-1);
  if (!poll) throw new AppError('INTERNAL', 'poll missing after open');
  return poll.id;
}

export const interactionHandlers: InteractionHandlers = {
  'hand:raise': {
    action: 'hand:raise',
    async handle(ctx, { note }) {
      const endpoint = ctx.session.participant.role === 'assistant' ? classroomEndpoint(ctx) : undefined;
      await ctx.room.dispatch({
        type: 'hand.raise', actor: ctx.session.actor, note, now: ctx.now,
        classroomEndpointId: endpoint?.id, endpointName: endpoint?.displayName,
      });
      return hands(ctx);
    },
  },
  'hand:lower': {
    async handle(ctx, { entryId }) {
      await ctx.room.dispatch({ type: 'hand.lower', actor: ctx.session.actor, entryId });
      return hands(ctx);
    },
  },
  'hand:clear': {
    action: 'hand:manageAny',
    async handle(ctx) {
      await ctx.room.dispatch({ type: 'hand.clear', actor: ctx.session.actor });
      return hands(ctx);
    },
  },
  'floor:grant': {
    action: 'floor:control',
    async handle(ctx, { entryId, participantId, replace }) {
      const target = participantId === undefined ? undefined : ctx.room.participant(participantId);
      if (participantId !== undefined && !target) throw new AppError('NOT_FOUND', 'that participant is not connected');
      await ctx.room.dispatch({ type: 'floor.grant', actor: ctx.session.actor, entryId, target, replace, now: ctx.now });
      return floor(ctx);
    },
  },
  'floor:revoke': {
    async handle(ctx, { participantId }) {
      await ctx.room.dispatch({ type: 'floor.revoke', actor: ctx.session.actor, participantId, now: ctx.now });
      return floor(ctx);
    },
  },
  'floor:mute': {
    async handle(ctx, { participantId, muted }) {
      await ctx.room.dispatch({ type: 'floor.mute', actor: ctx.session.actor, participantId, muted });
      return floor(ctx);
    },
  },
  'floor:stopCamera': {
    action: 'floor:control',
    async handle(ctx, { participantId }) {
      await ctx.room.dispatch({ type: 'floor.stopCamera', actor: ctx.session.actor, participantId });
      return floor(ctx);
    },
  },
  'chat:send': {
    async handle(ctx, { to, text, participantId }) {
      const recipient = participantId === undefined ? undefined : ctx.room.participant(participantId);
      if (participantId !== undefined && !recipient) throw new AppError('NOT_FOUND', 'that participant is not connected');
      const effects = await ctx.room.dispatch({ type: 'chat.send', actor: ctx.session.actor, to, text, now: ctx.now, recipient });
      const posted = effects.find((e) => e.type === 'chatPosted');
      if (!posted || posted.type !== 'chatPosted') throw new AppError('INTERNAL', 'chat message not posted');
      return posted.message;
    },
  },
  'reaction:send': {
    action: 'reaction:send',
    async handle(ctx, { emoji }) {
      await ctx.room.dispatch({ type: 'reaction.send', actor: ctx.session.actor, emoji });
      return ctx.room.classState.reactions;
    },
  },
  'poll:open': {
    action: 'poll:control',
    async handle(ctx, { question, options, multiple }) {
      await ctx.room.dispatch({ type: 'poll.open', actor: ctx.session.actor, question, options, multiple, now: ctx.now });
      return pollView(ctx.room.classState, lastPollId(ctx), ctx.session.actor);
    },
  },
  'poll:answer': {
    action: 'poll:answerSelf',
    async handle(ctx, { pollId, choices }) {
      await ctx.room.dispatch({ type: 'poll.answer', actor: ctx.session.actor, pollId, choices });
      return pollView(ctx.room.classState, pollId, ctx.session.actor);
    },
  },
  'poll:answerSite': {
    action: 'poll:answerSite',
    async handle(ctx, { pollId, counts }) {
      await ctx.room.dispatch({ type: 'poll.answerSite', actor: ctx.session.actor, pollId, counts });
      return pollView(ctx.room.classState, pollId, ctx.session.actor);
    },
  },
  'poll:close': {
    action: 'poll:control',
    async handle(ctx, { pollId }) {
      await ctx.room.dispatch({ type: 'poll.close', actor: ctx.session.actor, pollId, now: ctx.now });
      return pollView(ctx.room.classState, pollId, ctx.session.actor);
    },
  },
  'attendance:setHeadcount': {
    action: 'attendance:setHeadcount',
    async handle(ctx, { headcount, classroomId }) {
      // The lecturer names a classroom: it must be one this lecture knows, not a typo that adds a row.
      if (ctx.session.participant.role === 'lecturer' && classroomId !== undefined) {
        const known = attendance(ctx.room.classState, ctx.room.participants(), ctx.room.classroomNames).classrooms;
        if (!known.some((c) => c.classroomId === classroomId)) throw new AppError('NOT_FOUND', `no classroom ${classroomId} in this lecture`);
      }
      await ctx.room.dispatch({ type: 'attendance.setHeadcount', actor: ctx.session.actor, headcount, classroomId });
      return attendance(ctx.room.classState, ctx.room.participants(), ctx.room.classroomNames);
    },
  },
  'site:setTier': {
    action: 'site:setTier',
    async handle(ctx, { classroomId, tier }) {
      const known = attendance(ctx.room.classState, ctx.room.participants(), ctx.room.classroomNames).classrooms;
      if (!known.some((c) => c.classroomId === classroomId)) throw new AppError('NOT_FOUND', `no classroom ${classroomId} in this lecture`);
      await ctx.room.dispatch({ type: 'site.setTier', actor: ctx.session.actor, classroomId, tier });
      return ctx.room.tiers;
    },
  },
  'attendance:export': {
    action: 'attendance:export',
    async handle(ctx) {
      const att = attendance(ctx.room.classState, ctx.room.participants(), ctx.room.classroomNames);
      const csv = `# attendance\r\n${attendanceCsv(att)}\r\n# floor history\r\n${floorHistoryCsv(ctx.room.classState.floorHistory, ctx.now)}`;
      return { filename: `${ctx.room.id}-attendance.csv`, csv };
    },
  },
};
