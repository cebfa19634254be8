/**
 * Shared lecture state in Redis, for several nodes. The shared part is one JSON value with a
 * version; updates are compare-and-set in a Lua script, retried when another node wrote first.
 * (WATCH/MULTI would need a connection per update: ioredis multiplexes one connection.)
 */
import { Redis } from 'ioredis';
import { AppError } from '@tongtang/shared';
import type { LectureStore, ProducerEntry, RosterEntry, SharedLecture, Updated } from './LectureStore.ts';

const CAS = `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tostring(tonumber(v) + 1), 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// Only the node that holds the participant's newest connection may remove it.
const REMOVE_IF_NODE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
if cjson.decode(raw).nodeId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

const TAKE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then redis.call('HDEL', KEYS[1], ARGV[1]) end
return raw`;

export interface RedisStoreOptions {
  /** Key prefix, so tests and deployments can share a Redis. */
  prefix?: string;
  /** Lectures nobody touched for this long disappear. */
  ttlMs?: number;
  /** Compare-and-set attempts before giving up with CONFLICT. */
  maxAttempts?: number;
}

export class RedisLectureStore implements LectureStore {
  readonly kind = 'redis';
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  /** Serialises this node's own updates per lecture so they do not collide with each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'tt:';
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxAttempts = options.maxAttempts ?? 100;
  }

  /** Connects and waits until Redis answers, so a node never starts against an unreachable store. */
  static async connect(url: string, options: RedisStoreOptions = {}, timeoutMs = 10_000): Promise<RedisLectureStore> {
    // Commands wait for a reconnect instead of failing at once, but not forever.
    const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', () => undefined); // status is read through healthy(); ioredis retries by itself
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.disconnect();
        reject(new Error(`Redis at ${url} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new RedisLectureStore(redis, options);
  }

  async load(lectureId: string, init: () => SharedLecture): Promise<SharedLecture> {
    const [, data] = await this.read(lectureId);
    if (data) return data;
    return (await this.update(lectureId, init, (s) => ({ state: s, result: undefined }))).state;
  }

  update<T>(lectureId: string, init: () => SharedLecture, change: (s: SharedLecture) => Updated<T>): Promise<Updated<T>> {
    const previous = this.queues.get(lectureId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.casLoop(lectureId, init, change));
    this.queues.set(lectureId, next);
    void next.finally(() => {
      if (this.queues.get(lectureId) === next) this.queues.delete(lectureId);
    }).catch(() => undefined);
    return next;
  }

  async putParticipant(lectureId: string, entry: RosterEntry): Promise<void> {
    await this.call(() => this.redis.multi().hset(this.key(lectureId, 'roster'), entry.participant.id, JSON.stringify(entry))
      .pexpire(this.key(lectureId, 'roster'), this.ttlMs).exec());
  }

  async removeParticipant(lectureId: string, participantId: string, nodeId: string): Promise<boolean> {
    const removed = await this.call(() => this.redis.eval(REMOVE_IF_NODE, 1, this.key(lectureId, 'roster'), participantId, nodeId));
    return removed === 1;
  }

  async roster(lectureId: string): Promise<RosterEntry[]> {
    const all = await this.call(() => this.redis.hvals(this.key(lectureId, 'roster')));
    return all.map((raw) => JSON.parse(raw) as RosterEntry);
  }

  async putProducer(lectureId: string, entry: ProducerEntry): Promise<void> {
    await this.call(() => this.redis.multi().hset(this.key(lectureId, 'producers'), entry.info.id, JSON.stringify(entry))
      .pexpire(this.key(lectureId, 'producers'), this.ttlMs).exec());
  }

  async removeProducer(lectureId: string, producerId: string): Promise<ProducerEntry | null> {
    const raw = await this.call(() => this.redis.eval(TAKE, 1, this.key(lectureId, 'producers'), producerId));
    return typeof raw === 'string' ? (JSON.parse(raw) as ProducerEntry) : null;
  }

  async producers(lectureId: string): Promise<ProducerEntry[]> {
    const all = await this.call(() => this.redis.hvals(this.key(lectureId, 'producers')));
    return all.map((raw) => JSON.parse(raw) as ProducerEntry);
  }

  async deleteLecture(lectureId: string): Promise<void> {
    await this.call(() => this.redis.del(this.key(lectureId, 'shared'), this.key(lectureId, 'roster'), this.key(lectureId, 'producers')));
  }

  healthy(): boolean {
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async casLoop<T>(lectureId: string, init: () => SharedLecture, change: (s: SharedLecture) => Updated<T>): Promise<Updated<T>> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const [version, data] = await this.read(lectureId);
      const updated = change(data ?? init());
      const ok = await this.call(() => this.redis.eval(CAS, 1, this.key(lectureId, 'shared'), String(version), JSON.stringify(updated.state), String(this.ttlMs)));
      if (ok === 1) return updated;
    }
    throw new AppError('CONFLICT', 'the lecture is changing too fast; try again');
  }

  private async read(lectureId: string): Promise<[number, SharedLecture | null]> {
    const [v, data] = await this.call(() => this.redis.hmget(this.key(lectureId, 'shared'), 'v', 'data'));
    return [Number(v ?? 0), data ? (JSON.parse(data) as SharedLecture) : null];
  }

  private key(lectureId: string, part: 'shared' | 'roster' | 'producers'): string {
    return `${this.prefix}lecture:${lectureId}:${part}`;
  }

  /** Redis trouble becomes UNAVAILABLE for the client, never a raw driver error. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new AppError('UNAVAILABLE', 'shared state is unreachable right now', { cause: err });
    }
  }
}
