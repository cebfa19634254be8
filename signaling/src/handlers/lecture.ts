/** Lecture lifecycle and stats. */
import type { HandlerSpec } from '../rpc/dispatcher.ts';

export const lectureHandlers = {
  'lecture:start': {
    action: 'lecture:control',
    async handle({ room, session, now }) {
      // Going live is what lets the program reach receivers (the lectureChanged effect re-syncs).
      await room.dispatch({ type: 'lecture.start', actor: session.actor, now });
      return room.info;
    },
  },
  'lecture:end': {
    action: 'lecture:control',
    async handle({ room, session, now }) {
      // Ends the lecture and takes the floor from every speaker in one step; every node closes
      // the producers of its own sessions when it runs the effects.
      await room.dispatch({ type: 'lecture.end', actor: session.actor, now });
      return room.info;
    },
  },
  'stats:get': {
    action: 'stats:read',
    async handle({ room }) {
      const stats = await room.media.lectureStats(room.id);
      return { ...stats, participants: room.size };
    },
  },
} satisfies {
  'lecture:start': HandlerSpec<'lecture:start'>;
  'lecture:end': HandlerSpec<'lecture:end'>;
  'stats:get': HandlerSpec<'stats:get'>;
};

