/**
 * Once the lecture has ended, only what winds it down or completes its record is accepted:
 * lowering hands, taking the floor back (ending the lecture does that itself: lifecycle.ts),
 * closing a poll, head counts entered late, goodbyes in the chat. Everything that would start something refuses with
 * a CONFLICT that says why, instead of the vague "not possible right now".
 */
import type { LectureState } from '@tongtang/shared';
import { fail, type ClassCommand } from './state.ts';

const AFTER_END: ReadonlySet<ClassCommand['type']> = new Set<ClassCommand['type']>([
  'hand.lower', 'hand.clear', 'floor.revoke', 'participant.left', 'chat.send', 'poll.close', 'attendance.setHeadcount',
]);

export const LECTURE_ENDED_MESSAGE = 'the lecture has ended';

export function refuseAfterEnd(lecture: LectureState, cmd: ClassCommand): void {
  if (lecture === 'ended' && !AFTER_END.has(cmd.type)) fail('CONFLICT', LECTURE_ENDED_MESSAGE);
}
