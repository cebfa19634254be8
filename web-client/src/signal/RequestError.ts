import type { ErrorCode } from '../../../shared/src/errors.ts';

/** Server error codes plus the two failures only the client can observe. */
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'DISCONNECTED';

/** A request the server refused, or one that never got an answer. */
export class RequestError extends Error {
  readonly code: ClientErrorCode;
  readonly issues: string[] | undefined;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown; issues?: string[] }) {
    super(message, options);
    this.name = 'RequestError';
    this.code = code;
    this.issues = options?.issues;
  }
}

/** The code to show for any failure: a RequestError's own, INTERNAL for everything else. */
export function errorCodeOf(err: unknown): ClientErrorCode {
  return err instanceof RequestError ? err.code : 'INTERNAL';
}
