/**
 * One behaviour, two stores: this suite runs against the in-memory store (unit tests) and the
 * Redis store (integration tests, real Redis), so multi-node mode cannot drift from the default.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, RECORDING_IDLE, type Participant } from '@tongtang/shared';
import { apply, initialClassState } from '../src/lecture/classroom.ts';
import type { LectureStore, SharedLecture } from '../src/store/LectureStore.ts';

export interface StoreFactory {
  /** Two handles on the same data, like two nodes (the memory store returns the same one twice). */
  pair(): Promise<[LectureStore, LectureStore]>;
  cleanup(): Promise<void>;
}

const init = (id: string) => (): SharedLecture => ({
  info: { id, title: `Lecture ${id}`, state: 'scheduled', startedAt: null, endedAt: null, maxSpeakers: 2, recording: RECORDING_IDLE },
  classState: initialClassState(2),
  classroomNames: {},
});
const student = (id: string): Participant => ({ id, role: 'student', displayName: id, classroomId: null });

export function describeLectureStore(name: string, factory: StoreFactory): void {
  describe(`LectureStore contract: ${name}`, () => {
    let a: LectureStore;
    let b: LectureStore;
    let n = 0;
    let lecture = '';
    beforeEach(async () => {
      [a, b] = await factory.pair();
      lecture = `contract-${Date.now()}-${++n}`;
    });
    afterAll(() => factory.cleanup());

    it('creates the shared state once from init and returns copies', async () => {
      const first = await a.load(lecture, init(lecture));
      expect(first.info.title).toBe(`Lecture ${lecture}`);
      first.info.title = 'mutated by the caller';
      const again = await b.load(lecture, () => { throw new Error('init must not run twice'); });
      expect(again.info.title).toBe(`Lecture ${lecture}`);
    });

    it('applies an update and shows it to the other handle', async () => {
      const { result } = await a.update(lecture, init(lecture), (s) => ({ state: { ...s, info: { ...s.info, state: 'live' } }, result: 42 }));
      expect(result).toBe(42);
      expect((await b.load(lecture, init(lecture))).info.state).toBe('live');
    });

    it('writes nothing when the change throws', async () => {
      await a.load(lecture, init(lecture));
      await expect(a.update(lecture, init(lecture), () => { throw new AppError('FORBIDDEN', 'no'); })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await b.load(lecture, init(lecture))).info.state).toBe('scheduled');
    });

    it('loses no hand raised concurrently from two nodes', async () => {
      const raise = (store: LectureStore, id: string) => store.update(lecture, init(lecture), (s) => {
        const { state } = apply(s.classState, { type: 'hand.raise', actor: { participantId: id, role: 'student', displayName: id, classroomId: null }, now: Date.now() });
        return { state: { ...s, classState: state }, result: id };
      });
      const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
      await Promise.all(ids.map((id, i) => raise(i % 2 ? a : b, id)));
      const hands = (await a.load(lecture, init(lecture))).classState.hands.map((h) => h.participantId);
      expect(hands.sort()).toEqual([...ids].sort());
      // Raising twice is refused by the state machine, whichever node sees it second.
      const again = await Promise.allSettled([raise(a, 'dup'), raise(b, 'dup')]);
      expect(again.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('keeps a roster where only the serving node removes an entry', async () => {
      await a.putParticipant(lecture, { participant: student('s1'), nodeId: 'A' });
      await b.putParticipant(lecture, { participant: student('s2'), nodeId: 'B' });
      // s1 reconnected to node B: node A's late cleanup must not remove it.
      await b.putParticipant(lecture, { participant: student('s1'), nodeId: 'B' });
      expect(await a.removeParticipant(lecture, 's1', 'A')).toBe(false);
      expect((await a.roster(lecture)).map((e) => `${e.participant.id}@${e.nodeId}`).sort()).toEqual(['s1@B', 's2@B']);
      expect(await b.removeParticipant(lecture, 's1', 'B')).toBe(true);
      expect(await b.removeParticipant(lecture, 's1', 'B')).toBe(false);
      expect((await a.roster(lecture)).map((e) => e.participant.id)).toEqual(['s2']);
    });

    it('registers producers with their origin node and removes them once', async () => {
      const info = { id: 'p1', participantId: 'L', role: 'lecturer' as const, displayName: 'L', source: 'camera' as const, kind: 'video' as const, paused: false };
      await a.putProducer(lecture, { info, nodeId: 'A' });
      expect(await b.producers(lecture)).toEqual([{ info, nodeId: 'A' }]);
      expect(await b.removeProducer(lecture, 'p1')).toEqual({ info, nodeId: 'A' });
      expect(await a.removeProducer(lecture, 'p1')).toBeNull();
      expect(await a.producers(lecture)).toEqual([]);
    });

    it('forgets a deleted lecture', async () => {
      await a.load(lecture, init(lecture));
      await a.putParticipant(lecture, { participant: student('s1'), nodeId: 'A' });
      await b.deleteLecture(lecture);
      expect(await a.roster(lecture)).toEqual([]);
      expect((await a.load(lecture, () => ({ ...init(lecture)(), info: { ...init(lecture)().info, title: 'fresh' } }))).info.title).toBe('fresh');
    });

    it('reports itself healthy', () => {
      expect(a.healthy()).toBe(true);
    });
  });
}
