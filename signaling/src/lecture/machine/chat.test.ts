import { describe, expect, it } from 'vitest';
import { AppError } from '@tongtang/shared';
import type { Participant } from '@tongtang/shared';
import type { Role } from '@tongtang/shared';
import { applyToClass, initialClassState, type Actor, type ClassCommand } from './machine.ts';

const actor = (participantId: string, role: Role): Actor => ({ participantId, role, displayName: `${participantId} name`, classroomId: null });
const asParticipant = (a: Actor): Participant => ({ id: a.participantId, role: a.role, displayName: a.displayName, classroomId: a.classroomId });
const L = actor('L', 'lecturer');
const S1 = actor('S1', 'student');
const A1: Actor = { ...actor('A1', 'assistant'), classroomId: 'c1' };
const reply = (from: Actor, to?: Actor): ClassCommand =>
  ({ type: 'chat.send', actor: from, to: 'participant', text: ' Yes, step 2 again: ', now: 5, ...(to ? { recipient: asParticipant(to) } : {}) });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'none';
}

describe('a private reply', () => {
  it('goes from the lecturer to the named participant, marked with whom it is for', () => {
    const { state, effects } = applyToClass(initialClassState(2), reply(L, S1));
    const message = state.chat[0]!;
    expect(message).toMatchObject({ fromId: 'L', to: 'participant', toId: 'S1', toName: 'S1 name', text: 'Yes, step 2 again:' });
    expect(effects).toEqual([{ type: 'chatPosted', message }]);
  });

  it('is the lecturer\'s alone, needs a recipient, and not the lecturer itself', () => {
    expect(codeOf(() => applyToClass(initialClassState(2), reply(S1, A1)))).toBe('FORBIDDEN');
    expect(codeOf(() => applyToClass(initialClassState(2), reply(A1, S1)))).toBe('FORBIDDEN');
    expect(codeOf(() => applyToClass(initialClassState(2), reply(L)))).toBe('BAD_REQUEST');
    expect(codeOf(() => applyToClass(initialClassState(2), reply(L, L)))).toBe('BAD_REQUEST');
  });
});
