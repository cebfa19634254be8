import { describe, expect, it } from 'vitest';
import { can, needsClassroom, ROLES } from './roles.ts';

describe('permission rules', () => {
  it('gives lecture and floor control to the lecturer alone', () => {
    for (const role of ROLES) {
      expect(can(role, 'lecture:control')).toBe(role === 'lecturer');
      expect(can(role, 'floor:control')).toBe(role === 'lecturer');
      expect(can(role, 'hand:manageAny')).toBe(role === 'lecturer');
      expect(can(role, 'media:publishProgram')).toBe(role === 'lecturer');
    }
  });

  it('lets students and classrooms raise hands and publish only on the floor', () => {
    expect(can('student', 'hand:raise')).toBe(true);
    expect(can('classroom', 'hand:raise')).toBe(true);
    expect(can('assistant', 'hand:raise')).toBe(true);
    expect(can('observer', 'hand:raise')).toBe(false);
    expect(can('student', 'media:publishOnFloor')).toBe(true);
    expect(can('classroom', 'media:publishRoomCamera')).toBe(true);
    expect(can('student', 'media:publishRoomCamera')).toBe(false);
  });

  it('keeps observers read-only', () => {
    expect(can('observer', 'stats:read')).toBe(true);
    expect(can('observer', 'media:receive')).toBe(true);
    expect(can('observer', 'chat:toEveryone')).toBe(false);
    expect(can('student', 'stats:read')).toBe(false);
  });

  it('lets the lecturer alone write privately to one participant', () => {
    for (const role of ROLES) expect(can(role, 'chat:toParticipant')).toBe(role === 'lecturer');
  });

  it('splits poll answering between students (as people) and assistants (as sites)', () => {
    expect(can('student', 'poll:answerSelf')).toBe(true);
    expect(can('student', 'poll:answerSite')).toBe(false);
    expect(can('assistant', 'poll:answerSite')).toBe(true);
    expect(can('assistant', 'poll:answerSelf')).toBe(false);
  });

  it('requires a classroom for classroom endpoints and assistants only', () => {
    expect(ROLES.filter(needsClassroom)).toEqual(['classroom', 'assistant']);
  });
});
