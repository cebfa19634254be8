/**
 * Everything a node needs to run beside others: the Redis store, the Socket.IO Redis Streams
 * adapter (broadcasts and the inter-node bus), the node registry and the media cascade.
 * Without REDIS_URL none of this exists and the node runs alone with in-memory state.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { CascadingMediaNode } from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import { RedisLectureStore } from '../store/RedisLectureStore.ts';
import { CascadeLinks, clusterSecret } from './Cascade.ts';
import { SocketIoBus, type LectureBus } from './LectureBus.ts';
import { NodeRegistry } from './NodeRegistry.ts';

export interface ClusterOptions {
  redisUrl: string;
  nodeId: string;
  /** How other nodes and clients reach this node. */
  publicUrl: string;
  jwtSecret: string;
  /** Key prefix in Redis; tests use their own. */
  prefix?: string;
}

interface AdapterTarget {
  adapter(factory: unknown): unknown;
  serverSideEmit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export class Cluster {
  private closed = false;

  private constructor(
    readonly options: Required<ClusterOptions>,
    readonly store: RedisLectureStore,
    readonly registry: NodeRegistry,
    readonly cascade: CascadeLinks,
    private readonly redis: Redis,
    private readonly streamsClient: Redis,
  ) {}

  static async connect(options: ClusterOptions, media: CascadingMediaNode, log: Logger): Promise<Cluster> {
    const opts = { prefix: 'tt:', ...options };
    const store = await RedisLectureStore.connect(opts.redisUrl, { prefix: opts.prefix });
    const redis = client(opts.redisUrl);
    // The streams adapter blocks its connection in XREAD, so it gets one of its own.
    const streamsClient = client(opts.redisUrl);
    const registry = new NodeRegistry(redis, { id: opts.nodeId, url: opts.publicUrl }, { prefix: opts.prefix });
    const cascade = new CascadeLinks(media, opts.nodeId, registry, clusterSecret(opts.jwtSecret), log.child({ component: 'cascade' }));
    return new Cluster(opts, store, registry, cascade, redis, streamsClient);
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Puts the Socket.IO server on the Redis Streams adapter and returns the inter-node bus. */
  attach(io: AdapterTarget): LectureBus {
    io.adapter(createAdapter(this.streamsClient, { streamName: `${this.options.prefix}socket.io`, maxLen: 10_000 }));
    return new SocketIoBus(io, this.options.nodeId);
  }

  /** Starts the heartbeat; `load` is the number of sessions this node serves. */
  async register(load: () => number): Promise<void> {
    await this.registry.start(load);
  }

  healthy(): boolean {
    return this.store.healthy() && this.redis.status === 'ready' && this.streamsClient.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.registry.stop();
    await this.store.close();
    for (const c of [this.redis, this.streamsClient]) await c.quit().catch(() => c.disconnect());
  }
}

function client(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined); // health is read from status; ioredis reconnects by itself
  return redis;
}
