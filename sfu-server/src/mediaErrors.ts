/** Turns whatever mediasoup throws into an AppError, so no raw media error crosses the MediaNode door. */
import { AppError } from '@tongtang/shared';

/**
 * mediasoup reports bad arguments (rtpParameters, dtlsParameters, capabilities...) as TypeError,
 * both from its Node-side validation and from the worker; anything else (InvalidStateError for a
 * closed router or a dead worker, plain Error) is the media side refusing.
 */
export function toAppError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  // The worker answers "... not found" for an object that closed a moment ago (a producer gone
  // between announcing it and resuming its consumer): for the client that is NOT_FOUND.
  const code = err instanceof TypeError ? 'BAD_REQUEST' : /not found/i.test(reason) ? 'NOT_FOUND' : 'MEDIA_ERROR';
  return new AppError(code, `${what}: ${reason}`, { cause: err });
}

/** Runs one mediasoup call and rethrows its failure as an AppError. */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toAppError(err, what);
  }
}
