import type { ErrorCode } from '@tongtang/shared';

/** Server error codes plus the two failures only the client can observe. */
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'DISCONNECTED';

/** A request the server refused, one that never got an answer, or a refused connection. */
export class RequestError extends Error {
  readonly code: ClientErrorCode;
  /** The request name, or `connect` for a refused or failed connection. */
  readonly request: string | undefined;
  /** Present for BAD_REQUEST: which fields failed. */
  readonly issues: string[] | undefined;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown; issues?: string[]; request?: string }) {
    super(message, options);
    this.name = 'RequestError';
    this.code = code;
    this.request = options?.request;
    this.issues = options?.issues;
  }
}

/** The code to show for any failure: a RequestError's own, INTERNAL for everything else. */
export function errorCodeOf(err: unknown): ClientErrorCode {
  return err instanceof RequestError ? err.code : 'INTERNAL';
}
