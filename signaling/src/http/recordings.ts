/**
 * A lecture's recordings over HTTP. Who may do what:
 * - the lecture's lecturer and observers (IT), with their join token: the list with duration,
 *   size and state, every recording's event log, replay and replay links;
 * - the lecture's other participants, with their join token: a recording's replay and a
 *   replay link for themselves;
 * - a replay link's holder (a replay token): that one recording's replay and event log.
 * A token comes as `Authorization: Bearer …`, or as `?t=…` where a header cannot be set (a
 * video element's source, a download link).
 *
 *   GET  /api/recordings/:lectureId
 *   GET  /api/recordings/:lectureId/:recordingId/events(.csv)
 *   POST /api/recordings/:lectureId/:recordingId/replay-link   {days?}
 *   GET  /api/recordings/:lectureId/:recordingId/replay         status, chapters count, event log
 *   GET  /api/recordings/:lectureId/:recordingId/replay/(replay.mp4|chapters.vtt|thumbnail.jpg)[?download=1]
 *   GET  /api/recordings/:lectureId/:recordingId/replay/hls/(index.m3u8|segment-NNN.ts)
 */
import path from 'node:path';
import fs from 'node:fs';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, type JoinClaims } from '@tongtang/shared';
import { mintReplayToken, verifyReplayToken } from '../auth/replayTokens.ts';
import { verifyToken } from '../auth/tokens.ts';
import { eventsCsv, listRecordings, readEvents, RECORDING_ID } from '../recording/listing.ts';
import { safeName } from '../recording/Recordings.ts';

const MANAGERS = new Set(['lecturer', 'observer']);
const DAY_S = 86_400;
/** Replay links: participants' own last up to a month; the lecturer's shared links up to a year. */
const MAX_DAYS = { manager: 365, participant: 30 } as const;
const DEFAULT_DAYS = 30;
const linkBody = z.object({ days: z.number().int().min(1).max(MAX_DAYS.manager).optional() }).strict();

type Access = { kind: 'manager' | 'participant'; claims: JoinClaims } | { kind: 'viewer'; recordingId: string };

type Params = { lectureId: string; recordingId?: string; file?: string };

export function recordingsRouter(jwtSecret: string, recordingsDir: string): Router {
  const router = Router();

  const fail = (res: Response, status: number, code: string, message: string): undefined => {
    res.status(status).json({ error: { code, message } });
    return undefined;
  };

  /** Who asks, for this lecture (and recording); answers 401/403 itself and returns undefined. */
  const access = (req: Request<Params>, res: Response, allowed: Access['kind'][]): Access | undefined => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : typeof req.query['t'] === 'string' ? req.query['t'] : '';
    const { lectureId, recordingId } = req.params;
    let found: Access;
    try {
      const replay = token && isReplayToken(token) ? verifyReplayToken(jwtSecret, token) : null;
      if (replay) {
        if (replay.lec !== lectureId || replay.rec !== recordingId) return fail(res, 403, 'FORBIDDEN', 'this replay link opens another recording');
        found = { kind: 'viewer', recordingId: replay.rec };
      } else {
        const claims = verifyToken(jwtSecret, token);
        if (claims.lec !== lectureId) return fail(res, 403, 'FORBIDDEN', 'the token is for another lecture');
        found = { kind: MANAGERS.has(claims.role) ? 'manager' : 'participant', claims };
      }
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'TOKEN_INVALID';
      return fail(res, 401, code, err instanceof Error ? err.message : 'a token is required');
    }
    if (!allowed.includes(found.kind)) {
      return fail(res, 403, 'FORBIDDEN', found.kind === 'viewer' ? 'a replay link opens its recording only' : 'only the lecture\'s lecturer and observers see its recordings');
    }
    return found;
  };

  /** The recording's folder, if the id is one and it exists; else answers 404. */
  const folder = (req: Request<Params>, res: Response): string | undefined => {
    const id = req.params.recordingId ?? '';
    const dir = path.join(recordingsDir, safeName(req.params.lectureId), id);
    if (!RECORDING_ID.test(id) || !fs.existsSync(path.join(dir, 'events.jsonl'))) return fail(res, 404, 'NOT_FOUND', 'no such recording');
    return dir;
  };

  router.get('/api/recordings/:lectureId', (req, res) => {
    if (access(req, res, ['manager'])) res.json({ recordings: listRecordings(path.join(recordingsDir, safeName(req.params.lectureId))) });
  });

  const events = (csv: boolean) => (req: Request<Params>, res: Response): void => {
    if (!access(req, res, ['manager', 'participant', 'viewer'])) return;
    const dir = folder(req, res);
    if (!dir) return;
    res.attachment(`${safeName(req.params.lectureId)}-${req.params.recordingId}-events.${csv ? 'csv' : 'json'}`);
    if (csv) res.type('text/csv; charset=utf-8').send(eventsCsv(readEvents(dir)));
    else res.json(readEvents(dir));
  };
  router.get('/api/recordings/:lectureId/:recordingId/events', events(false));
  router.get('/api/recordings/:lectureId/:recordingId/events.csv', events(true));

  router.post('/api/recordings/:lectureId/:recordingId/replay-link', express.json({ limit: '1kb' }), (req: Request<Params>, res) => {
    const who = access(req, res, ['manager', 'participant']);
    if (!who || who.kind === 'viewer' || !folder(req, res)) return;
    const body = linkBody.safeParse(req.body ?? {});
    if (!body.success) return void fail(res, 400, 'BAD_REQUEST', 'days must be a whole number of days, 1 to 365');
    const days = body.data.days ?? DEFAULT_DAYS;
    if (days > MAX_DAYS[who.kind]) return void fail(res, 403, 'FORBIDDEN', `a participant's replay link lasts ${MAX_DAYS.participant} days at most`);
    const { lectureId, recordingId } = req.params;
    const token = mintReplayToken(jwtSecret, { sub: who.claims.sub, lec: lectureId, rec: recordingId! }, days * DAY_S);
    res.json({ url: `/replay/${encodeURIComponent(lectureId)}/${recordingId}?t=${token}`, token, expiresAt: Date.now() + days * DAY_S * 1000 });
  });

  router.get('/api/recordings/:lectureId/:recordingId/replay', (req: Request<Params>, res) => {
    if (!access(req, res, ['manager', 'participant', 'viewer'])) return;
    const dir = folder(req, res);
    if (!dir) return;
    const summary = listRecordings(path.dirname(dir)).find((r) => r.id === req.params.recordingId)!;
    const { tracks: _tracks, replay, ...recording } = summary;
    res.json({ lectureId: req.params.lectureId, recording, replay, events: readEvents(dir) });
  });

  const FILES: Record<string, string> = { 'replay.mp4': 'video/mp4', 'chapters.vtt': 'text/vtt; charset=utf-8', 'thumbnail.jpg': 'image/jpeg' };
  const sendReplayFile = (sub: 'top' | 'hls') => (req: Request<Params>, res: Response): void => {
    if (!access(req, res, ['manager', 'participant', 'viewer'])) return;
    const dir = folder(req, res);
    if (!dir) return;
    const name = req.params.file ?? '';
    const type = sub === 'top' ? FILES[name] : name === 'index.m3u8' ? 'application/vnd.apple.mpegurl' : /^segment-\d{3,6}\.ts$/.test(name) ? 'video/mp2t' : undefined;
    const rel = sub === 'top' ? name : `hls/${name}`;
    const file = path.join(dir, 'replay', rel);
    if (!type || !fs.existsSync(file)) return void fail(res, 404, 'NOT_FOUND', 'the replay has no such file (yet)');
    if (req.query['download'] === '1') res.attachment(`${safeName(req.params.lectureId)}-${req.params.recordingId}-${name}`);
    res.type(type);
    res.sendFile(rel, { root: path.join(dir, 'replay'), dotfiles: 'deny', headers: { 'Cache-Control': 'private, max-age=3600' } });
  };
  router.get('/api/recordings/:lectureId/:recordingId/replay/hls/:file', sendReplayFile('hls'));
  router.get('/api/recordings/:lectureId/:recordingId/replay/:file', sendReplayFile('top'));

  return router;
}

/** A replay token says so in its (unverified) payload; anything else is read as a join token. */
function isReplayToken(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { typ?: unknown };
    return payload.typ === 'replay';
  } catch {
    return false;
  }
}
