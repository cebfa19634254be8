/**
 * GET /api/recordings/:lectureId — the lecture's recordings with duration, size and state;
 * GET /api/recordings/:lectureId/:recordingId/events(.csv) — its event log as a JSON or CSV download.
 * For the lecture's lecturer and observers (IT), with their join token as a Bearer token.
 */
import path from 'node:path';
import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../shared/src/index.ts';
import { verifyToken } from '../auth/tokens.ts';
import { eventsCsv, listRecordings, readEvents, RECORDING_ID } from '../recording/listing.ts';
import { safeName } from '../recording/Recordings.ts';

const MAY_LIST = new Set(['lecturer', 'observer']);

export function recordingsRouter(jwtSecret: string, recordingsDir: string): Router {
  const router = Router();

  /** The lecture's folder if the token may see it; otherwise answers and returns undefined. */
  const authorised = (req: Request, res: Response): string | undefined => {
    const header = req.get('authorization') ?? '';
    try {
      const claims = verifyToken(jwtSecret, header.startsWith('Bearer ') ? header.slice(7) : '');
      if (!MAY_LIST.has(claims.role) || claims.lec !== req.params['lectureId']) {
        res.status(403).json({ error: { code: 'FORBIDDEN', message: 'only the lecture\'s lecturer and observers see its recordings' } });
        return undefined;
      }
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'TOKEN_INVALID';
      res.status(401).json({ error: { code, message: err instanceof Error ? err.message : 'a join token is required' } });
      return undefined;
    }
    return path.join(recordingsDir, safeName(req.params['lectureId']!));
  };

  router.get('/api/recordings/:lectureId', (req, res) => {
    const dir = authorised(req, res);
    if (dir) res.json({ recordings: listRecordings(dir) });
  });

  const events = (csv: boolean) => (req: Request<{ lectureId: string; recordingId: string }>, res: Response): void => {
    const dir = authorised(req, res);
    if (!dir) return;
    const id = req.params['recordingId']!;
    const folder = path.join(dir, id);
    if (!RECORDING_ID.test(id) || !fs.existsSync(path.join(folder, 'events.jsonl'))) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such recording' } });
      return;
    }
    res.attachment(`${safeName(req.params['lectureId']!)}-${id}-events.${csv ? 'csv' : 'json'}`);
    if (csv) res.type('text/csv; charset=utf-8').send(eventsCsv(readEvents(folder)));
    else res.json(readEvents(folder));
  };
  router.get('/api/recordings/:lectureId/:recordingId/events', events(false));
  router.get('/api/recordings/:lectureId/:recordingId/events.csv', events(true));

  return router;
}
