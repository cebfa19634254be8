import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '@tongtang/shared';
import type { FloorRecord } from '@tongtang/shared';
import {
  applyToClass, attendance, attendanceCsv, CHAT_HISTORY_LIMIT, csvCell, floorHistoryCsv, floorState, handsView,
  initialClassState, pollView, pollViews, type Actor, type Applied, type ClassState, type ClassCommand,
} from './machine.ts';
import { actor, asParticipant } from '../../../test-support/machineActors.ts';


const L = actor('L', 'lecturer');
const S1 = actor('S1', 'student');
const S2 = actor('S2', 'student');
const S3 = actor('S3', 'student');
const R1 = actor('R1', 'classroom', 'c1', 'Room A');
const R2 = actor('R2', 'classroom', 'c2', 'Room B');
const A1 = actor('A1', 'assistant', 'c1', 'Ann');
const A2 = actor('A2', 'assistant', 'c2', 'Bob');
const O = actor('O', 'observer');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Applies a command and checks the input state came through untouched (frozen and compared). */
function run(state: ClassState, cmd: ClassCommand): Applied {
  const before = structuredClone(state);
  deepFreeze(state);
  const result = applyToClass(state, cmd);
  expect(state).toEqual(before);
  return result;
}

/** Applies commands in turn and returns the final state. */
function runAll(state: ClassState, ...cmds: ClassCommand[]): ClassState {
  return cmds.reduce((s, cmd) => run(s, cmd).state, state);
}

function expectError(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  if (message) expect((caught as AppError).message).toMatch(message);
}

const fresh = (max = 2) => initialClassState(max);
const raise = (a: Actor, now: number, extra: Partial<Extract<ClassCommand, { type: 'hand.raise' }>> = {}): ClassCommand =>
  ({ type: 'hand.raise', actor: a, now, ...extra });
const raiseFor = (a: Actor, endpoint: Actor, now: number): ClassCommand =>
  raise(a, now, { classroomEndpointId: endpoint.participantId, endpointName: endpoint.displayName });
const grant = (target: Actor, now: number, replace?: boolean): ClassCommand =>
  ({ type: 'floor.grant', actor: L, target: asParticipant(target), now, ...(replace === undefined ? {} : { replace }) });
const ids = (s: ClassState) => s.hands.map((h) => h.participantId);
const speakerIds = (s: ClassState) => s.speakers.map((sp) => sp.participantId);

describe('initialClassState', () => {
  it('starts empty with the speaker limit', () => {
    expect(fresh(3)).toEqual({
      hands: [], speakers: [], maxSpeakers: 3, floorHistory: [], chat: [], polls: [], reactions: {}, headcounts: {}, tiers: {}, nextId: 1,
    });
  });

  it('rejects a speaker limit below one', () => {
    expect(() => initialClassState(0)).toThrow(RangeError);
    expect(() => initialClassState(1.5)).toThrow(RangeError);
  });
});

describe('hand.raise', () => {
  it('a student raises for itself with a deterministic id and a trimmed note', () => {
    const { state, effects } = run(fresh(), raise(S1, 100, { note: '  question about slide 3 ' }));
    expect(state.hands).toEqual([{
      id: 'h1', participantId: 'S1', kind: 'student', classroomId: null, displayName: 'S1',
      note: 'question about slide 3', raisedAt: 100, raisedBy: 'S1',
    }]);
    expect(state.nextId).toBe(2);
    expect(effects).toEqual([{ type: 'handsChanged' }]);
  });

  it('stores a blank note as null', () => {
    expect(run(fresh(), raise(S1, 1, { note: '   ' })).state.hands[0]?.note).toBeNull();
  });

  it('a classroom endpoint raises for itself', () => {
    const [entry] = run(fresh(), raise(R1, 5)).state.hands;
    expect(entry).toMatchObject({ participantId: 'R1', kind: 'classroom', classroomId: 'c1', displayName: 'Room A', raisedBy: 'R1' });
  });

  it("an assistant raises for its classroom's endpoint, under the endpoint's name", () => {
    const [entry] = run(fresh(), raiseFor(A1, R1, 5)).state.hands;
    expect(entry).toMatchObject({ participantId: 'R1', kind: 'classroom', classroomId: 'c1', displayName: 'Room A', raisedBy: 'A1' });
  });

  it("an assistant falls back to its own name when the endpoint's is not given", () => {
    const [entry] = run(fresh(), raise(A1, 5, { classroomEndpointId: 'R1' })).state.hands;
    expect(entry?.displayName).toBe('Ann');
  });

  it("an assistant cannot raise while its classroom's endpoint is not connected", () => {
    expectError(() => run(fresh(), raise(A1, 5)), 'CONFLICT', /endpoint is not connected/);
  });

  it('one entry per participant: raising again conflicts, also across endpoint and assistant', () => {
    const s = runAll(fresh(), raise(S1, 1), raise(R1, 2));
    expectError(() => run(s, raise(S1, 3)), 'CONFLICT', /hand already raised/);
    expectError(() => run(s, raiseFor(A1, R1, 3)), 'CONFLICT', /hand already raised/);
  });

  it('someone on the floor cannot raise', () => {
    const s = runAll(fresh(), grant(S1, 1), grant(R1, 2));
    expectError(() => run(s, raise(S1, 3)), 'CONFLICT', /already on the floor/);
    expectError(() => run(s, raiseFor(A1, R1, 3)), 'CONFLICT', /already on the floor/);
  });

  it('the lecturer and observers cannot raise', () => {
    expectError(() => run(fresh(), raise(L, 1)), 'FORBIDDEN');
    expectError(() => run(fresh(), raise(O, 1)), 'FORBIDDEN');
  });

  it('a classroom actor without a classroom id is refused', () => {
    expectError(() => run(fresh(), raise(actor('X', 'classroom'), 1)), 'BAD_REQUEST');
  });

  it('keeps the queue ordered by raisedAt, ties in insertion order', () => {
    const s = runAll(fresh(), raise(S1, 10), raise(S2, 30), raise(R1, 20), raise(S3, 20));
    expect(ids(s)).toEqual(['S1', 'R1', 'S3', 'S2']);
  });
});

describe('hand.lower', () => {
  const queued = () => runAll(fresh(), raise(S1, 1), raise(S2, 2), raise(R1, 3), raise(R2, 4));
  const lower = (a: Actor, entryId?: string): ClassCommand => ({ type: 'hand.lower', actor: a, ...(entryId ? { entryId } : {}) });
  const entryOf = (s: ClassState, pid: string) => s.hands.find((h) => h.participantId === pid)!.id;

  it('without an entry id lowers the actor’s own entry', () => {
    const s = queued();
    expect(ids(run(s, lower(S1)).state)).toEqual(['S2', 'R1', 'R2']);
    expect(ids(run(s, lower(R2)).state)).toEqual(['S1', 'S2', 'R1']);
    expect(run(s, lower(S1)).effects).toEqual([{ type: 'handsChanged' }]);
  });

  it("an assistant without an entry id lowers its classroom's entry", () => {
    expect(ids(run(queued(), lower(A1)).state)).toEqual(['S1', 'S2', 'R2']);
  });

  it('NOT_FOUND when there is no own entry', () => {
    expectError(() => run(queued(), lower(S3)), 'NOT_FOUND');
    expectError(() => run(fresh(), lower(A1)), 'NOT_FOUND');
  });

  it('the lecturer lowers any entry by id', () => {
    const s = queued();
    expect(ids(run(s, lower(L, entryOf(s, 'R1'))).state)).toEqual(['S1', 'S2', 'R2']);
    expectError(() => run(s, lower(L)), 'BAD_REQUEST');
    expectError(() => run(s, lower(L, 'h999')), 'NOT_FOUND');
  });

  it("an assistant lowers its own classroom's entry by id but not another classroom's", () => {
    const s = queued();
    expect(ids(run(s, lower(A1, entryOf(s, 'R1'))).state)).toEqual(['S1', 'S2', 'R2']);
    expectError(() => run(s, lower(A1, entryOf(s, 'R2'))), 'FORBIDDEN', /own classroom/);
    expectError(() => run(s, lower(A1, entryOf(s, 'S1'))), 'FORBIDDEN');
  });

  it("a student or classroom lowers only its own entry by id", () => {
    const s = queued();
    expect(ids(run(s, lower(S2, entryOf(s, 'S2'))).state)).toEqual(['S1', 'R1', 'R2']);
    expectError(() => run(s, lower(S2, entryOf(s, 'S1'))), 'FORBIDDEN');
    expectError(() => run(s, lower(R1, entryOf(s, 'R2'))), 'FORBIDDEN');
  });

  it('a classroom endpoint may lower the entry its assistant raised', () => {
    const s = run(fresh(), raiseFor(A1, R1, 1)).state;
    expect(run(s, lower(R1)).state.hands).toEqual([]);
  });

  it('observers cannot lower hands', () => {
    const s = queued();
    expectError(() => run(s, lower(O, entryOf(s, 'S1'))), 'FORBIDDEN');
  });
});

describe('hand.clear', () => {
  it('the lecturer clears the queue', () => {
    const s = runAll(fresh(), raise(S1, 1), raise(R1, 2));
    const { state, effects } = run(s, { type: 'hand.clear', actor: L });
    expect(state.hands).toEqual([]);
    expect(effects).toEqual([{ type: 'handsChanged' }]);
  });

  it('clearing an empty queue changes nothing', () => {
    expect(run(fresh(), { type: 'hand.clear', actor: L }).effects).toEqual([]);
  });

  it('nobody else can clear', () => {
    const s = run(fresh(), raise(S1, 1)).state;
    for (const a of [S1, A1, R1, O]) expectError(() => run(s, { type: 'hand.clear', actor: a }), 'FORBIDDEN');
  });
});

describe('handsView', () => {
  const s = () => runAll(fresh(), raise(S1, 1), raise(R1, 2), raise(S2, 3));

  it('staff, classrooms and observers see the whole queue', () => {
    for (const viewer of [L, O]) expect(handsView(s(), viewer)).toEqual({ entries: s().hands, total: 3, myPosition: null });
    expect(handsView(s(), R1)).toMatchObject({ total: 3, myPosition: 2 });
    expect(handsView(s(), R1).entries).toHaveLength(3);
    expect(handsView(s(), A1)).toMatchObject({ total: 3, myPosition: 2 });
    expect(handsView(s(), A2)).toMatchObject({ total: 3, myPosition: null });
  });

  it('a student sees only its own entry, the queue length and its place', () => {
    const view = handsView(s(), S2);
    expect(view.entries.map((e) => e.participantId)).toEqual(['S2']);
    expect(view).toMatchObject({ total: 3, myPosition: 3 });
    expect(handsView(s(), S3)).toEqual({ entries: [], total: 3, myPosition: null });
  });
});

describe('floor.grant', () => {
  it('grants by hand entry and removes the entry from the queue', () => {
    const s = runAll(fresh(), raise(S1, 1), raise(S2, 2));
    const { state, effects } = run(s, { type: 'floor.grant', actor: L, entryId: s.hands[0]!.id, now: 10 });
    expect(state.speakers).toEqual([
      { participantId: 'S1', displayName: 'S1', role: 'student', classroomId: null, since: 10, micMuted: false, mutedBy: null, cameraStopped: false },
    ]);
    expect(ids(state)).toEqual(['S2']);
    expect(state.floorHistory).toEqual([
      { participantId: 'S1', displayName: 'S1', role: 'student', classroomId: null, grantedAt: 10, endedAt: null },
    ]);
    expect(effects).toEqual([{ type: 'floorChanged', granted: ['S1'], revoked: [] }, { type: 'handsChanged' }]);
  });

  it('a classroom entry puts the classroom endpoint on the floor', () => {
    const s = run(fresh(), raiseFor(A1, R1, 1)).state;
    const state = run(s, { type: 'floor.grant', actor: L, entryId: s.hands[0]!.id, now: 10 }).state;
    expect(state.speakers[0]).toMatchObject({ participantId: 'R1', role: 'classroom', classroomId: 'c1', displayName: 'Room A' });
  });

  it('NOT_FOUND for an unknown entry', () => {
    expectError(() => run(fresh(), { type: 'floor.grant', actor: L, entryId: 'h42', now: 1 }), 'NOT_FOUND');
  });

  it('grants a target directly, taking its queue entry along', () => {
    const s = runAll(fresh(), raise(S1, 1), raise(R1, 2));
    const { state, effects } = run(s, grant(R1, 5));
    expect(speakerIds(state)).toEqual(['R1']);
    expect(ids(state)).toEqual(['S1']);
    expect(effects).toContainEqual({ type: 'handsChanged' });
  });

  it('a direct grant without a queue entry reports only the floor change', () => {
    expect(run(fresh(), grant(S3, 5)).effects).toEqual([{ type: 'floorChanged', granted: ['S3'], revoked: [] }]);
  });

  it('only a student or a partner classroom can take the floor', () => {
    for (const t of [L, A1, O]) {
      expectError(() => run(fresh(), grant(t, 1)), 'BAD_REQUEST', /only a student or a partner classroom can take the floor/);
    }
  });

  it('needs exactly one of entry id and target', () => {
    expectError(() => run(fresh(), { type: 'floor.grant', actor: L, now: 1 }), 'BAD_REQUEST');
    const s = run(fresh(), raise(S1, 1)).state;
    expectError(() => run(s, { type: 'floor.grant', actor: L, entryId: 'h1', target: asParticipant(S1), now: 1 }), 'BAD_REQUEST');
  });

  it('conflicts when the target is already speaking', () => {
    const s = run(fresh(), grant(S1, 1)).state;
    expectError(() => run(s, grant(S1, 2)), 'CONFLICT', /already on the floor/);
  });

  it('only the lecturer grants: a student cannot', () => {
    const s = run(fresh(), raise(S1, 1)).state;
    for (const a of [S1, S2, A1, R1, O]) {
      expectError(() => run(s, { type: 'floor.grant', actor: a, entryId: 'h1', now: 2 }), 'FORBIDDEN');
    }
  });

  it('refuses past the speaker limit, naming the limit', () => {
    const s = runAll(fresh(2), grant(S1, 1), grant(S2, 2));
    expectError(() => run(s, grant(S3, 3)), 'LIMIT_EXCEEDED', /at most 2 speaker/);
    expectError(() => run(s, grant(S3, 3, false)), 'LIMIT_EXCEEDED');
  });

  it('with replace, the longest-speaking one makes room', () => {
    const s = runAll(fresh(2), grant(S2, 1), grant(R1, 2), raise(S3, 3));
    const { state, effects } = run(s, { type: 'floor.grant', actor: L, entryId: s.hands[0]!.id, replace: true, now: 50 });
    expect(speakerIds(state)).toEqual(['R1', 'S3']);
    expect(effects).toEqual([{ type: 'floorChanged', granted: ['S3'], revoked: ['S2'] }, { type: 'handsChanged' }]);
    expect(state.floorHistory.map((r) => [r.participantId, r.grantedAt, r.endedAt])).toEqual([
      ['S2', 1, 50], ['R1', 2, null], ['S3', 50, null],
    ]);
  });

  it('replace picks the earliest since even when grants arrived out of order', () => {
    const s = runAll(fresh(2), grant(S1, 20), grant(S2, 10));
    expect(speakerIds(s)).toEqual(['S2', 'S1']);
    expect(run(s, grant(S3, 30, true)).effects[0]).toEqual({ type: 'floorChanged', granted: ['S3'], revoked: ['S2'] });
  });

  it('replace below the limit revokes nobody', () => {
    const s = run(fresh(2), grant(S1, 1)).state;
    const { state, effects } = run(s, grant(S2, 2, true));
    expect(speakerIds(state)).toEqual(['S1', 'S2']);
    expect(effects).toEqual([{ type: 'floorChanged', granted: ['S2'], revoked: [] }]);
  });
});

describe('floor.revoke', () => {
  const revoke = (a: Actor, participantId: string, now: number): ClassCommand => ({ type: 'floor.revoke', actor: a, participantId, now });

  it('the lecturer takes the floor back and the history is closed', () => {
    const s = runAll(fresh(), grant(S1, 1000), grant(R1, 2000));
    const { state, effects } = run(s, revoke(L, 'S1', 9000));
    expect(speakerIds(state)).toEqual(['R1']);
    expect(state.floorHistory[0]?.endedAt).toBe(9000);
    expect(state.floorHistory[1]?.endedAt).toBeNull();
    expect(effects).toEqual([{ type: 'floorChanged', granted: [], revoked: ['S1'] }]);
  });

  it('a speaker may step down itself', () => {
    const s = runAll(fresh(), grant(R1, 1));
    expect(run(s, revoke(R1, 'R1', 5)).state.speakers).toEqual([]);
  });

  it('nobody else can revoke', () => {
    const s = runAll(fresh(), grant(S1, 1), grant(R1, 2));
    expectError(() => run(s, revoke(S2, 'S1', 5)), 'FORBIDDEN');
    expectError(() => run(s, revoke(A1, 'R1', 5)), 'FORBIDDEN');
    expectError(() => run(s, revoke(R1, 'S1', 5)), 'FORBIDDEN');
  });

  it('NOT_FOUND when not speaking', () => {
    expectError(() => run(fresh(), revoke(L, 'S1', 5)), 'NOT_FOUND');
    expectError(() => run(fresh(), revoke(S1, 'S1', 5)), 'NOT_FOUND');
  });

  it('a second grant gets its own history record', () => {
    const s = runAll(fresh(), grant(S1, 1), revoke(L, 'S1', 2), grant(S1, 3), revoke(L, 'S1', 4));
    expect(s.floorHistory.map((r) => [r.grantedAt, r.endedAt])).toEqual([[1, 2], [3, 4]]);
  });
});

describe('floor.mute and floor.stopCamera', () => {
  const mute = (a: Actor, participantId: string, muted: boolean): ClassCommand => ({ type: 'floor.mute', actor: a, participantId, muted });
  const stopCamera = (a: Actor, participantId: string): ClassCommand => ({ type: 'floor.stopCamera', actor: a, participantId });
  const onFloor = () => runAll(fresh(), grant(S1, 1), grant(R1, 2));

  it('the lecturer mutes and unmutes a speaker', () => {
    const muted = run(onFloor(), mute(L, 'R1', true));
    expect(muted.state.speakers.find((s) => s.participantId === 'R1')?.micMuted).toBe(true);
    expect(muted.effects).toEqual([{ type: 'speakerMuted', participantId: 'R1', muted: true }]);
    const unmuted = run(muted.state, mute(L, 'R1', false));
    expect(unmuted.state.speakers.find((s) => s.participantId === 'R1')?.micMuted).toBe(false);
    expect(unmuted.effects).toEqual([{ type: 'speakerMuted', participantId: 'R1', muted: false }]);
  });

  it('NOT_FOUND when the target is not speaking', () => {
    expectError(() => run(onFloor(), mute(L, 'S2', true)), 'NOT_FOUND');
    expectError(() => run(onFloor(), stopCamera(L, 'S2')), 'NOT_FOUND');
  });

  it('a speaker may mute and unmute itself', () => {
    const s = run(onFloor(), mute(R1, 'R1', true)).state;
    expect(s.speakers.find((sp) => sp.participantId === 'R1')?.micMuted).toBe(true);
    expect(run(s, mute(R1, 'R1', false)).state.speakers.find((sp) => sp.participantId === 'R1')?.micMuted).toBe(false);
  });

  it("records who muted: a speaker cannot lift the lecturer's mute, but may lift its own", () => {
    const byLecturer = run(onFloor(), mute(L, 'R1', true)).state;
    expect(byLecturer.speakers.find((s) => s.participantId === 'R1')).toMatchObject({ micMuted: true, mutedBy: 'lecturer' });
    expectError(() => run(byLecturer, mute(R1, 'R1', false)), 'FORBIDDEN', /only the lecturer can unmute you/);
    // Muting itself again does not turn the lecturer's mute into its own.
    const again = run(byLecturer, mute(R1, 'R1', true)).state;
    expectError(() => run(again, mute(R1, 'R1', false)), 'FORBIDDEN');
    const lifted = run(again, mute(L, 'R1', false)).state;
    expect(lifted.speakers.find((s) => s.participantId === 'R1')).toMatchObject({ micMuted: false, mutedBy: null });
    const self = run(lifted, mute(R1, 'R1', true)).state;
    expect(self.speakers.find((s) => s.participantId === 'R1')?.mutedBy).toBe('self');
    expect(run(self, mute(R1, 'R1', false)).state.speakers.find((s) => s.participantId === 'R1')?.micMuted).toBe(false);
  });

  it('a classroom cannot unmute itself without the floor', () => {
    expectError(() => run(onFloor(), mute(R2, 'R2', false)), 'FORBIDDEN', /cannot unmute itself without the floor/);
    expectError(() => run(fresh(), mute(S1, 'S1', false)), 'FORBIDDEN');
    expectError(() => run(fresh(), mute(S1, 'S1', true)), 'NOT_FOUND');
  });

  it('nobody but the lecturer mutes someone else', () => {
    expectError(() => run(onFloor(), mute(S1, 'R1', true)), 'FORBIDDEN');
    expectError(() => run(onFloor(), mute(A1, 'R1', true)), 'FORBIDDEN');
    expectError(() => run(onFloor(), mute(A1, 'R1', false)), 'FORBIDDEN');
  });

  it("the lecturer stops a speaker's camera", () => {
    const { state, effects } = run(onFloor(), stopCamera(L, 'S1'));
    expect(state.speakers.find((s) => s.participantId === 'S1')?.cameraStopped).toBe(true);
    expect(effects).toEqual([{ type: 'speakerCameraStopped', participantId: 'S1' }]);
  });

  it('only the lecturer stops cameras, the speaker itself included', () => {
    expectError(() => run(onFloor(), stopCamera(S1, 'S1')), 'FORBIDDEN');
    expectError(() => run(onFloor(), stopCamera(A1, 'R1')), 'FORBIDDEN');
  });

  it('floorState lists speakers and the limit', () => {
    const s = onFloor();
    expect(floorState(s)).toEqual({ speakers: s.speakers, maxSpeakers: 2 });
  });
});

describe('participant.left', () => {
  const left = (participantId: string, now: number): ClassCommand => ({ type: 'participant.left', participantId, now });

  it('drops a student’s hand', () => {
    const s = runAll(fresh(), raise(S1, 1), raise(S2, 2));
    const { state, effects } = run(s, left('S1', 5));
    expect(ids(state)).toEqual(['S2']);
    expect(effects).toEqual([{ type: 'handsChanged' }]);
  });

  it("a departing classroom endpoint takes its classroom's entry along, even one its assistant raised", () => {
    const s = runAll(fresh(), raiseFor(A1, R1, 1), raise(S1, 2));
    expect(ids(run(s, left('R1', 5)).state)).toEqual(['S1']);
  });

  it("a departing assistant leaves its classroom's entry in place", () => {
    const s = run(fresh(), raiseFor(A1, R1, 1)).state;
    const { state, effects } = run(s, left('A1', 5));
    expect(ids(state)).toEqual(['R1']);
    expect(effects).toEqual([]);
  });

  it('takes a departing speaker off the floor and closes its history', () => {
    const s = runAll(fresh(), grant(R1, 1), grant(S1, 2));
    const { state, effects } = run(s, left('R1', 7));
    expect(speakerIds(state)).toEqual(['S1']);
    expect(state.floorHistory[0]?.endedAt).toBe(7);
    expect(effects).toEqual([{ type: 'floorChanged', granted: [], revoked: ['R1'] }]);
  });

  it('reports nothing for someone with no hand and no floor', () => {
    const s = runAll(fresh(), raise(S1, 1), grant(S2, 2));
    const { state, effects } = run(s, left('S3', 5));
    expect(effects).toEqual([]);
    expect(state).toEqual(s);
  });
});

describe('chat.send', () => {
  const chat = (a: Actor, to: 'everyone' | 'lecturer', text: string, now = 1): ClassCommand => ({ type: 'chat.send', actor: a, to, text, now });

  it('posts a message with a deterministic id', () => {
    const { state, effects } = run(fresh(), chat(S1, 'everyone', ' hello  '));
    const message = { id: 'c1', fromId: 'S1', fromName: 'S1', fromRole: 'student', to: 'everyone', text: 'hello', sentAt: 1 };
    expect(state.chat).toEqual([message]);
    expect(effects).toEqual([{ type: 'chatPosted', message }]);
  });

  it('to everyone: lecturer, assistant and student yes; classroom and observer no', () => {
    for (const a of [L, A1, S1]) expect(run(fresh(), chat(a, 'everyone', 'hi')).state.chat).toHaveLength(1);
    for (const a of [R1, O]) expectError(() => run(fresh(), chat(a, 'everyone', 'hi')), 'FORBIDDEN');
  });

  it('to the lecturer: anyone but the lecturer and observers', () => {
    for (const a of [R1, A1, S1]) expect(run(fresh(), chat(a, 'lecturer', 'hi')).state.chat[0]?.to).toBe('lecturer');
    for (const a of [L, O]) expectError(() => run(fresh(), chat(a, 'lecturer', 'hi')), 'FORBIDDEN');
  });

  it('refuses an empty message', () => {
    expectError(() => run(fresh(), chat(S1, 'everyone', '  \n ')), 'BAD_REQUEST');
  });

  it(`keeps the last ${CHAT_HISTORY_LIMIT} messages`, () => {
    let s = fresh();
    for (let i = 1; i <= CHAT_HISTORY_LIMIT + 5; i++) s = applyToClass(s, chat(S1, 'everyone', `m${i}`, i)).state;
    expect(s.chat).toHaveLength(CHAT_HISTORY_LIMIT);
    expect(s.chat[0]?.text).toBe('m6');
    expect(s.chat.at(-1)?.text).toBe(`m${CHAT_HISTORY_LIMIT + 5}`);
  });
});

describe('reaction.send', () => {
  const react = (a: Actor, emoji: '👍' | '❓' = '👍'): ClassCommand => ({ type: 'reaction.send', actor: a, emoji });

  it('counts per site: online for students, the classroom for endpoints and assistants', () => {
    const s = runAll(fresh(), react(S1), react(S2), react(S1, '❓'), react(R1), react(A1), react(A2, '❓'));
    expect(s.reactions).toEqual({ online: { '👍': 2, '❓': 1 }, c1: { '👍': 2 }, c2: { '❓': 1 } });
  });

  it('reports the site and the sender name', () => {
    expect(run(fresh(), react(R1)).effects).toEqual([{ type: 'reactionSent', emoji: '👍', site: 'c1', displayName: 'Room A' }]);
    expect(run(fresh(), react(S1)).effects).toEqual([{ type: 'reactionSent', emoji: '👍', site: 'online', displayName: 'S1' }]);
  });

  it('the lecturer and observers do not react', () => {
    expectError(() => run(fresh(), react(L)), 'FORBIDDEN');
    expectError(() => run(fresh(), react(O)), 'FORBIDDEN');
  });

  it('a classroom named like the online site is refused', () => {
    expectError(() => run(fresh(), react(actor('X', 'classroom', 'online'))), 'BAD_REQUEST');
  });
});

describe('polls', () => {
  const open = (options = ['A', 'B', 'C'], multiple = false, now = 100): ClassCommand =>
    ({ type: 'poll.open', actor: L, question: 'Which?', options, multiple, now });
  const answer = (a: Actor, choices: number[], pollId = 'p1'): ClassCommand => ({ type: 'poll.answer', actor: a, pollId, choices });
  const site = (a: Actor, counts: number[], pollId = 'p1'): ClassCommand => ({ type: 'poll.answerSite', actor: a, pollId, counts });
  const close = (a: Actor = L, pollId = 'p1', now = 200): ClassCommand => ({ type: 'poll.close', actor: a, pollId, now });

  it('the lecturer opens a poll', () => {
    const { state, effects } = run(fresh(), open());
    expect(effects).toEqual([{ type: 'pollChanged', pollId: 'p1' }]);
    expect(pollView(state, 'p1', L)).toEqual({
      id: 'p1', question: 'Which?', options: ['A', 'B', 'C'], multiple: false, state: 'open', openedAt: 100, closedAt: null,
      results: { perOption: [0, 0, 0], perSite: {}, respondents: 0 }, mine: null,
    });
  });

  it('only the lecturer opens, and one poll at a time', () => {
    expectError(() => run(fresh(), { ...open(), actor: S1 } as ClassCommand), 'FORBIDDEN');
    expectError(() => run(run(fresh(), open()).state, open()), 'CONFLICT');
    const reopened = runAll(fresh(), open(), close(), open());
    expect(reopened.polls.map((p) => [p.id, p.state])).toEqual([['p1', 'closed'], ['p2', 'open']]);
  });

  it('takes 2 to 8 non-empty options', () => {
    expectError(() => run(fresh(), open(['only'])), 'BAD_REQUEST', /2 to 8/);
    expectError(() => run(fresh(), open(['1', '2', '3', '4', '5', '6', '7', '8', '9'])), 'BAD_REQUEST');
    expectError(() => run(fresh(), open(['A', ' '])), 'BAD_REQUEST');
    expect(run(fresh(), open(['1', '2', '3', '4', '5', '6', '7', '8'])).state.polls).toHaveLength(1);
  });

  it('students answer; an answer again replaces the earlier one', () => {
    const s = runAll(fresh(), open(), answer(S1, [0]), answer(S2, [0]), answer(S1, [2]));
    expect(pollView(s, 'p1', S1).mine).toEqual([2]);
    expect(pollView(s, 'p1', S3).mine).toBeNull();
    expect(pollView(s, 'p1', L).results).toEqual({ perOption: [1, 0, 1], perSite: { online: [1, 0, 1] }, respondents: 2 });
  });

  it('only students answer for themselves', () => {
    const s = run(fresh(), open()).state;
    for (const a of [L, A1, R1, O]) expectError(() => run(s, answer(a, [0])), 'FORBIDDEN');
  });

  it('an unknown poll is NOT_FOUND, a closed one CONFLICT', () => {
    const s = runAll(fresh(), open());
    expectError(() => run(s, answer(S1, [0], 'p9')), 'NOT_FOUND');
    expectError(() => run(s, site(A1, [1, 1, 1], 'p9')), 'NOT_FOUND');
    const closed = run(s, close()).state;
    expectError(() => run(closed, answer(S1, [0])), 'CONFLICT');
    expectError(() => run(closed, site(A1, [1, 1, 1])), 'CONFLICT');
    expectError(() => run(closed, close()), 'CONFLICT');
  });

  it('single choice takes exactly one valid option', () => {
    const s = run(fresh(), open()).state;
    expectError(() => run(s, answer(S1, [0, 1])), 'BAD_REQUEST');
    expectError(() => run(s, answer(S1, [])), 'BAD_REQUEST');
    expectError(() => run(s, answer(S1, [3])), 'BAD_REQUEST');
    expectError(() => run(s, answer(S1, [-1])), 'BAD_REQUEST');
    expectError(() => run(s, answer(S1, [0.5])), 'BAD_REQUEST');
  });

  it('multiple choice takes unique valid options', () => {
    const s = run(fresh(), open(['A', 'B', 'C'], true)).state;
    expectError(() => run(s, answer(S1, [1, 1])), 'BAD_REQUEST', /only once/);
    expectError(() => run(s, answer(S1, [])), 'BAD_REQUEST');
    expectError(() => run(s, answer(S1, [0, 5])), 'BAD_REQUEST');
    const answered = runAll(s, answer(S1, [2, 0]), answer(S2, [0]), answer(S1, [1]));
    expect(pollView(answered, 'p1', S1).mine).toEqual([1]);
    expect(pollView(answered, 'p1', L).results.perOption).toEqual([1, 1, 0]);
  });

  it("assistants enter their classroom's counts, replacing earlier counts", () => {
    const s = runAll(fresh(), open(), answer(S1, [1]), site(A1, [5, 5, 5]), site(A2, [1, 2, 3]), site(A1, [10, 0, 2]));
    expect(pollView(s, 'p1', A1).mine).toEqual([10, 0, 2]);
    expect(pollView(s, 'p1', A2).mine).toEqual([1, 2, 3]);
    expect(pollView(s, 'p1', L).results).toEqual({
      perOption: [11, 3, 5],
      perSite: { online: [0, 1, 0], c1: [10, 0, 2], c2: [1, 2, 3] },
      respondents: 3,
    });
  });

  it('site counts must match the options and be whole, non-negative numbers', () => {
    const s = run(fresh(), open()).state;
    expectError(() => run(s, site(A1, [1, 2])), 'BAD_REQUEST', /one count per option/);
    expectError(() => run(s, site(A1, [1, -2, 0])), 'BAD_REQUEST');
    expectError(() => run(s, site(A1, [1, 2.5, 0])), 'BAD_REQUEST');
  });

  it('only assistants enter site counts', () => {
    const s = run(fresh(), open()).state;
    for (const a of [L, S1, R1, O]) expectError(() => run(s, site(a, [1, 1, 1])), 'FORBIDDEN');
  });

  it('the lecturer closes a poll and the results are kept', () => {
    const s = runAll(fresh(), open(), answer(S1, [0]), site(A1, [3, 1, 0]));
    const { state, effects } = run(s, close());
    expect(effects).toEqual([{ type: 'pollChanged', pollId: 'p1' }]);
    const view = pollView(state, 'p1', S1);
    expect(view).toMatchObject({ state: 'closed', closedAt: 200, mine: [0] });
    expect(view.results).toEqual({ perOption: [4, 1, 0], perSite: { online: [1, 0, 0], c1: [3, 1, 0] }, respondents: 2 });
  });

  it('only the lecturer closes', () => {
    const s = run(fresh(), open()).state;
    for (const a of [S1, A1, R1, O]) expectError(() => run(s, close(a)), 'FORBIDDEN');
    expectError(() => run(s, close(L, 'p9')), 'NOT_FOUND');
  });

  it('pollView of an unknown poll is NOT_FOUND; pollViews lists every poll', () => {
    expectError(() => pollView(fresh(), 'p1', L), 'NOT_FOUND');
    const s = runAll(fresh(), open(), close(), open(['x', 'y']));
    expect(pollViews(s, S1).map((v) => [v.id, v.state])).toEqual([['p1', 'closed'], ['p2', 'open']]);
  });

  it('views are copies: editing one does not reach the state', () => {
    const s = runAll(fresh(), open(), site(A1, [1, 2, 3]));
    const view = pollView(s, 'p1', A1);
    view.mine![0] = 99;
    view.options[0] = 'changed';
    expect(pollView(s, 'p1', A1).mine).toEqual([1, 2, 3]);
    expect(s.polls[0]?.options[0]).toBe('A');
  });
});

describe('attendance', () => {
  const headcount = (a: Actor, n: number): ClassCommand => ({ type: 'attendance.setHeadcount', actor: a, headcount: n });

  it('assistants set their own classroom head count', () => {
    const { state, effects } = run(fresh(), headcount(A1, 30));
    expect(state.headcounts).toEqual({ c1: 30 });
    expect(effects).toEqual([{ type: 'attendanceChanged' }]);
    expect(run(state, headcount(A1, 28)).state.headcounts).toEqual({ c1: 28 });
  });

  it('the lecturer fills in any classroom it names; an assistant only its own', () => {
    const forRoom = (a: Actor, n: number, classroomId: string): ClassCommand => ({ ...headcount(a, n), classroomId } as ClassCommand);
    const state = run(run(fresh(), forRoom(L, 25, 'c2')).state, forRoom(A1, 30, 'c1')).state;
    expect(state.headcounts).toEqual({ c2: 25, c1: 30 });
    expectError(() => run(fresh(), headcount(L, 3)), 'BAD_REQUEST', /name the classroom/);
    expectError(() => run(fresh(), forRoom(L, 3, 'online')), 'BAD_REQUEST', /reserved/);
    expectError(() => run(fresh(), forRoom(A1, 3, 'c2')), 'FORBIDDEN');
  });

  it('nobody else sets head counts, and counts are whole and non-negative', () => {
    for (const a of [S1, R1, O]) expectError(() => run(fresh(), headcount(a, 3)), 'FORBIDDEN');
    expectError(() => run(fresh(), headcount(A1, -1)), 'BAD_REQUEST');
    expectError(() => run(fresh(), headcount(A1, 2.5)), 'BAD_REQUEST');
  });

  it('lists every classroom seen or counted, by name, and totals head counts plus remote students', () => {
    const s = runAll(fresh(), headcount(A1, 30), headcount(actor('A3', 'assistant', 'c3'), 12));
    const participants = [L, S1, S2, R1, A1, A2, actor('A2b', 'assistant', 'c2'), O].map(asParticipant);
    const att = attendance(s, participants, { c1: 'Room A', c3: 'Room C' });
    expect(att).toEqual({
      classrooms: [
        { classroomId: 'c2', name: 'c2', headcount: null, endpointConnected: false, assistantsConnected: 2 },
        { classroomId: 'c1', name: 'Room A', headcount: 30, endpointConnected: true, assistantsConnected: 1 },
        { classroomId: 'c3', name: 'Room C', headcount: 12, endpointConnected: false, assistantsConnected: 0 },
      ],
      studentsConnected: 2,
      total: 44,
    });
  });

  it("falls back to the endpoint's name when the classroom has no known name", () => {
    const att = attendance(fresh(), [asParticipant(R2)], {});
    expect(att.classrooms).toEqual([{ classroomId: 'c2', name: 'Room B', headcount: null, endpointConnected: true, assistantsConnected: 0 }]);
    expect(att.total).toBe(0);
  });
});

describe('CSV exports', () => {
  it('escapes quotes, commas and newlines, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('exports the floor history with ISO times and durations, open grants measured to now', () => {
    const history: FloorRecord[] = [
      { participantId: 'S1', displayName: 'Li, "Lei"', role: 'student', classroomId: null, grantedAt: Date.UTC(2024, 0, 1, 8), endedAt: Date.UTC(2024, 0, 1, 8, 1, 30) },
      { participantId: 'R1', displayName: '=cmd|calc', role: 'classroom', classroomId: 'c1', grantedAt: Date.UTC(2024, 0, 1, 8, 2), endedAt: null },
    ];
    const csv = floorHistoryCsv(history, Date.UTC(2024, 0, 1, 8, 2, 45, 600));
    expect(csv.split('\r\n')).toEqual([
      'participant,role,classroom,granted_at,ended_at,duration_seconds',
      '"Li, ""Lei""",student,,2024-01-01T08:00:00.000Z,2024-01-01T08:01:30.000Z,90',
      "'=cmd|calc,classroom,c1,2024-01-01T08:02:00.000Z,,46",
      '',
    ]);
  });

  it('exports the floor history of a real session', () => {
    const s = runAll(fresh(), grant(S1, 0), { type: 'floor.revoke', actor: L, participantId: 'S1', now: 61_000 });
    expect(floorHistoryCsv(s.floorHistory, 99_000)).toBe(
      'participant,role,classroom,granted_at,ended_at,duration_seconds\r\n'
      + 'S1,student,,1970-01-01T00:00:00.000Z,1970-01-01T00:01:01.000Z,61\r\n',
    );
  });

  it('exports attendance per classroom, then remote students and the total', () => {
    const csv = attendanceCsv({
      classrooms: [
        { classroomId: 'c1', name: 'Room A, east', headcount: 30, endpointConnected: true, assistantsConnected: 1 },
        { classroomId: 'c2', name: '+Room B', headcount: null, endpointConnected: false, assistantsConnected: 0 },
      ],
      studentsConnected: 7,
      total: 37,
    });
    expect(csv.split('\r\n')).toEqual([
      'classroom_id,classroom,headcount,endpoint_connected,assistants_connected',
      'c1,"Room A, east",30,true,1',
      "c2,'+Room B,,false,0",
      'online,Remote students,7,,',
      'total,Total,37,,',
      '',
    ]);
  });
});

describe('apply', () => {
  it('never mutates the input across a whole lecture', () => {
    // `run` freezes every input state, so any in-place write would throw here.
    const s = runAll(
      fresh(2),
      raise(S1, 1), raiseFor(A1, R1, 2), raise(S2, 3),
      { type: 'floor.grant', actor: L, entryId: 'h2', now: 4 },
      grant(S1, 5), grant(S2, 6, true),
      { type: 'floor.mute', actor: L, participantId: 'S1', muted: true },
      { type: 'floor.stopCamera', actor: L, participantId: 'S2' },
      { type: 'chat.send', actor: S3, to: 'lecturer', text: 'hi', now: 7 },
      { type: 'reaction.send', actor: A2, emoji: '👏' },
      { type: 'poll.open', actor: L, question: 'Q', options: ['a', 'b'], multiple: true, now: 8 },
      { type: 'poll.answer', actor: S3, pollId: 'p5', choices: [0, 1] },
      { type: 'poll.answerSite', actor: A1, pollId: 'p5', counts: [3, 4] },
      { type: 'poll.close', actor: L, pollId: 'p5', now: 9 },
      { type: 'attendance.setHeadcount', actor: A1, headcount: 20 },
      { type: 'participant.left', participantId: 'S1', now: 10 },
      { type: 'hand.clear', actor: L },
    );
    expect(speakerIds(s)).toEqual(['S2']);
    expect(s.floorHistory.map((r) => [r.participantId, r.endedAt])).toEqual([['R1', 6], ['S1', 10], ['S2', null]]);
    expect(s.nextId).toBe(6);
  });

  it('rejects an unknown command', () => {
    expectError(() => applyToClass(fresh(), { type: 'nope' } as unknown as ClassCommand), 'BAD_REQUEST');
  });
});
