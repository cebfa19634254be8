/**
 * The control half of the media cascade. A node that needs a producer living on another node
 * opens its end of the lecture's pipe, asks the origin over HTTP to open its end and export the
 * producer, then imports it. The pipe itself (RTP between the two media nodes) is the SFU's.
 */
import crypto from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { AppError, MEDIA_SOURCES, type CascadingMediaNode, type ExportedProducer, type PipeEndpoint } from '@tongtang/shared';
import type { Logger } from '../logger.ts';
import type { Cascade } from './Backplane.ts';

const SECRET_HEADER = 'x-tongtang-cluster';
const id = z.string().min(1).max(128);
const pipeEndpoint = z.object({ ip: z.string().min(1).max(64), port: z.number().int().min(1).max(65535) });
/** What one node asks of another: open your end of the pipe to me and send me this producer. */
export const exportRequestSchema = z.object({ lectureId: id, producerId: id, toNode: id, endpoint: pipeEndpoint }).strict();
/** What the origin answers: its end of the pipe and the producer as sent down it. */
export const exportReplySchema: z.ZodType<{ endpoint: PipeEndpoint; exported: ExportedProducer }> = z.object({
  endpoint: pipeEndpoint,
  exported: z.object({
    producerId: id,
    kind: z.enum(['audio', 'video']),
    source: z.enum(MEDIA_SOURCES),
    // The SFU checks the RTP parameters when it re-creates the producer.
    rtpParameters: z.record(z.string(), z.unknown()),
    paused: z.boolean(),
  }),
});

/** Where another node is reached. */
export interface NodeDirectory {
  urlOf(nodeId: string): Promise<string | undefined>;
}

const PULL_ATTEMPTS = 3;
const PULL_RETRY_MS = 1_000;

export class CascadeLinks implements Cascade {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly media: CascadingMediaNode,
    private readonly nodeId: string,
    private readonly directory: NodeDirectory,
    private readonly secret: string,
    private readonly log: Logger,
  ) {}

  /** Pulls a producer from its origin node; concurrent pulls of one producer share the work. */
  pull(lectureId: string, fromNode: string, producerId: string): Promise<void> {
    if (this.media.hasProducer(lectureId, producerId)) return Promise.resolve();
    const key = `${lectureId}/${producerId}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.pullWithRetry(lectureId, fromNode, producerId).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  async closeLink(lectureId: string, remoteNode: string): Promise<void> {
    await this.media.closePipe(lectureId, remoteNode).catch((err) => this.log.debug({ err, lectureId, remoteNode }, 'pipe already closed'));
  }

  async closeImported(lectureId: string, producerId: string): Promise<void> {
    if (!this.media.hasProducer(lectureId, producerId)) return;
    await this.media.closeProducer(lectureId, producerId).catch((err) => this.log.debug({ err, lectureId, producerId }, 'imported producer already closed'));
  }

  async pauseImported(lectureId: string, producerId: string, paused: boolean): Promise<void> {
    if (!this.media.hasProducer(lectureId, producerId)) return;
    await this.media.setProducerPaused(lectureId, producerId, paused).catch((err) => this.log.debug({ err, lectureId, producerId }, 'imported producer not paused'));
  }

  /** Serves other nodes' export requests. Mounted on the node's HTTP port. */
  router(): Router {
    const router = express.Router();
    const path = '/internal/cascade/export';
    // Membership first: a stranger learns nothing, not even whether its body would parse.
    router.post(path, (req, res, next) => {
      if (this.authorised(req.get(SECRET_HEADER))) return next();
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'not a node of this cluster' } });
    });
    // A body that is not JSON (or too large) is the caller's fault: say so, in this route's words.
    const json = express.json({ limit: '16kb' });
    router.post(path, (req, res, next) => json(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      const tooLarge = (err as { type?: unknown }).type === 'entity.too.large';
      res.status(tooLarge ? 413 : 400).json({
        error: tooLarge ? { code: 'PAYLOAD_TOO_LARGE', message: 'the export request is too large' } : { code: 'BAD_REQUEST', message: 'the export request is not JSON' },
      });
    }));
    router.post(path, (req, res) => {
      const parsed = exportRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))].slice(0, 5);
        res.status(400).json({ error: { code: 'BAD_REQUEST', message: `invalid export request: ${fields.join(', ')}` } });
        return;
      }
      const { lectureId, producerId, toNode, endpoint } = parsed.data;
      this.exportTo(lectureId, producerId, toNode, endpoint).then(
        (result) => res.json(result),
        (err: unknown) => {
          const code = err instanceof AppError ? err.code : 'INTERNAL';
          this.log.warn({ err, lectureId, producerId, toNode }, 'cascade export failed');
          res.status(code === 'NOT_FOUND' ? 404 : 500).json({ error: { code, message: err instanceof Error ? err.message : 'export failed' } });
        },
      );
    });
    return router;
  }

  private async exportTo(lectureId: string, producerId: string, toNode: string, remote: PipeEndpoint) {
    const endpoint = await this.media.openPipe(lectureId, toNode);
    await this.media.connectPipe(lectureId, toNode, remote);
    const exported = await this.media.exportProducer(lectureId, toNode, producerId);
    return { endpoint, exported };
  }

  /**
   * A node that is unreachable for a moment (restarting Redis, a busy event loop) gets a few more
   * tries before a receiver goes without the producer; NOT_FOUND and refusals are final.
   */
  private async pullWithRetry(lectureId: string, fromNode: string, producerId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.doPull(lectureId, fromNode, producerId);
      } catch (err) {
        const transient = err instanceof AppError && err.code === 'UNAVAILABLE';
        if (!transient || attempt >= PULL_ATTEMPTS) throw err;
        this.log.info({ lectureId, producerId, fromNode, attempt, reason: err.message }, 'cascade pull failed; retrying');
        await new Promise((r) => setTimeout(r, PULL_RETRY_MS * attempt));
      }
    }
  }

  private async doPull(lectureId: string, fromNode: string, producerId: string): Promise<void> {
    const url = await this.directory.urlOf(fromNode);
    if (!url) throw new AppError('UNAVAILABLE', `media node ${fromNode} is not reachable`);
    const endpoint = await this.media.openPipe(lectureId, fromNode);
    let answer: { endpoint: PipeEndpoint; exported: ExportedProducer };
    try {
      const res = await fetch(`${url}/internal/cascade/export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: this.secret },
        body: JSON.stringify({ lectureId, producerId, toNode: this.nodeId, endpoint }),
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status === 404) throw new AppError('NOT_FOUND', 'that producer is gone');
      if (res.status === 403) throw new AppError('FORBIDDEN', `media node ${fromNode} does not share this node's cluster secret`);
      if (!res.ok) throw new AppError('UNAVAILABLE', `media node ${fromNode} refused the cascade (${res.status})`);
      const parsed = exportReplySchema.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) {
        this.log.warn({ lectureId, producerId, fromNode, issues: parsed.error.issues.slice(0, 5) }, 'malformed cascade reply');
        throw new AppError('INTERNAL', `media node ${fromNode} answered the cascade with something other than a producer`);
      }
      answer = parsed.data;
    } catch (err) {
      throw err instanceof AppError ? err : new AppError('UNAVAILABLE', `media node ${fromNode} did not answer`, { cause: err });
    }
    await this.media.connectPipe(lectureId, fromNode, answer.endpoint);
    await this.media.importProducer(lectureId, fromNode, answer.exported);
    this.log.debug({ lectureId, producerId, fromNode }, 'producer pulled over the cascade');
  }

  private authorised(given: string | undefined): boolean {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.secret);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }
}

/** Nodes prove membership with a secret derived from the join-token secret they all share. */
export function clusterSecret(jwtSecret: string): string {
  return crypto.createHmac('sha256', jwtSecret).update('tongtang-cluster').digest('hex');
}
