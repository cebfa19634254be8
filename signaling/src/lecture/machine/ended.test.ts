import { describe, expect, it } from 'vitest';
import { actor, asParticipant, refusal } from '../../../test-support/machineActors.ts';
import { applyToClass, initialClassState, type ClassState, type ClassCommand } from './machine.ts';

const L = actor('L', 'lecturer');
const S1 = actor('S1', 'student');
const A1 = actor('A1', 'assistant', 'c1');

/** A live lecture with a hand up, a speaker and an open poll, as it stands when the lecturer ends it. */
function busy(): ClassState {
  const S2 = actor('S2', 'student');
  const cmds: ClassCommand[] = [
    { type: 'hand.raise', actor: S1, now: 1 },
    { type: 'floor.grant', actor: L, target: asParticipant(S2), now: 2 },
    { type: 'poll.open', actor: L, question: 'q?', options: ['a', 'b'], multiple: false, now: 3 },
  ];
  return cmds.reduce((s, c) => applyToClass(s, c, 'live').state, initialClassState(2));
}

describe('an ended lecture', () => {
  const state = busy();
  const pollId = state.polls[0]!.id;
  const handId = state.hands[0]!.id;

  // A new poll needs the earlier one closed, else it is refused for that reason even while live.
  const closed = applyToClass(state, { type: 'poll.close', actor: L, pollId, now: 5 }).state;
  it.each<[string, ClassCommand, ClassState?]>([
    ['a raised hand', { type: 'hand.raise', actor: actor('S3', 'student'), now: 10 }],
    ['a grant', { type: 'floor.grant', actor: L, entryId: handId, now: 10 }],
    ['a mute', { type: 'floor.mute', actor: L, participantId: 'S2', muted: true }],
    ['a stopped camera', { type: 'floor.stopCamera', actor: L, participantId: 'S2' }],
    ['a new poll', { type: 'poll.open', actor: L, question: 'again?', options: ['y', 'n'], multiple: false, now: 10 }, closed],
    ['an answer', { type: 'poll.answer', actor: S1, pollId, choices: [0] }],
    ['a site answer', { type: 'poll.answerSite', actor: A1, pollId, counts: [1, 2] }],
    ['a reaction', { type: 'reaction.send', actor: S1, emoji: '👍' }],
  ])('refuses %s with CONFLICT "the lecture has ended"', (_, cmd, given = state) => {
    const err = refusal(() => applyToClass(given, cmd, 'ended'));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe('the lecture has ended');
    // The same command is fine while live: the refusal is about the end, not the command.
    expect(() => applyToClass(given, cmd, 'live')).not.toThrow();
  });

  it('still takes the floor back, lowers hands, closes the poll, records head counts and carries goodbyes', () => {
    const cmds: ClassCommand[] = [
      { type: 'floor.revoke', actor: L, participantId: 'S2', now: 11 },
      { type: 'hand.lower', actor: L, entryId: handId },
      { type: 'poll.close', actor: L, pollId, now: 12 },
      { type: 'attendance.setHeadcount', actor: A1, headcount: 30 },
      { type: 'chat.send', actor: S1, to: 'everyone', text: 'Thank you!', now: 13 },
      { type: 'participant.left', participantId: 'S1', now: 14 },
    ];
    const end = cmds.reduce((s, c) => applyToClass(s, c, 'ended').state, state);
    expect(end.speakers).toEqual([]);
    expect(end.hands).toEqual([]);
    expect(end.polls[0]!.state).toBe('closed');
    expect(end.headcounts).toEqual({ c1: 30 });
    expect(end.chat.at(-1)!.text).toBe('Thank you!');
  });
});
