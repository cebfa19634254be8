/** Turns anything thrown by a handler into a wire error; only AppErrors keep their message. */
import { AppError, type WireError } from '../../../shared/src/index.ts';
import type { Logger } from '../logger.ts';

export function toWireError(err: unknown, log: Logger, request: string): WireError {
  if (err instanceof AppError) {
    if (err.code === 'INTERNAL' || err.code === 'MEDIA_ERROR') log.warn({ err, request }, 'request failed');
    else log.debug({ code: err.code, request, msg: err.message }, 'request refused');
    return { code: err.code, message: err.message };
  }
  log.error({ err, request }, 'unexpected error in request');
  return { code: 'INTERNAL', message: 'the server could not complete the request' };
}
