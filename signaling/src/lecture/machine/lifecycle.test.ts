import { describe, expect, it } from 'vitest';
import { RECORDING_IDLE, ROLES, type ErrorCode, type LectureState } from '@tongtang/shared';
import { actor, asParticipant, refusal } from '../../../test-support/machineActors.ts';
import { apply, applyToClass, initialClassState, type Command, type SharedLecture } from './machine.ts';

const L = actor('L', 'lecturer');
const S1 = actor('S1', 'student');
const S2 = actor('S2', 'student');
const R1 = actor('R1', 'classroom', 'c1');

function lecture(state: LectureState = 'scheduled'): SharedLecture {
  return {
    info: { id: 'lec', title: 'T', state, startedAt: state === 'scheduled' ? null : 100, endedAt: state === 'ended' ? 200 : null, maxSpeakers: 2, recording: RECORDING_IDLE },
    classState: initialClassState(2),
    classroomNames: {},
  };
}

/** Applies a command and checks the input came through untouched. */
function run(s: SharedLecture, cmd: Command) {
  const before = structuredClone(s);
  const result = apply(s, cmd);
  expect(s).toEqual(before);
  return result;
}

function expectRefused(fn: () => unknown, code: ErrorCode, message: string): void {
  const err = refusal(fn);
  expect(err.code).toBe(code);
  expect(err.message).toBe(message);
}

/** A live lecture with S1 speaking since 1000, R1 since 2000, and S2's hand up. */
function onAir(): SharedLecture {
  let s = run(lecture(), { type: 'lecture.start', actor: L, now: 100 }).state;
  for (const cmd of [
    { type: 'floor.grant', actor: L, target: asParticipant(S1), now: 1000 },
    { type: 'floor.grant', actor: L, target: asParticipant(R1), now: 2000 },
    { type: 'hand.raise', actor: S2, now: 2500 },
  ] satisfies Command[]) s = run(s, cmd).state;
  return s;
}

describe('lecture.start', () => {
  it('takes a scheduled lecture live at `now` and says the lecture changed', () => {
    const { state, effects } = run(lecture(), { type: 'lecture.start', actor: L, now: 100 });
    expect(state.info).toMatchObject({ state: 'live', startedAt: 100, endedAt: null });
    expect(effects).toEqual([{ type: 'lectureChanged' }]);
  });

  it('refuses any other start, with the state it is in', () => {
    expectRefused(() => apply(lecture('live'), { type: 'lecture.start', actor: L, now: 1 }), 'CONFLICT', 'the lecture is live and cannot become live');
    expectRefused(() => apply(lecture('ended'), { type: 'lecture.start', actor: L, now: 1 }), 'CONFLICT', 'the lecture is ended and cannot become live');
  });

  it('is the lecturer\'s alone (can lecture:control)', () => {
    for (const role of ROLES.filter((r) => r !== 'lecturer')) {
      expect(refusal(() => apply(lecture(), { type: 'lecture.start', actor: actor('X', role, 'c1'), now: 1 })).code).toBe('FORBIDDEN');
      expect(refusal(() => apply(lecture('live'), { type: 'lecture.end', actor: actor('X', role, 'c1'), now: 1 })).code).toBe('FORBIDDEN');
    }
  });
});

describe('lecture.end', () => {
  it('ends the lecture and takes the floor from every speaker in the same step', () => {
    const before = onAir();
    const { state, effects } = run(before, { type: 'lecture.end', actor: L, now: 5000 });
    expect(state.info).toMatchObject({ state: 'ended', startedAt: 100, endedAt: 5000 });
    expect(state.classState.speakers).toEqual([]);
    expect(state.classState.floorHistory.map((r) => [r.participantId, r.endedAt])).toEqual([['S1', 5000], ['R1', 5000]]);
    // One floorChanged lists everyone who lost the floor; the lecture change comes first.
    expect(effects).toEqual([{ type: 'lectureChanged' }, { type: 'floorChanged', granted: [], revoked: ['S1', 'R1'] }]);
    // The hand queue stays as it was (it is the record of who still wanted to speak).
    expect(state.classState.hands).toEqual(before.classState.hands);
  });

  it('tells only of the lecture when nobody was speaking', () => {
    const { effects } = run(lecture('live'), { type: 'lecture.end', actor: L, now: 5 });
    expect(effects).toEqual([{ type: 'lectureChanged' }]);
  });

  it('ends a lecture that never went live, and refuses to end one twice', () => {
    expect(run(lecture(), { type: 'lecture.end', actor: L, now: 5 }).state.info).toMatchObject({ state: 'ended', startedAt: null, endedAt: 5 });
    expectRefused(() => apply(lecture('ended'), { type: 'lecture.end', actor: L, now: 6 }), 'CONFLICT', 'the lecture is ended and cannot become ended');
  });

  it('leaves an ended lecture refusing what would start something new', () => {
    const ended = run(onAir(), { type: 'lecture.end', actor: L, now: 5000 }).state;
    expectRefused(() => apply(ended, { type: 'hand.raise', actor: S1, now: 6000 }), 'CONFLICT', 'the lecture has ended');
    expect(apply(ended, { type: 'hand.clear', actor: L }).state.classState.hands).toEqual([]);
  });
});

describe('floor.grant and the lecture state', () => {
  it('gives nobody the floor before the lecture is live', () => {
    expectRefused(() => apply(lecture(), { type: 'floor.grant', actor: L, target: asParticipant(S1), now: 1 }), 'CONFLICT', 'go live before giving anyone the floor');
    expectRefused(() => applyToClass(initialClassState(2), { type: 'floor.grant', actor: L, target: asParticipant(S1), now: 1 }, 'scheduled'), 'CONFLICT', 'go live before giving anyone the floor');
  });
});

describe('recording.set', () => {
  it('sets the status everyone sees, also after the end', () => {
    const status = { state: 'recording', since: 7, message: null } as const;
    for (const s of [lecture('live'), lecture('ended')]) {
      const { state, effects } = run(s, { type: 'recording.set', recording: status });
      expect(state.info.recording).toEqual(status);
      expect(state.info.state).toBe(s.info.state);
      expect(effects).toEqual([{ type: 'lectureChanged' }]);
    }
  });
});

describe('classroom.name', () => {
  it('records a classroom\'s name without telling anyone, and leaves the state alone when it is the same', () => {
    const named = run(lecture('ended'), { type: 'classroom.name', classroomId: 'c1', name: 'Kashgar' });
    expect(named.state.classroomNames).toEqual({ c1: 'Kashgar' });
    expect(named.effects).toEqual([]);
    const again = run(named.state, { type: 'classroom.name', classroomId: 'c1', name: 'Kashgar' });
    expect(again.state).toBe(named.state);
    expect(run(named.state, { type: 'classroom.name', classroomId: 'c1', name: 'Kashgar 2' }).state.classroomNames).toEqual({ c1: 'Kashgar 2' });
  });
});

describe('apply over the whole lecture', () => {
  it('runs interaction commands on the interaction state, keeping the rest', () => {
    const s = lecture('live');
    const { state, effects } = run(s, { type: 'hand.raise', actor: S1, now: 1 });
    expect(state.info).toBe(s.info);
    expect(state.classState.hands.map((h) => h.participantId)).toEqual(['S1']);
    expect(effects).toEqual([{ type: 'handsChanged' }]);
  });

  it('refuses an unknown command', () => {
    expect(refusal(() => apply(lecture(), { type: 'nope' } as unknown as Command)).code).toBe('BAD_REQUEST');
  });
});
