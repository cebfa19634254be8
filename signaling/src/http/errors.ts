/** AppErrors over HTTP: every code has a status; the client's mistakes are 4xx, only the server's own trouble is 5xx. */
import type { Response } from 'express';
import { AppError } from '@tongtang/shared';

export const HTTP_STATUS: Record<AppError['code'], number> = {
  BAD_REQUEST: 400, PAYLOAD_TOO_LARGE: 413, UNKNOWN_REQUEST: 404, TOKEN_INVALID: 401, TOKEN_EXPIRED: 401, NOT_JOINED: 409,
  FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, LIMIT_EXCEEDED: 429, RATE_LIMITED: 429, MEDIA_ERROR: 422,
  UNAVAILABLE: 503, INTERNAL: 500,
};

/** Answers `{ error: { code, message } }`; anything that is not an AppError is `fallback` (INTERNAL). */
export function sendError(res: Response, err: unknown, fallback = 'the request could not be served'): void {
  const e = err instanceof AppError ? err : new AppError('INTERNAL', fallback);
  if (!res.headersSent) res.status(HTTP_STATUS[e.code] ?? 500).json({ error: { code: e.code, message: e.message } });
}
