/**
 * A node among others: the lecture store in Redis, the Socket.IO Redis Streams adapter
 * (broadcasts and the inter-node bus), the node registry and the media cascade. Redis appears
 * here and in the store, nowhere else.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { MediaNode } from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import { RedisLectureStore } from '../store/RedisLectureStore.ts';
import type { Backplane, LecturePayloads, NodeInfo, Repair, SocketEvents } from './Backplane.ts';
import { CascadeLinks, clusterSecret } from './Cascade.ts';
import { isCascading } from './isCascading.ts';
import { SocketIoBus, type InterNodeEvents, type LectureBus } from './LectureBus.ts';
import { NodeRegistry } from './NodeRegistry.ts';

export interface RedisBackplaneOptions {
  redisUrl: string;
  nodeId: string;
  /** How other nodes and clients reach this node. */
  publicUrl: string;
  jwtSecret: string;
  /** Key prefix in Redis; tests use their own. */
  prefix?: string;
}

/** How often open lectures are repaired from the store (lost bus messages, dead nodes). */
const MAINTENANCE_MS = 3_000;

export class RedisBackplane<S, E> implements Backplane<S, E> {
  readonly spansNodes = true;
  /** Other nodes may still serve the lecture: its state stays in Redis (it expires unused). */
  readonly forgetsClosedLectures = false;
  /** Serves other nodes' cascade requests. */
  readonly routes: Router;
  private closed = false;

  private constructor(
    private readonly options: Required<RedisBackplaneOptions>,
    readonly store: RedisLectureStore<S>,
    private readonly registry: NodeRegistry,
    readonly cascade: CascadeLinks,
    private readonly payloads: LecturePayloads<S, E>,
    private readonly redis: Redis,
    private readonly streamsClient: Redis,
    private readonly log: Logger,
  ) {
    this.routes = cascade.router();
  }

  /** Connects to Redis (waiting until it answers); refuses a media node that cannot cascade. */
  static async connect<S, E>(options: RedisBackplaneOptions, media: MediaNode, payloads: LecturePayloads<S, E>, log: Logger): Promise<RedisBackplane<S, E>> {
    if (!isCascading(media)) throw new Error('this media node cannot cascade, so it cannot run in a cluster');
    const opts = { prefix: 'tt:', ...options };
    const storeLog = log.child({ component: 'store' });
    const store = await RedisLectureStore.connect(opts.redisUrl, { prefix: opts.prefix, schema: payloads.shared, log: storeLog });
    const redis = client(opts.redisUrl);
    // The streams adapter blocks its connection in XREAD, so it gets one of its own.
    const streamsClient = client(opts.redisUrl);
    const registry = new NodeRegistry(redis, { id: opts.nodeId, url: opts.publicUrl }, { prefix: opts.prefix }, log.child({ component: 'registry' }));
    const cascade = new CascadeLinks(media, opts.nodeId, registry, clusterSecret(opts.jwtSecret), log.child({ component: 'cascade' }));
    return new RedisBackplane(opts, store, registry, cascade, payloads, redis, streamsClient, log);
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  idleKeepMs(): number {
    // Other nodes still serve the lecture: free this node's media at once.
    return 0;
  }

  /** Puts the Socket.IO server on the Redis Streams adapter and returns the inter-node bus. */
  attach<L extends SocketEvents, M extends SocketEvents, D>(io: Server<L, M, InterNodeEvents, D>): LectureBus<E> {
    io.adapter(createAdapter(this.streamsClient, { streamName: `${this.options.prefix}socket.io`, maxLen: 10_000 }));
    return new SocketIoBus(io, this.options.nodeId, this.payloads.effect, this.log.child({ component: 'bus' }));
  }

  alive(): Promise<NodeInfo[]> {
    return this.registry.alive();
  }

  /** Starts the heartbeat. */
  async register(load: () => number): Promise<void> {
    await this.registry.start(load);
  }

  maintain(repair: Repair): () => void {
    // Right after Redis comes back (possibly empty) the registry is still filling up with
    // heartbeats: only judge other nodes dead once Redis has been reachable for a while.
    let reachableSince: number | undefined;
    const timer = setInterval(() => {
      if (!this.healthy()) {
        reachableSince = undefined;
        return;
      }
      reachableSince ??= Date.now();
      const judgeDeadNodes = Date.now() - reachableSince > 2 * this.registry.ttlMs;
      void this.registry.alive()
        .then((nodes) => repair(new Set(nodes.map((n) => n.id)), judgeDeadNodes))
        .catch((err) => this.log.debug({ err }, 'maintenance skipped'));
    }, MAINTENANCE_MS);
    timer.unref();
    return () => clearInterval(timer);
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
