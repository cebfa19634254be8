/** The schemas that check a lecture's shared state and effects when they come back from Redis or the bus. */
import { describe, expect, it } from 'vitest';
import { RECORDING_IDLE } from '@tongtang/shared';
import { apply, initialClassState, type Actor, type Command, type Effect } from '../machine/machine.ts';
import { effectSchema, sharedLectureSchema, type SharedLecture } from './sharedLecture.ts';

const lecturer: Actor = { participantId: 'L', role: 'lecturer', displayName: 'Prof', classroomId: null };
const student: Actor = { participantId: 's1', role: 'student', displayName: 'Ann', classroomId: null };

/** A state the machine really produced: live, recorded, named classrooms, hands, floor, chat, a poll with answers, reactions, tiers. */
function busyLecture(): { shared: SharedLecture; effects: Effect[] } {
  const info = { id: 'lec', title: 'Lecture', state: 'scheduled' as const, startedAt: null, endedAt: null, maxSpeakers: 2, recording: RECORDING_IDLE };
  let shared: SharedLecture = { info, classState: initialClassState(2), classroomNames: {} };
  const effects: Effect[] = [];
  const run = (cmd: Command) => {
    const applied = apply(shared, cmd);
    shared = applied.state;
    effects.push(...applied.effects);
  };
  run({ type: 'lecture.start', actor: lecturer, now: 1 });
  run({ type: 'recording.set', recording: { state: 'recording', since: 1, message: null } });
  run({ type: 'classroom.name', classroomId: 'kashgar', name: 'Kashgar 101' });
  const state = () => shared.classState;
  run({ type: 'hand.raise', actor: student, note: 'a question', now: 1 });
  run({ type: 'floor.grant', actor: lecturer, target: { id: 's1', role: 'student', displayName: 'Ann', classroomId: null }, now: 2 });
  run({ type: 'floor.mute', actor: lecturer, participantId: 's1', muted: true });
  run({ type: 'chat.send', actor: student, to: 'everyone', text: 'hello', now: 3 });
  run({ type: 'reaction.send', actor: student, emoji: '👍' });
  run({ type: 'poll.open', actor: lecturer, question: 'Which?', options: ['a', 'b'], multiple: false, now: 4 });
  run({ type: 'poll.answer', actor: student, pollId: state().polls[0]!.id, choices: [1] });
  run({ type: 'site.setTier', actor: lecturer, classroomId: 'kashgar', tier: 'low' });
  run({ type: 'floor.revoke', actor: lecturer, participantId: 's1', now: 5 });
  return { shared, effects };
}

describe('sharedLectureSchema', () => {
  it('takes back a state the machine produced, as it went through JSON', () => {
    const { shared } = busyLecture();
    const wire = JSON.parse(JSON.stringify(shared)) as unknown;
    expect(sharedLectureSchema.parse(wire)).toEqual(shared);
  });

  it('keeps fields it does not know (a state written by a newer node loses nothing)', () => {
    const { shared } = busyLecture();
    const newer = { ...shared, classState: { ...shared.classState, futureField: [1, 2] } };
    expect(sharedLectureSchema.parse(newer)).toMatchObject({ classState: { futureField: [1, 2] } });
  });

  it.each<[string, (s: SharedLecture) => unknown]>([
    ['not an object', () => 'state'],
    ['no class state', (s) => ({ ...s, classState: undefined })],
    ['an unknown lecture state', (s) => ({ ...s, info: { ...s.info, state: 'paused' } })],
    ['a hand without an id', (s) => ({ ...s, classState: { ...s.classState, hands: [{ ...s.classState.hands[0], id: undefined }] } })],
    ['a speaker of an unknown role', (s) => ({ ...s, classState: { ...s.classState, speakers: [{ participantId: 'x', displayName: 'x', role: 'king', classroomId: null, since: 1, micMuted: false, mutedBy: null, cameraStopped: false }] } })],
    ['a poll answer that is not a list', (s) => ({ ...s, classState: { ...s.classState, polls: [{ ...s.classState.polls[0], answers: { s1: 1 } }] } })],
    ['an unknown tier', (s) => ({ ...s, classState: { ...s.classState, tiers: { kashgar: 'ultra' } } })],
    ['a negative head count', (s) => ({ ...s, classState: { ...s.classState, headcounts: { kashgar: -4 } } })],
    ['a reaction that is not one of ours', (s) => ({ ...s, classState: { ...s.classState, reactions: { online: { '💣': 1 } } } })],
    ['a classroom name that is not text', (s) => ({ ...s, classroomNames: { kashgar: 7 } })],
  ])('refuses %s', (_what, spoil) => {
    expect(sharedLectureSchema.safeParse(spoil(busyLecture().shared)).success).toBe(false);
  });
});

describe('effectSchema', () => {
  it('takes back every effect the machine produced', () => {
    const { effects } = busyLecture();
    expect(new Set(effects.map((e) => e.type)).size).toBeGreaterThanOrEqual(6);
    const all: Effect[] = [...effects, { type: 'attendanceChanged' }, { type: 'speakerCameraStopped', participantId: 's1' }];
    for (const e of all) expect(effectSchema.parse(JSON.parse(JSON.stringify(e)))).toEqual(e);
  });

  it.each([
    ['an unknown effect', { type: 'reboot' }],
    ['a floor change without lists', { type: 'floorChanged', granted: 's1' }],
    ['a mute that is not a flag', { type: 'speakerMuted', participantId: 's1', muted: 'yes' }],
    ['a chat message without text', { type: 'chatPosted', message: { id: 'c1', fromId: 's', fromName: 's', fromRole: 'student', to: 'everyone', sentAt: 1 } }],
    ['an unknown reaction', { type: 'reactionSent', emoji: '💣', site: 'online', displayName: 'x' }],
  ])('refuses %s', (_what, effect) => {
    expect(effectSchema.safeParse(effect).success).toBe(false);
  });
});
