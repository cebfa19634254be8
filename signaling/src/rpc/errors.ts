/** Turns anything thrown by a handler into a wire error; only AppErrors keep their message. */
import { AppError, type WireError } from '@tongtang/shared';
import type { Logger } from '../logger.ts';

export function toWireError(err: unknown, log: Logger, request: string): WireError {
  if (err instanceof AppError) {
    // A stack only for the server's own failures: a client's mistake (a second connect, bad RTP
    // parameters) is one short line, or a misbehaving client would flood the log.
    if (err.code === 'INTERNAL') log.warn({ err, request }, 'request failed');
    else if (err.code === 'MEDIA_ERROR') log.info({ code: err.code, request, reason: err.message }, 'media request refused');
    else log.debug({ code: err.code, request, reason: err.message }, 'request refused');
    return { code: err.code, message: err.message };
  }
  log.error({ err, request }, 'unexpected error in request');
  return { code: 'INTERNAL', message: 'the server could not complete the request' };
}
