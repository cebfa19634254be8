/** Error codes a request can be answered with. The client maps them to what it shows. */
export const ERROR_CODES = [
  'BAD_REQUEST', // payload failed validation
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_REQUEST', // event name not in the protocol
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'NOT_JOINED', // request before lecture:join
  'FORBIDDEN', // the role (or floor state) does not allow it
  'NOT_FOUND',
  'CONFLICT', // wrong lecture state, already exists, ...
  'LIMIT_EXCEEDED', // e.g. speaker limit reached
  'RATE_LIMITED',
  'MEDIA_ERROR', // the SFU refused (bad RTP parameters, closed transport, ...)
  'UNAVAILABLE', // a dependency (media node, store) is down
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error meant for the client: a stable code, a readable message and (server-side only) the cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Present for BAD_REQUEST: which fields failed. */
  issues?: string[];
}
