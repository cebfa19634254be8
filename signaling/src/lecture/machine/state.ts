/**
 * The shared state of one lecture (its info and its interaction state), the commands that change
 * it and the effects they ask the server to carry out. Plain JSON-friendly data so the same state
 * can live in memory or in a shared store; time always arrives with the command, never from a clock.
 */
import {
  ONLINE_SITE, type ChatAudience, type ChatMessage, type FloorRecord, type HandEntry, type LectureInfo, type Participant,
  type Reaction, type ReactionCounts, type RecordingStatus, type Speaker, type Tier,
} from '@tongtang/shared';
import { AppError, type ErrorCode } from '@tongtang/shared';
import type { Role } from '@tongtang/shared';

/** A poll as the server keeps it, including who answered what. */
export interface PollState {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  state: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
  /** Student participant id -> the option indexes it chose, sorted. */
  answers: Record<string, number[]>;
  /** Classroom id -> per-option counts entered by its assistant. */
  siteCounts: Record<string, number[]>;
}

export interface ClassState {
  /** Ordered by raisedAt (ties: insertion order). */
  hands: HandEntry[];
  /** Ordered by since. */
  speakers: Speaker[];
  maxSpeakers: number;
  /** Every grant; endedAt is set when the floor is taken back. */
  floorHistory: FloorRecord[];
  /** The last CHAT_HISTORY_LIMIT messages. */
  chat: ChatMessage[];
  polls: PollState[];
  /** Site -> emoji -> count. */
  reactions: ReactionCounts;
  /** Classroom id -> head count entered by its assistant. */
  headcounts: Record<string, number>;
  /** Classroom id -> its quality ceiling, where the lecturer or IT overrode its role's (absent in states stored before tiers). */
  tiers?: Record<string, Tier>;
  /** Counter behind deterministic ids: `h1`, `c2`, `p3` ... */
  nextId: number;
}

/** Everything about a lecture that every node sees alike: what the machine runs over. */
export interface SharedLecture {
  info: LectureInfo;
  classState: ClassState;
  /** classroomId → display name, learned from classroom endpoints as they join. */
  classroomNames: Record<string, string>;
}

/** Who is acting. `classroomId` is set for classroom endpoints and assistants. */
export interface Actor {
  participantId: string;
  role: Role;
  displayName: string;
  classroomId: string | null;
}

/** Commands over the lecture itself: its lifecycle, its recording status, its classrooms' names. */
export type LifecycleCommand =
  | { type: 'lecture.start'; actor: Actor; now: number }
  /** Ends the lecture and takes the floor from every speaker in the same step. */
  | { type: 'lecture.end'; actor: Actor; now: number }
  /** The recorder reports what it does (no actor: the server's own recorder). */
  | { type: 'recording.set'; recording: RecordingStatus }
  /** A classroom endpoint joined under this name (no actor: its join). */
  | { type: 'classroom.name'; classroomId: string; name: string };

/** Commands over the interaction state: hands, floor, chat, polls, attendance, tiers. */
export type ClassCommand =
  | {
      type: 'hand.raise';
      actor: Actor;
      note?: string;
      now: number;
      /** For an assistant: the participant id of its classroom's endpoint, if connected. */
      classroomEndpointId?: string;
      /** For an assistant: the display name of its classroom's endpoint. */
      endpointName?: string;
    }
  | { type: 'hand.lower'; actor: Actor; entryId?: string }
  | { type: 'hand.clear'; actor: Actor }
  | { type: 'floor.grant'; actor: Actor; entryId?: string; target?: Participant; replace?: boolean; now: number }
  | { type: 'floor.revoke'; actor: Actor; participantId: string; now: number }
  | { type: 'floor.mute'; actor: Actor; participantId: string; muted: boolean }
  | { type: 'floor.stopCamera'; actor: Actor; participantId: string }
  | { type: 'participant.left'; participantId: string; now: number }
  | { type: 'chat.send'; actor: Actor; to: ChatAudience; text: string; now: number; recipient?: Participant }
  | { type: 'reaction.send'; actor: Actor; emoji: Reaction }
  | { type: 'poll.open'; actor: Actor; question: string; options: string[]; multiple: boolean; now: number }
  | { type: 'poll.answer'; actor: Actor; pollId: string; choices: number[] }
  | { type: 'poll.answerSite'; actor: Actor; pollId: string; counts: number[] }
  | { type: 'poll.close'; actor: Actor; pollId: string; now: number }
  | { type: 'attendance.setHeadcount'; actor: Actor; headcount: number; classroomId?: string }
  | { type: 'site.setTier'; actor: Actor; classroomId: string; tier: Tier | 'auto' };

export type Command = LifecycleCommand | ClassCommand;

export type Effect =
  /** The lecture's info changed (state, times, recording status): tell everyone, follow it. */
  | { type: 'lectureChanged' }
  | { type: 'handsChanged' }
  /** Participant ids that got or lost the floor. */
  | { type: 'floorChanged'; granted: string[]; revoked: string[] }
  | { type: 'speakerMuted'; participantId: string; muted: boolean }
  | { type: 'speakerCameraStopped'; participantId: string }
  | { type: 'chatPosted'; message: ChatMessage }
  | { type: 'reactionSent'; emoji: Reaction; site: string; displayName: string }
  | { type: 'pollChanged'; pollId: string }
  | { type: 'attendanceChanged' }
  /** A classroom's quality ceiling changed: its receivers' layers follow. */
  | { type: 'tierChanged'; classroomId: string };

export interface Applied {
  state: ClassState;
  effects: Effect[];
}

export interface AppliedLecture {
  state: SharedLecture;
  effects: Effect[];
}

export type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;

export const CHAT_HISTORY_LIMIT = 200;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 8;

export function initialClassState(maxSpeakers: number): ClassState {
  if (!Number.isInteger(maxSpeakers) || maxSpeakers < 1) {
    throw new RangeError(`maxSpeakers must be a positive integer, got ${maxSpeakers}`);
  }
  return {
    hands: [],
    speakers: [],
    maxSpeakers,
    floorHistory: [],
    chat: [],
    polls: [],
    reactions: {},
    headcounts: {},
    tiers: {},
    nextId: 1,
  };
}

export function fail(code: ErrorCode, message: string): never {
  throw new AppError(code, message);
}

/** Hands out the next deterministic id with the given prefix. */
export function takeId(state: ClassState, prefix: string): { id: string; nextId: number } {
  return { id: `${prefix}${state.nextId}`, nextId: state.nextId + 1 };
}

/** Classroom endpoints and assistants act for a classroom; their token must name it. */
export function classroomOf(actor: Actor): string {
  if (actor.classroomId === null || actor.classroomId === '') {
    fail('BAD_REQUEST', `a ${actor.role} must belong to a partner classroom`);
  }
  // Sites share one namespace in reactions and poll results with the remote students.
  if (actor.classroomId === ONLINE_SITE) fail('BAD_REQUEST', `the classroom id "${ONLINE_SITE}" is reserved`);
  return actor.classroomId;
}

/**
 * Reads a record's own property only: ids come from outside, and a key like `constructor`
 * must not find Object.prototype's.
 */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Inserts keeping `list` ordered by `at`; equal times keep insertion order. */
export function insertOrdered<T>(list: readonly T[], item: T, at: (x: T) => number): T[] {
  const index = list.findIndex((x) => at(x) > at(item));
  return index === -1 ? [...list, item] : [...list.slice(0, index), item, ...list.slice(index)];
}
