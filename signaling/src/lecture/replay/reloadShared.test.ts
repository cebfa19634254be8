/** A room catches up with the store by revision: it loads only when behind, never on a JSON compare. */
import { describe, expect, it } from 'vitest';
import type { MediaNode } from '@tongtang/shared';
import { LocalBackplane } from '../../backplane/LocalBackplane.ts';
import { LocalBus } from '../../backplane/LectureBus.ts';
import { createLogger } from '../../logger.ts';
import type { LectureStore } from '../../store/LectureStore.ts';
import type { Effect } from '../machine/machine.ts';
import { LectureRoom } from '../room/LectureRoom.ts';
import type { SharedLecture } from './sharedLecture.ts';

/** Two rooms of one lecture, as on two nodes, over one store that counts whole-state loads. */
async function twoNodes() {
  const backplane = new LocalBackplane<SharedLecture, Effect>();
  const inner = backplane.store;
  let loads = 0;
  const store: LectureStore<SharedLecture> = Object.assign(Object.create(inner) as LectureStore<SharedLecture>, {
    load: (...args: Parameters<typeof inner.load>) => (loads++, inner.load(...args)),
  });
  const open = (nodeId: string) => LectureRoom.open('lec', 'Lecture', 2, {
    store, bus: new LocalBus<Effect>(), cascade: backplane.cascade, media: {} as MediaNode, nodeId,
    log: createLogger('silent'), runEffects: async () => undefined, tierDefaults: { lecturer: 'high', classroom: 'high', assistant: 'high', student: 'high', observer: 'high' },
  });
  const a = await open('A');
  const b = await open('B');
  return { a, b, store, loads: () => loads };
}

const raise = (room: LectureRoom, id: string) => room.dispatch({
  type: 'hand.raise', actor: { participantId: id, role: 'student', displayName: id, classroomId: null }, now: 1,
});

describe('LectureRoom.reloadShared', () => {
  it('loads for a newer revision only, once for a burst of changes', async () => {
    const { a, b, loads } = await twoNodes();
    expect([a.revision, b.revision]).toEqual([1, 1]);
    await raise(a, 's1');
    await raise(a, 's2');
    await raise(a, 's3');
    expect(a.revision).toBe(4);
    const before = loads();
    // B hears the three effects messages (revisions 2, 3, 4): the first brings it to 4.
    expect(await b.reloadShared(2)).toBe(true);
    expect(await b.reloadShared(3)).toBe(false);
    expect(await b.reloadShared(4)).toBe(false);
    expect(loads() - before).toBe(1);
    expect(b.revision).toBe(4);
    expect(b.classState.hands.map((h) => h.participantId)).toEqual(['s1', 's2', 's3']);
    // Its own change is not reloaded when its message comes back around.
    expect(await a.reloadShared(4)).toBe(false);
    expect(loads() - before).toBe(1);
  });

  it('repairs (no revision given) only when the store holds another one, and seeds a lost lecture above its own', async () => {
    const { a, b, store, loads } = await twoNodes();
    await raise(a, 's1');
    const before = loads();
    expect(await a.reloadShared()).toBe(false);
    expect(loads()).toBe(before);
    expect(await b.reloadShared()).toBe(true);
    // The store lost the lecture (Redis restarted empty): B's copy goes back, above B's revision.
    await store.deleteLecture('lec');
    expect(await b.reloadShared()).toBe(true);
    expect(b.revision).toBe(3);
    expect((await store.load('lec', () => { throw new Error('seeded already'); })).state.classState.hands).toHaveLength(1);
    expect(await a.reloadShared()).toBe(true);
    expect(a.revision).toBe(3);
  });
});
