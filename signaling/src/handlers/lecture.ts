/** Lecture lifecycle and stats. */
import type { HandlerSpec } from '../rpc/dispatcher.ts';

export const lectureHandlers = {
  'lecture:start': {
    action: 'lecture:control',
    async handle({ room, now }) {
      // Going live is what lets the program reach receivers (setLectureState re-syncs).
      return room.setLectureState('live', now);
    },
  },
  'lecture:end': {
    action: 'lecture:control',
    async handle({ room, now }) {
      // Every node closes the producers of its own sessions when it learns the lecture ended.
      const info = await room.setLectureState('ended', now);
      for (const s of room.classState.speakers) {
        await room.dispatch({ type: 'floor.revoke', actor: lecturerActor(room), participantId: s.participantId, now });
      }
      return info;
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

function lecturerActor(room: Parameters<HandlerSpec<'lecture:end'>['handle']>[0]['room']) {
  const lecturer = room.allSessions().find((s) => s.participant.role === 'lecturer');
  if (lecturer) return lecturer.actor;
  return { participantId: 'system', role: 'lecturer' as const, displayName: 'system', classroomId: null };
}
