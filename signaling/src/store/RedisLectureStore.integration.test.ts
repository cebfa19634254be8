/** The store contract against a real Redis (127.0.0.1:6379; npm test starts one if needed). */
import { Redis } from 'ioredis';
import { RedisLectureStore } from './RedisLectureStore.ts';
import { describeLectureStore } from '../../test-support/storeContract.ts';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tt-test-${process.pid}-${Date.now()}:`;
const opened: RedisLectureStore[] = [];

describeLectureStore('redis', {
  async pair() {
    // Two connections, as two nodes would have.
    const [a, b] = await Promise.all([RedisLectureStore.connect(url, { prefix }), RedisLectureStore.connect(url, { prefix })]);
    opened.push(a, b);
    return [a, b];
  },
  async cleanup() {
    for (const s of opened) await s.close();
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  },
});
