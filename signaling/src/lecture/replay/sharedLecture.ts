/**
 * The part of a lecture every node shares (kept in the backplane's store) and the effects one
 * node tells the others about, with the schemas that check them when they come back from
 * another process (Redis, the bus). The backplane carries them without knowing their shape.
 *
 * The schemas follow the types (`z.ZodType<T>`: a schema that drifts from its type does not
 * compile) and keep fields they do not know, so a state written by a newer node loses nothing.
 */
import { z } from 'zod';
import { REACTIONS, ROLES, TIERS, type LectureInfo } from '@tongtang/shared';
import type { Backplane, LecturePayloads } from '../../backplane/Backplane.ts';
import { idSchema as id } from '../../store/LectureStore.ts';
import type { ClassState, Effect, PollState, SharedLecture } from '../machine/machine.ts';

export type { SharedLecture };

/** The backplane as lecture code sees it. */
export type LectureBackplane = Backplane<SharedLecture, Effect>;

const name = z.string().max(256);
const time = z.number();
const role = z.enum(ROLES);
const counts = z.array(z.number().int().min(0));

const chatMessage = z.looseObject({
  id, fromId: id, fromName: name, fromRole: role,
  to: z.enum(['everyone', 'lecturer', 'participant']),
  toId: id.optional(), toName: name.optional(),
  text: z.string(), sentAt: time,
});

const poll: z.ZodType<PollState> = z.looseObject({
  id, question: z.string(), options: z.array(z.string()), multiple: z.boolean(),
  state: z.enum(['open', 'closed']), openedAt: time, closedAt: time.nullable(),
  answers: z.record(z.string(), counts),
  siteCounts: z.record(z.string(), counts),
});

const classState: z.ZodType<ClassState> = z.looseObject({
  hands: z.array(z.looseObject({
    id, participantId: id, kind: z.enum(['student', 'classroom']), classroomId: id.nullable(),
    displayName: name, note: z.string().nullable(), raisedAt: time, raisedBy: id,
  })),
  speakers: z.array(z.looseObject({
    participantId: id, displayName: name, role, classroomId: id.nullable(), since: time,
    micMuted: z.boolean(), mutedBy: z.enum(['lecturer', 'self']).nullable(), cameraStopped: z.boolean(),
  })),
  maxSpeakers: z.number().int().min(1),
  floorHistory: z.array(z.looseObject({
    participantId: id, displayName: name, role, classroomId: id.nullable(), grantedAt: time, endedAt: time.nullable(),
  })),
  chat: z.array(chatMessage),
  polls: z.array(poll),
  reactions: z.record(z.string(), z.partialRecord(z.enum(REACTIONS), z.number().int().min(0))),
  headcounts: z.record(z.string(), z.number().int().min(0)),
  tiers: z.record(z.string(), z.enum(TIERS)).optional(),
  nextId: z.number().int().min(1),
});

const lectureInfo: z.ZodType<LectureInfo> = z.looseObject({
  id, title: z.string(), state: z.enum(['scheduled', 'live', 'ended']),
  startedAt: time.nullable(), endedAt: time.nullable(), maxSpeakers: z.number().int().min(1),
  recording: z.looseObject({ state: z.enum(['idle', 'recording', 'error']), since: time.nullable(), message: z.string().nullable() }),
});

export const sharedLectureSchema: z.ZodType<SharedLecture> = z.looseObject({
  info: lectureInfo,
  classState,
  classroomNames: z.record(z.string(), name),
});

export const effectSchema: z.ZodType<Effect> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lectureChanged') }),
  z.object({ type: z.literal('handsChanged') }),
  z.object({ type: z.literal('floorChanged'), granted: z.array(id), revoked: z.array(id) }),
  z.object({ type: z.literal('speakerMuted'), participantId: id, muted: z.boolean() }),
  z.object({ type: z.literal('speakerCameraStopped'), participantId: id }),
  z.object({ type: z.literal('chatPosted'), message: chatMessage }),
  z.object({ type: z.literal('reactionSent'), emoji: z.enum(REACTIONS), site: z.string(), displayName: name }),
  z.object({ type: z.literal('pollChanged'), pollId: id }),
  z.object({ type: z.literal('attendanceChanged') }),
  z.object({ type: z.literal('tierChanged'), classroomId: id }),
]);

/** What a backplane needs to check the lecture's data when it comes back from another process. */
export const lecturePayloads: LecturePayloads<SharedLecture, Effect> = { shared: sharedLectureSchema, effect: effectSchema };
