/**
 * One lecture's interaction state as a pure machine: `apply(state, command)` returns the next
 * state and the effects for the server to carry out. No I/O, no timers, no clock, and the input
 * state is never mutated, so the same machine runs over an in-memory or a stored state.
 *
 * The server checks `can(role, action)` first; the finer rules (whose hand, who is on the floor,
 * which classroom) are enforced here and fail with an AppError.
 */
import type { LectureState } from '@tongtang/shared';
import { attendance, setHeadcount } from './attendance.ts';
import { sendChat, sendReaction } from './chat.ts';
import { attendanceCsv, csvCell, floorHistoryCsv } from './csv.ts';
import { refuseAfterEnd } from './ended.ts';
import { endFloor, floorState, grantFloor, isSpeaking, muteSpeaker, revokeFloor, stopSpeakerCamera } from './floor.ts';
import { clearHands, handsView, lowerHand, raiseHand } from './hands.ts';
import { answerPoll, answerPollSite, closePoll, openPoll, pollResults, pollView, pollViews } from './polls.ts';
import { fail, type Applied, type ClassState, type Command, type CommandOf, type Effect } from './state.ts';
import { setTier } from './tiers.ts';

export {
  CHAT_HISTORY_LIMIT, initialClassState, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS,
  type Actor, type Applied, type ClassState, type Command, type CommandOf, type Effect, type PollState,
} from './state.ts';
export { attendance, attendanceCsv, csvCell, floorHistoryCsv, floorState, handsView, isSpeaking, pollResults, pollView, pollViews };

/**
 * Applies a command. Returns the new state (the input is left untouched) and effects, or throws
 * AppError. `lecture` is the lecture's state when the command runs: an ended lecture refuses
 * what would start something new.
 */
export function apply(state: ClassState, cmd: Command, lecture: LectureState = 'live'): Applied {
  refuseAfterEnd(lecture, cmd);
  switch (cmd.type) {
    case 'hand.raise': return raiseHand(state, cmd);
    case 'hand.lower': return lowerHand(state, cmd);
    case 'hand.clear': return clearHands(state, cmd);
    case 'floor.grant': return grantFloor(state, cmd);
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
