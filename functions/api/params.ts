import { ApiError } from './errors';
import { CursorSignatureError, decodeCursor, InvalidCursorError, type CursorKeys, type CursorPosition } from './cursor';

/** Page size bounds of `GET /v1/records`. */
export const LIMIT = { min: 1, max: 1000, default: 100 } as const;

/** A validated `GET /v1/records` request. */
export interface ListRecordsQuery {
  readonly limit: number;
  /** Inclusive lower bound of occurred_at (ISO-8601). */
  readonly from?: string;
  /** Exclusive upper bound of occurred_at (ISO-8601). */
  readonly to?: string;
  /** Position after which the page starts (from a verified cursor). */
  readonly after?: { readonly occurredAt: string; readonly id: string };
}

const KNOWN_PARAMETERS = new Set(['limit', 'cursor', 'from', 'to']);

/**
 * ISO-8601 timestamp with an explicit offset (`Z` or `±hh:mm`), or a bare date (UTC midnight). Stricter than
 * `Date.parse` on purpose: an offset-less time would silently mean the server's time zone.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function parseTimestamp(name: 'from' | 'to', value: string): string {
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ApiError(
      400,
      'invalid_time_range',
      `query parameter '${name}' must be an ISO-8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z (got '${truncate(value)}')`,
    );
  }
  return value;
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/**
 * Internal code of a 400 for a cursor no known key signed; the app refreshes its keys once (a rotation it has not seen
 * yet) and answers `invalid_cursor` if that does not help, so clients only ever see `invalid_cursor`.
 */
export const INVALID_CURSOR_SIGNATURE = 'invalid_cursor_signature';

/** Validates the query string of `GET /v1/records`; throws a 400 {@link ApiError} naming the parameter and the fix. */
export function parseListQuery(query: Readonly<Record<string, string>>, cursorKey: CursorKeys): ListRecordsQuery {
  const unknown = Object.keys(query).filter((name) => !KNOWN_PARAMETERS.has(name));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'unknown_parameter',
      `unknown query parameter(s) ${unknown.map((n) => `'${truncate(n)}'`).join(', ')}; supported: limit, cursor, from, to`,
    );
  }

  let limit: number = LIMIT.default;
  if (query.limit !== undefined) {
    if (!/^\d{1,7}$/.test(query.limit) || Number(query.limit) < LIMIT.min || Number(query.limit) > LIMIT.max) {
      throw new ApiError(
        400,
        'invalid_limit',
        `query parameter 'limit' must be an integer from ${LIMIT.min} to ${LIMIT.max} (got '${truncate(query.limit)}')`,
      );
    }
    limit = Number(query.limit);
  }

  let from = query.from === undefined ? undefined : parseTimestamp('from', query.from);
  let to = query.to === undefined ? undefined : parseTimestamp('to', query.to);

  let position: CursorPosition | undefined;
  if (query.cursor !== undefined) {
    try {
      position = decodeCursor(cursorKey, query.cursor);
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new ApiError(400, err instanceof CursorSignatureError ? INVALID_CURSOR_SIGNATURE : 'invalid_cursor', `query parameter 'cursor' is invalid: ${err.message}; use the nextCursor of the previous page verbatim, or omit it to start from the first page`);
      }
      throw err;
    }
    // The range is fixed by the first page: repeating it is fine, changing it mid-walk is a client bug.
    if ((from !== undefined && from !== position.from) || (to !== undefined && to !== position.to)) {
      throw new ApiError(400, 'cursor_range_mismatch', `'from'/'to' differ from the range the cursor was issued for; omit them when passing a cursor, or start a new walk without one`);
    }
    from = position.from;
    to = position.to;
  }

  if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) {
    throw new ApiError(400, 'invalid_time_range', `'from' (${from}) must be earlier than 'to' (${to})`);
  }

  return {
    limit,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(position === undefined ? {} : { after: { occurredAt: position.occurredAt, id: position.id } }),
  };
}
