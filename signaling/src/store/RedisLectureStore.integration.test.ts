/** The store contract against a real Redis (127.0.0.1:6379; npm test starts one if needed). */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { RedisLectureStore } from './RedisLectureStore.ts';
import { contractStateSchema, describeLectureStore, type ContractState } from '../../test-support/storeContract.ts';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tt-test-${process.pid}-${Date.now()}:`;
const opened: RedisLectureStore<ContractState>[] = [];
const log = createLogger('silent');
const connect = async () => {
  const store = await RedisLectureStore.connect(url, { prefix, schema: contractStateSchema, log });
  opened.push(store);
  return store;
};

async function cleanup(): Promise<void> {
  for (const s of opened.splice(0)) await s.close();
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

describeLectureStore('redis', {
  // Two connections, as two nodes would have.
  pair: async () => [await connect(), await connect()],
  cleanup,
});

describe('RedisLectureStore: values another process wrote', () => {
  const raw = new Redis(url);
  afterAll(async () => {
    await raw.quit();
    await cleanup();
  });
  const key = (lecture: string, part: string) => `${prefix}lecture:${lecture}:${part}`;
  const info = { id: 'p1', participantId: 'L', role: 'lecturer', displayName: 'L', source: 'camera', kind: 'video', paused: false };

  it.each([
    ['not JSON', '{"title":'],
    ['the wrong shape', JSON.stringify({ title: 7, state: 'live', hands: [] })],
    ['an unknown state', JSON.stringify({ title: 't', state: 'paused', hands: [] })],
  ])('treats a shared state that is %s as lost: seeded again, never applied', async (_what, data) => {
    const store = await connect();
    const lecture = `bad-shared-${Math.random().toString(36).slice(2)}`;
    await raw.hset(key(lecture, 'shared'), 'v', '7', 'data', data);
    const loaded = await store.load(lecture, () => ({ title: 'seeded', state: 'scheduled', hands: [] }), 3);
    expect(loaded).toEqual({ revision: 8, state: { title: 'seeded', state: 'scheduled', hands: [] } });
    const updated = await store.update(lecture, () => { throw new Error('init must not run'); }, (s) => ({ state: { ...s, hands: ['s1'] }, result: s.title }));
    expect(updated).toMatchObject({ revision: 9, result: 'seeded' });
  });

  it('skips roster and producer entries that do not parse, and keeps the good ones', async () => {
    const store = await connect();
    const lecture = `bad-entries-${Math.random().toString(36).slice(2)}`;
    const good = { participant: { id: 's1', role: 'student', displayName: 's1', classroomId: null }, nodeId: 'A' };
    await raw.hset(key(lecture, 'roster'), 's1', JSON.stringify(good), 's2', 'not json',
      's3', JSON.stringify({ participant: { id: 's3', role: 'janitor', displayName: 'x', classroomId: null }, nodeId: 'A' }),
      's4', JSON.stringify({ nodeId: 'A' }));
    await raw.hset(key(lecture, 'producers'), 'p1', JSON.stringify({ info, nodeId: 'A' }), 'p2', '[]',
      'p3', JSON.stringify({ info: { ...info, id: 'p3', kind: 'smell' }, nodeId: 'A' }));
    expect(await store.roster(lecture)).toEqual([good]);
    expect(await store.producers(lecture)).toEqual([{ info, nodeId: 'A' }]);
    // Taking a malformed entry removes it and returns nothing; a malformed roster entry belongs to no node.
    expect(await store.removeProducer(lecture, 'p3')).toBeNull();
    expect(await raw.hexists(key(lecture, 'producers'), 'p3')).toBe(0);
    expect(await store.removeParticipant(lecture, 's2', 'A')).toBe(false);
    expect(await store.removeParticipant(lecture, 's1', 'A')).toBe(true);
  });
});
