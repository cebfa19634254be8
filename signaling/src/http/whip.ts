/**
 * WHIP (RFC 9725): a classroom's encoder (OBS 30+, hardware that speaks WHIP) publishes its room
 * camera and microphone over WebRTC, no transcoding. The lecturer or IT connects the classroom as
 * a WHIP source first (`source:open`), which gives the endpoint and its bearer key.
 *
 *   POST   /whip/:lectureId/:classroomId                 application/sdp offer → 201, answer, Location
 *   DELETE /whip/:lectureId/:classroomId/:resourceId     → 200 (the publish ends; the key stays)
 *   PATCH  …/:resourceId                                 → 405 (no trickle: the answer has every candidate)
 */
import express, { Router, type Request } from 'express';
import { AppError } from '@tongtang/shared';
import type { LectureRoom } from '../lecture/room/LectureRoom.ts';
import { sendError } from './errors.ts';

const MAX_OFFER_BYTES = 64 * 1024;

function bearer(req: Request): string {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('TOKEN_INVALID', 'send the classroom\'s WHIP key as Authorization: Bearer <key>');
  return match[1]!;
}

/** `room`: the lecture open on this node (WHIP goes to the node that runs the classroom's source). */
export function whipRouter(room: (lectureId: string) => LectureRoom | undefined): Router {
  const router = Router();
  const roomOf = (req: Request): LectureRoom => {
    const found = room(String(req.params.lectureId));
    if (!found) throw new AppError('NOT_FOUND', 'no such lecture on this server');
    return found;
  };

  router.post('/whip/:lectureId/:classroomId', express.text({ type: () => true, limit: MAX_OFFER_BYTES }), (req, res) => {
    void (async () => {
      if (!req.is('application/sdp')) throw new AppError('BAD_REQUEST', 'a WHIP offer is sent as Content-Type: application/sdp');
      if (typeof req.body !== 'string' || req.body.trim() === '') throw new AppError('BAD_REQUEST', 'the offer is empty');
      const key = bearer(req);
      const { classroomId, lectureId } = req.params as { classroomId: string; lectureId: string };
      const answer = await roomOf(req).sources.publishWhip(classroomId, key, req.body);
      res.status(201)
        .set('Content-Type', 'application/sdp')
        .set('Location', `/whip/${encodeURIComponent(lectureId)}/${encodeURIComponent(classroomId)}/${answer.resourceId}`)
        .send(answer.answerSdp);
    })().catch((err: unknown) => sendError(res, err, 'the WHIP publish could not be taken'));
  });

  router.delete('/whip/:lectureId/:classroomId/:resourceId', (req, res) => {
    void (async () => {
      const { classroomId, resourceId } = req.params as { classroomId: string; resourceId: string };
      await roomOf(req).sources.closeWhip(classroomId, bearer(req), resourceId);
      res.status(200).end();
    })().catch((err: unknown) => sendError(res, err));
  });

  router.patch('/whip/:lectureId/:classroomId/:resourceId', (_req, res) => {
    res.status(405).set('Allow', 'DELETE').json({ error: { code: 'BAD_REQUEST', message: 'no trickle ICE or ICE restart: the answer carries every candidate' } });
  });
  return router;
}
