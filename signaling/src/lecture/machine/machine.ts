/**
 * One lecture's shared state as a pure machine: `apply(lecture, command)` returns the next state
 * and the effects for the server to carry out. No I/O, no timers, no clock, and the input state is
 * never mutated, so the same machine runs over an in-memory or a stored state. The room changes
 * shared state only through it (LectureRoom.dispatch).
 *
 * The rules ask `can(role, action)` (shared/src/roles.ts) for what a role may do, and enforce the
 * finer rules themselves (whose hand, who is on the floor, which classroom), failing with an AppError.
 */
import type { LectureState } from '@tongtang/shared';
import { attendance, setHeadcount } from './attendance.ts';
import { sendChat, sendReaction } from './chat.ts';
import { attendanceCsv, csvCell, floorHistoryCsv } from './csv.ts';
import { refuseAfterEnd } from './ended.ts';
import { endLecture, nameClassroom, setRecording, startLecture } from './lifecycle.ts';
import { endFloor, floorState, grantFloor, isSpeaking, muteSpeaker, revokeFloor, stopSpeakerCamera } from './floor.ts';
import { clearHands, handsView, lowerHand, raiseHand } from './hands.ts';
import { answerPoll, answerPollSite, closePoll, openPoll, pollResults, pollView, pollViews } from './polls.ts';
import {
  fail, type Applied, type AppliedLecture, type ClassCommand, type ClassState, type Command, type CommandOf, type Effect,
  type SharedLecture,
} from './state.ts';
import { setTier } from './tiers.ts';

export {
  CHAT_HISTORY_LIMIT, initialClassState, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS,
  type Actor, type Applied, type AppliedLecture, type ClassCommand, type ClassState, type Command, type CommandOf, type Effect,
  type LifecycleCommand, type PollState, type SharedLecture,
} from './state.ts';
export { attendance, attendanceCsv, csvCell, floorHistoryCsv, floorState, handsView, isSpeaking, pollResults, pollView, pollViews };

/**
 * Applies a command to the whole lecture. Returns the new state (the input is left untouched)
 * and effects, or throws AppError.
 */
export function apply(lecture: SharedLecture, cmd: Command): AppliedLecture {
  switch (cmd.type) {
    case 'lecture.start': return startLecture(lecture, cmd);
    case 'lecture.end': return endLecture(lecture, cmd);
    case 'recording.set': return setRecording(lecture, cmd);
    case 'classroom.name': return nameClassroom(lecture, cmd);
    default: {
      const { state, effects } = applyToClass(lecture.classState, cmd, lecture.info.state);
      return { state: state === lecture.classState ? lecture : { ...lecture, classState: state }, effects };
    }
  }
}

/**
 * Applies an interaction command to the interaction state alone. `lecture` is the lecture's
 * state when the command runs: a scheduled lecture gives nobody the floor, an ended one refuses
 * what would start something new.
 */
export function applyToClass(state: ClassState, cmd: ClassCommand, lecture: LectureState = 'live'): Applied {
  refuseAfterEnd(lecture, cmd);
  switch (cmd.type) {
    case 'hand.raise': return raiseHand(state, cmd);
    case 'hand.lower': return lowerHand(state, cmd);
    case 'hand.clear': return clearHands(state, cmd);
    case 'floor.grant': return grantFloor(state, cmd, lecture);
    case 'floor.revoke': return revokeFloor(state, cmd);
    case 'floor.mute': return muteSpeaker(state, cmd);
    case 'floor.stopCamera': return stopSpeakerCamera(state, cmd);
    case 'participant.left': return participantLeft(state, cmd);
    case 'chat.send': return sendChat(state, cmd);
    case 'reaction.send': return sendReaction(state, cmd);
    case 'poll.open': return openPoll(state, cmd);
    case 'poll.answer': return answerPoll(state, cmd);
    case 'poll.answerSite': return answerPollSite(state, cmd);
    case 'poll.close': return closePoll(state, cmd);
    case 'attendance.setHeadcount': return setHeadcount(state, cmd);
    case 'site.setTier': return setTier(state, cmd);
    default: {
      const unknown: never = cmd;
      return fail('BAD_REQUEST', `unknown command ${(unknown as { type?: unknown }).type as string}`);
    }
  }
}

/**
 * A participant is gone: its hand entries go (for a classroom endpoint that is its classroom's
 * entry, since classroom entries name the endpoint) and it leaves the floor. Entries an assistant
 * raised for its classroom stay when the assistant leaves: they belong to the room.
 */
function participantLeft(state: ClassState, cmd: CommandOf<'participant.left'>): Applied {
  const { participantId, now } = cmd;
  const effects: Effect[] = [];
  let next = state;
  const hands = state.hands.filter((h) => h.participantId !== participantId);
  if (hands.length !== state.hands.length) {
    next = { ...next, hands };
    effects.push({ type: 'handsChanged' });
  }
  if (isSpeaking(next, participantId)) {
    next = endFloor(next, participantId, now);
    effects.push({ type: 'floorChanged', granted: [], revoked: [participantId] });
  }
  return { state: next, effects };
}
