import { describe, expect, it } from 'vitest';
import { ROLES, type ChatMessage, type Role } from '@tongtang/shared';
import {
  receivesChat, receivesPollUpdate, seesAttendance, seesHandQueue, seesLiveCounts, seesOwnRoomSource, seesParticipant,
  seesSources, seesStudents, seesTiers,
} from './audience.ts';

/** The roles for which `rule` holds, in ROLES order. */
const holdsFor = (rule: (role: Role) => boolean): Role[] => ROLES.filter(rule);

const message = (to: ChatMessage['to'], fromId: string, toId?: string): ChatMessage => ({
  id: 'c1', fromId, fromName: fromId, fromRole: 'student', to, text: 'hi', sentAt: 1, ...(toId ? { toId, toName: toId } : {}),
});

describe('who sees the crowd', () => {
  it('shows the other students to everyone but students', () => {
    expect(holdsFor(seesStudents)).toEqual(['lecturer', 'classroom', 'assistant', 'observer']);
  });

  it('puts every non-student in every roster, students only in the rosters of who sees students', () => {
    for (const viewer of ROLES) {
      for (const participant of ROLES) {
        expect(seesParticipant(viewer, { role: participant }), `${viewer} sees a ${participant}`).toBe(participant !== 'student' || viewer !== 'student');
      }
    }
  });

  it('shows the whole hand queue to everyone but students', () => {
    expect(holdsFor(seesHandQueue)).toEqual(['lecturer', 'classroom', 'assistant', 'observer']);
  });

  it('sends live counts (reactions, open poll answers) to the lecturer, the sites and IT', () => {
    expect(holdsFor(seesLiveCounts)).toEqual(['lecturer', 'classroom', 'assistant', 'observer']);
  });
});

describe('chat', () => {
  it('sends a public message to every role', () => {
    for (const role of ROLES) expect(receivesChat({ id: 'x', role }, message('everyone', 's1'))).toBe(true);
  });

  it('sends a message to the lecturer to its sender and the lecturer only', () => {
    const m = message('lecturer', 's1');
    for (const role of ROLES) expect(receivesChat({ id: 'x', role }, m), role).toBe(role === 'lecturer');
    expect(receivesChat({ id: 's1', role: 'student' }, m)).toBe(true);
  });

  it('sends a private reply to its addressee, its sender (the lecturer) and no one else', () => {
    const m = message('participant', 'L', 's2');
    for (const role of ROLES) expect(receivesChat({ id: 'x', role }, m), role).toBe(role === 'lecturer');
    expect(receivesChat({ id: 's2', role: 'student' }, m)).toBe(true);
    expect(receivesChat({ id: 's3', role: 'student' }, m)).toBe(false);
  });
});

describe('polls', () => {
  const poll = (state: 'open' | 'closed', answers: Record<string, number[]> = {}, siteCounts: Record<string, number[]> = {}) =>
    ({ state, answers, siteCounts });

  it('tells every role a poll opened and closed', () => {
    for (const role of ROLES) {
      expect(receivesPollUpdate(role, poll('open'))).toBe(true);
      expect(receivesPollUpdate(role, poll('closed', { s1: [0] }))).toBe(true);
    }
  });

  it('sends the counts of an open poll to who sees live counts only', () => {
    for (const p of [poll('open', { s1: [0] }), poll('open', {}, { c1: [3, 4] })]) {
      expect(holdsFor((role) => receivesPollUpdate(role, p))).toEqual(['lecturer', 'classroom', 'assistant', 'observer']);
    }
  });

  it('tells a poll it cannot find to who sees live counts only', () => {
    expect(holdsFor((role) => receivesPollUpdate(role, undefined))).toEqual(['lecturer', 'classroom', 'assistant', 'observer']);
  });
});

describe('attendance, tiers and sources', () => {
  it('shows attendance to the lecturer, the assistants and IT, not to students or the projector', () => {
    expect(holdsFor(seesAttendance)).toEqual(['lecturer', 'assistant', 'observer']);
  });

  it('shows quality ceilings and classroom hardware to who may set them: the lecturer and IT', () => {
    expect(holdsFor(seesTiers)).toEqual(['lecturer', 'observer']);
    expect(holdsFor(seesSources)).toEqual(['lecturer', 'observer']);
  });

  it('tells a classroom endpoint alone where its room picture comes from', () => {
    expect(holdsFor(seesOwnRoomSource)).toEqual(['classroom']);
  });
});
