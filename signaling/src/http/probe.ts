/**
 * The pre-join media check over HTTP, since the page has no join token yet:
 *   POST /api/probe                      → ProbeOptions (a throwaway transport, closes by itself)
 *   POST /api/probe/:id/connect {dtlsParameters} → 204
 * Open to anyone, so rate-limited per client address on top of the media node's own cap.
 */
import express, { type Router } from 'express';
import { AppError, probeConnectSchema, type MediaNode } from '@tongtang/shared';
import { TokenBucket } from '../rpc/rateLimit.ts';
import { sendError } from './errors.ts';

/** Checks per address: a page runs one, "check again" a few more. */
const PER_MINUTE = 10;
const MAX_ADDRESSES = 10_000;

export function probeRouter(media: MediaNode): Router {
  const buckets = new Map<string, TokenBucket>();
  const allowed = (address: string): boolean => {
    let bucket = buckets.get(address);
    if (!bucket) {
      if (buckets.size >= MAX_ADDRESSES) buckets.clear(); // bounded memory; a reset only forgives
      buckets.set(address, (bucket = new TokenBucket(PER_MINUTE / 60, PER_MINUTE)));
    }
    return bucket.take();
  };
  const fail = (res: express.Response, err: unknown): void => sendError(res, err, 'the connection check failed');

  const router = express.Router();
  router.post('/api/probe', (req, res) => {
    if (!allowed(req.ip ?? 'unknown')) return fail(res, new AppError('RATE_LIMITED', 'too many connection checks; wait a minute'));
    media.createProbe().then((probe) => res.json(probe), (err: unknown) => fail(res, err));
  });
  router.post('/api/probe/:id/connect', express.json({ limit: '8kb' }), (req, res) => {
    const parsed = probeConnectSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, new AppError('BAD_REQUEST', 'expected {"dtlsParameters": {...}}'));
    media.connectProbe(String(req.params.id), parsed.data.dtlsParameters).then(() => res.status(204).end(), (err: unknown) => fail(res, err));
  });
  // A body that is not JSON, or too large, still gets a JSON error rather than express's HTML page.
  router.use('/api/probe', ((err, _req, res, _next) => {
    const tooLarge = (err as { type?: string }).type === 'entity.too.large';
    res.status(tooLarge ? 413 : 400).json({ error: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message: tooLarge ? 'body too large' : 'body is not valid JSON' } });
  }) as express.ErrorRequestHandler);
  return router;
}
