/**
 * One behaviour, two stores: this suite runs against the in-memory store (unit tests) and the
 * Redis store (integration tests, real Redis), so multi-node mode cannot drift from the default.
 * The store does not know what a lecture's shared state is, so the suite keeps one of its own.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, type Participant } from '@tongtang/shared';
import type { LectureStore } from '../src/store/LectureStore.ts';

/** The suite's shared state: a title, a state and a queue of raised hands without duplicates. */
export interface ContractState {
  title: string;
  state: 'scheduled' | 'live' | 'ended';
  hands: string[];
}
export const contractStateSchema: z.ZodType<ContractState> = z.object({
  title: z.string(),
  state: z.enum(['scheduled', 'live', 'ended']),
  hands: z.array(z.string()),
});

export interface StoreFactory {
  /** Two handles on the same data, like two nodes (the memory store returns the same one twice). */
  pair(): Promise<[LectureStore<ContractState>, LectureStore<ContractState>]>;
  cleanup(): Promise<void>;
}

const init = (id: string) => (): ContractState => ({ title: `Lecture ${id}`, state: 'scheduled', hands: [] });
const student = (id: string): Participant => ({ id, role: 'student', displayName: id, classroomId: null });

export function describeLectureStore(name: string, factory: StoreFactory): void {
  describe(`LectureStore contract: ${name}`, () => {
    let a: LectureStore<ContractState>;
    let b: LectureStore<ContractState>;
    let n = 0;
    let lecture = '';
    beforeEach(async () => {
      [a, b] = await factory.pair();
      lecture = `contract-${Date.now()}-${++n}`;
    });
    afterAll(() => factory.cleanup());

    it('creates the shared state once from init and returns copies', async () => {
      const first = await a.load(lecture, init(lecture));
      expect(first.state.title).toBe(`Lecture ${lecture}`);
      first.state.title = 'mutated by the caller';
      const again = await b.load(lecture, () => { throw new Error('init must not run twice'); });
      expect(again.state.title).toBe(`Lecture ${lecture}`);
      expect(again.revision).toBe(first.revision);
    });

    it('applies an update and shows it to the other handle', async () => {
      const { result } = await a.update(lecture, init(lecture), (s) => ({ state: { ...s, state: 'live' }, result: 42 }));
      expect(result).toBe(42);
      expect((await b.load(lecture, init(lecture))).state.state).toBe('live');
    });

    it('moves the revision up by one with every update, on either handle', async () => {
      expect(await a.revision(lecture)).toBe(0);
      const created = await a.load(lecture, init(lecture));
      expect(created.revision).toBe(1);
      expect(await b.revision(lecture)).toBe(1);
      const first = await a.update(lecture, init(lecture), (s) => ({ state: { ...s, title: 'one' }, result: undefined }));
      const second = await b.update(lecture, init(lecture), (s) => ({ state: { ...s, title: 'two' }, result: undefined }));
      expect([first.revision, second.revision]).toEqual([2, 3]);
      expect(await a.revision(lecture)).toBe(3);
      expect(await a.load(lecture, init(lecture))).toMatchObject({ revision: 3, state: { title: 'two' } });
    });

    it('creates a lost lecture above the revision its seeder had', async () => {
      await a.update(lecture, init(lecture), (s) => ({ state: s, result: undefined }));
      await b.deleteLecture(lecture);
      expect(await a.revision(lecture)).toBe(0);
      const seeded = await a.load(lecture, () => ({ ...init(lecture)(), title: 'from a copy' }), 57);
      expect(seeded).toMatchObject({ revision: 58, state: { title: 'from a copy' } });
      // Once stored, `after` changes nothing.
      expect((await b.load(lecture, init(lecture), 90)).revision).toBe(58);
    });

    it('writes nothing when the change throws', async () => {
      await a.load(lecture, init(lecture));
      await expect(a.update(lecture, init(lecture), () => { throw new AppError('FORBIDDEN', 'no'); })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await b.load(lecture, init(lecture))).toMatchObject({ revision: 1, state: { state: 'scheduled' } });
    });

    it('loses no hand raised concurrently from two nodes', async () => {
      const raise = (store: LectureStore<ContractState>, id: string) => store.update(lecture, init(lecture), (s) => {
        if (s.hands.includes(id)) throw new AppError('CONFLICT', `${id} already raised a hand`);
        return { state: { ...s, hands: [...s.hands, id] }, result: id };
      });
      const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
      const revisions = await Promise.all(ids.map((id, i) => raise(i % 2 ? a : b, id).then((u) => u.revision)));
      const stored = await a.load(lecture, init(lecture));
      expect([...stored.state.hands].sort()).toEqual([...ids].sort());
      // Each write had a revision of its own.
      expect(new Set(revisions).size).toBe(ids.length);
      expect(stored.revision).toBe(Math.max(...revisions));
      // Raising twice is refused, whichever node sees it second.
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
      expect((await a.load(lecture, () => ({ ...init(lecture)(), title: 'fresh' }))).state.title).toBe('fresh');
    });

    it('reports itself healthy', () => {
      expect(a.healthy()).toBe(true);
    });
  });
}
