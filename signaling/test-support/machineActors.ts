/** Who acts in the lecture machine's unit tests, and how they read a refusal. */
import { AppError, type Participant, type Role } from '@tongtang/shared';
import type { Actor } from '../src/lecture/machine/machine.ts';

export const actor = (participantId: string, role: Role, classroomId: string | null = null, displayName = participantId): Actor =>
  ({ participantId, role, displayName, classroomId });

export const asParticipant = (a: Actor): Participant =>
  ({ id: a.participantId, role: a.role, displayName: a.displayName, classroomId: a.classroomId });

/** The AppError `fn` throws; any other error is rethrown, and not throwing fails the test. */
export function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
