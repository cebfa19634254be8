/**
 * Nodes announce themselves in Redis with a heartbeat and their load; a node whose heartbeat
 * stops simply expires. Joins are placed on the least-loaded live node.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { idSchema } from '../store/LectureStore.ts';
import type { NodeInfo } from './Backplane.ts';

/** A registry entry as another node wrote it. */
export const nodeInfoSchema: z.ZodType<NodeInfo> = z.object({
  id: idSchema,
  url: z.string().max(2_000),
  load: z.number().int().min(0),
  updatedAt: z.number(),
});

export interface NodeRegistryOptions {
  prefix: string;
  /** A node missing heartbeats for this long is gone. */
  ttlMs?: number;
  intervalMs?: number;
}

export class NodeRegistry {
  private timer: NodeJS.Timeout | undefined;
  readonly ttlMs: number;
  private readonly intervalMs: number;
  private readonly lastUrl = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly self: { id: string; url: string },
    private readonly options: NodeRegistryOptions,
    private readonly log: Logger,
  ) {
    this.ttlMs = options.ttlMs ?? 6_000;
    this.intervalMs = options.intervalMs ?? 2_000;
  }

  private load: () => number = () => 0;

  /** Starts the heartbeat; `load` tells how many sessions this node serves. */
  async start(load: () => number): Promise<void> {
    this.load = load;
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  async alive(): Promise<NodeInfo[]> {
    const ids = await this.redis.smembers(this.setKey());
    if (ids.length === 0) return [];
    const values = await this.redis.mget(...ids.map((id) => this.nodeKey(id)));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length) await this.redis.srem(this.setKey(), ...gone);
    const nodes = values.flatMap((v) => (v === null ? [] : (this.parse(v) ?? [])));
    for (const n of nodes) this.lastUrl.set(n.id, n.url);
    return nodes;
  }

  /**
   * Where a node is reached. Right after Redis restarts empty, a live node is missing until its
   * next heartbeat: the last address seen stands in (a node that really died refuses the call).
   */
  async urlOf(nodeId: string): Promise<string | undefined> {
    const raw = await this.redis.get(this.nodeKey(nodeId));
    const info = raw ? this.parse(raw) : null;
    if (!info) return this.lastUrl.get(nodeId);
    this.lastUrl.set(nodeId, info.url);
    return info.url;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.multi().del(this.nodeKey(this.self.id)).srem(this.setKey(), this.self.id).exec().catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const info: NodeInfo = { ...this.self, load: this.load(), updatedAt: Date.now() };
    await this.redis.multi().set(this.nodeKey(this.self.id), JSON.stringify(info), 'PX', this.ttlMs).sadd(this.setKey(), this.self.id).exec();
  }

  /** An entry that does not parse is skipped as if the node were gone (it refreshes within a heartbeat). */
  private parse(raw: string): NodeInfo | null {
    let parsed;
    try {
      parsed = nodeInfoSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = null;
    }
    if (parsed?.success) return parsed.data;
    this.log.warn({ issues: parsed?.error.issues.slice(0, 5) ?? 'not JSON' }, 'ignored a malformed node registry entry');
    return null;
  }

  private nodeKey(id: string): string {
    return `${this.options.prefix}node:${id}`;
  }

  private setKey(): string {
    return `${this.options.prefix}nodes`;
  }
}
