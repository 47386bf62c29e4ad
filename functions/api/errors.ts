/**
 * The API's one error type. Route code throws it; the app's error handler turns it into
 * `{ error: { code, message, details? } }` with its status, so every client-visible error has the same shape.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status sent to the client. */
    readonly status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 502 | 503,
    /** Stable, machine-readable code (snake_case); clients branch on it, never on the message. */
    readonly code: string,
    message: string,
    /** Extra structured detail, e.g. zod issue paths for an invalid body. */
    readonly details?: unknown,
    /** Seconds a client should wait before retrying (sent as `Retry-After`); 429 and 503 only. */
    readonly retryAfterSeconds?: number,
    /** The underlying error, logged (never sent to the client). */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown; readonly requestId?: string };
}

export function errorBody(code: string, message: string, details?: unknown, requestId?: string): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), ...(requestId === undefined ? {} : { requestId }) } };
}
