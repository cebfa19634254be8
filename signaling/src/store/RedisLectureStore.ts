/**
 * Shared lecture state in Redis, for several nodes. The shared part is one JSON value with a
 * revision; updates are compare-and-set in a Lua script, retried when another node wrote first.
 * (WATCH/MULTI would need a connection per update: ioredis multiplexes one connection.)
 *
 * Whatever is read back was written by another process (another node, another version, an
 * operator): it is parsed, and a value that does not parse is logged and treated as absent.
 */
import { Redis } from 'ioredis';
import type { z } from 'zod';
import { AppError } from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import {
  producerEntrySchema, rosterEntrySchema, type LectureStore, type ProducerEntry, type Revised, type RosterEntry, type Updated,
} from './LectureStore.ts';

// ARGV: expected revision, data, ttl, new revision.
const CAS = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[4], 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// Only the node that holds the participant's newest connection may remove it. An entry that is
// not JSON belongs to nobody.
const REMOVE_IF_NODE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local ok, entry = pcall(cjson.decode, raw)
if not ok or type(entry) ~= 'table' or entry.nodeId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

const TAKE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then redis.call('HDEL', KEYS[1], ARGV[1]) end
return raw`;

export interface RedisStoreOptions<S> {
  /** What a stored shared state must look like (the lecture code's schema). */
  schema: z.ZodType<S>;
  /** Where values that do not parse are reported. */
  log: Logger;
  /** Key prefix, so tests and deployments can share a Redis. */
  prefix?: string;
  /** Lectures nobody touched for this long disappear. */
  ttlMs?: number;
  /** Compare-and-set attempts before giving up with CONFLICT. */
  maxAttempts?: number;
}

export class RedisLectureStore<S> implements LectureStore<S> {
  private readonly schema: z.ZodType<S>;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  /** Serialises this node's own updates per lecture so they do not collide with each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    options: RedisStoreOptions<S>,
  ) {
    this.schema = options.schema;
    this.log = options.log;
    this.prefix = options.prefix ?? 'tt:';
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxAttempts = options.maxAttempts ?? 100;
  }

  /** Connects and waits until Redis answers, so a node never starts against an unreachable store. */
  static async connect<S>(url: string, options: RedisStoreOptions<S>, timeoutMs = 10_000): Promise<RedisLectureStore<S>> {
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

  async load(lectureId: string, init: () => S, after = 0): Promise<Revised<S>> {
    const [revision, state] = await this.read(lectureId);
    if (state !== null) return { state, revision };
    const created = await this.enqueue(lectureId, () => this.casLoop(lectureId, init, (s) => ({ state: s, result: undefined }), after));
    return { state: created.state, revision: created.revision };
  }

  async revision(lectureId: string): Promise<number> {
    const v = await this.call(() => this.redis.hget(this.key(lectureId, 'shared'), 'v'));
    return revisionOf(v);
  }

  update<T>(lectureId: string, init: () => S, change: (s: S) => Updated<S, T>): Promise<Updated<S, T> & { revision: number }> {
    return this.enqueue(lectureId, () => this.casLoop(lectureId, init, change));
  }

  private enqueue<R>(lectureId: string, run: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(lectureId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
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
    return all.flatMap((raw) => this.parse(raw, rosterEntrySchema, lectureId, 'roster entry') ?? []);
  }

  async putProducer(lectureId: string, entry: ProducerEntry): Promise<void> {
    await this.call(() => this.redis.multi().hset(this.key(lectureId, 'producers'), entry.info.id, JSON.stringify(entry))
      .pexpire(this.key(lectureId, 'producers'), this.ttlMs).exec());
  }

  async removeProducer(lectureId: string, producerId: string): Promise<ProducerEntry | null> {
    const raw = await this.call(() => this.redis.eval(TAKE, 1, this.key(lectureId, 'producers'), producerId));
    return typeof raw === 'string' ? this.parse(raw, producerEntrySchema, lectureId, 'producer entry') : null;
  }

  async producers(lectureId: string): Promise<ProducerEntry[]> {
    const all = await this.call(() => this.redis.hvals(this.key(lectureId, 'producers')));
    return all.flatMap((raw) => this.parse(raw, producerEntrySchema, lectureId, 'producer entry') ?? []);
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

  /** `after`: a state created here (none stored) gets a revision above it. */
  private async casLoop<T>(lectureId: string, init: () => S, change: (s: S) => Updated<S, T>, after = 0): Promise<Updated<S, T> & { revision: number }> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const [expected, data] = await this.read(lectureId);
      const updated = change(data ?? init());
      const revision = (data === null ? Math.max(expected, after) : expected) + 1;
      const ok = await this.call(() => this.redis.eval(
        CAS, 1, this.key(lectureId, 'shared'), String(expected), JSON.stringify(updated.state), String(this.ttlMs), String(revision),
      ));
      if (ok === 1) return { ...updated, revision };
    }
    throw new AppError('CONFLICT', 'the lecture is changing too fast; try again');
  }

  /** The stored revision and state; a state that does not parse counts as none (the next write replaces it). */
  private async read(lectureId: string): Promise<[number, S | null]> {
    const [v, data] = await this.call(() => this.redis.hmget(this.key(lectureId, 'shared'), 'v', 'data'));
    return [revisionOf(v ?? null), data == null ? null : this.parse(data, this.schema, lectureId, 'shared lecture state')];
  }

  private parse<T>(raw: string, schema: z.ZodType<T>, lectureId: string, what: string): T | null {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.log.warn({ lectureId, what }, 'ignored a stored value that is not JSON');
      return null;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    this.log.warn({ lectureId, what, issues: parsed.error.issues.slice(0, 5) }, 'ignored a malformed stored value');
    return null;
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

/** A revision field that is missing or not a count is 0 (nothing stored), as a compare-and-set expects. */
function revisionOf(v: string | null): number {
  const n = Number(v ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
