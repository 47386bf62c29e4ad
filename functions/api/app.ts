import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, errorBody } from './errors';
import { encodeCursor, type CursorKeys } from './cursor';
import { INVALID_CURSOR_SIGNATURE, parseListQuery, type ListRecordsQuery } from './params';
import { isRecordId } from '../../contract/record';
import { DatabaseTimeoutError, type RecordQueries } from './queries';

/** What one request looked like, for the metrics sink (Requests, ClientErrors, ServerErrors, SlowRequests, Latency). */
export interface RequestObservation {
  readonly method: string;
  /** Route pattern (e.g. `/v1/records/:id`), never the raw path, so metrics stay low-cardinality. */
  readonly route: string;
  readonly status: number;
  readonly latencyMs: number;
}

/** A validated record ready to publish: the shape the ingest function consumes. */
export type PublishRecord = (record: { readonly id: string } & Record<string, unknown>) => Promise<string>;

/** Result of validating a POST body: the parsed record or the issues (path + message) to return in a 400. */
export type ValidateRecord = (
  body: unknown,
) =>
  | { readonly ok: true; readonly record: { readonly id: string } & Record<string, unknown> }
  | {
      readonly ok: false;
      /** One line per problem, naming the field, the rule and the value given. */
      readonly messages: readonly string[];
      readonly issues: readonly { readonly path: string; readonly message: string }[];
    };

export interface ApiDependencies {
  readonly tenantId: string;
  readonly queries: RecordQueries;
  /** Publishes to the tenant topic and returns the message id (SNS in AWS, an in-process queue in the dev fleet). */
  readonly publish: PublishRecord;
  readonly validateRecord: ValidateRecord;
  /**
   * Per-tenant HMAC key(s) for pagination cursors (see cursor.ts): fixed, or a provider asked on every list request
   * (it caches; cursor-keys.ts) and once more with `refresh` when a cursor matches no key it returned (a rotation this
   * container has not seen yet).
   */
  readonly cursorKey: CursorKeys | ((options?: { readonly refresh?: boolean }) => Promise<CursorKeys>);
  /** Largest accepted request body; larger bodies get 413. */
  readonly maxBodyBytes: number;
  /** Classifies an error as "database unreachable" (→ 503 + Retry-After) rather than a bug (→ 500). */
  readonly isDatabaseUnavailable: (err: unknown) => boolean;
  /** Authentication middleware: API Gateway identity check in Lambda, `x-api-key` check in the dev fleet. */
  readonly authenticate?: MiddlewareHandler;
  /** Extra middleware after authentication (the dev fleet's token-bucket throttle). */
  readonly throttle?: MiddlewareHandler;
  /** Called once per request with its outcome (metrics). */
  readonly observe?: (observation: RequestObservation) => void;
  /** Logs an unexpected error with its stack; the client only ever sees the request id. */
  readonly logError?: (message: string, fields: Record<string, unknown>) => void;
  /** Request id of the current request; defaults to a random UUID (Lambda passes the API Gateway request id). */
  readonly requestId?: (c: Context) => string | undefined;
  /** `GET /health` database timeout. Default 1000 ms. */
  readonly healthTimeoutMs?: number;
}

/** Seconds clients are told to wait when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

type AppEnv = { Variables: { requestId: string } };

/** JSON 404 for unknown routes (also used by the dev fleet's outer router). */
export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
}

/**
 * The tenant API as one hono app: the Lambda handler and the dev fleet wrap the same app, so what is tested locally is
 * what runs in AWS. Routes are relative (`/v1/records`, `/health`); API Gateway and the dev fleet mount them.
 */
export function createApiApp(deps: ApiDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const healthTimeoutMs = deps.healthTimeoutMs ?? 1000;
  const getCursorKeys = (refresh = false): Promise<CursorKeys> =>
    typeof deps.cursorKey === 'function' ? deps.cursorKey(refresh ? { refresh } : undefined) : Promise.resolve(deps.cursorKey);
  // A cursor no key verifies may come from a rotation this container has not seen yet: refresh the keys once and retry.
  const isSignatureError = (err: unknown): err is ApiError => err instanceof ApiError && err.code === INVALID_CURSOR_SIGNATURE;
  const publicError = (err: unknown): unknown => (isSignatureError(err) ? new ApiError(400, 'invalid_cursor', err.message) : err);
  const parseWithKeys = async (params: Record<string, string>): Promise<{ keys: CursorKeys; query: ListRecordsQuery }> => {
    const keys = await getCursorKeys();
    try {
      return { keys, query: parseListQuery(params, keys) };
    } catch (err) {
      if (!isSignatureError(err) || typeof deps.cursorKey !== 'function') throw publicError(err);
    }
    const fresh = await getCursorKeys(true);
    try {
      return { keys: fresh, query: parseListQuery(params, fresh) };
    } catch (err) {
      throw publicError(err);
    }
  };

  app.onError((err, c) => toErrorResponse(err, c, deps));
  app.notFound(notFound);

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = deps.requestId?.(c) ?? randomUUID();
    c.set('requestId', requestId);
    // Set before next(): hono keeps it and adds it to whatever response the route builds. Set after the response exists,
    // hono has to clone that response through its body stream (a web ReadableStream), and @hono/node-server then writes
    // it chunk by chunk with chunked encoding instead of one write of a known length: that clone was the biggest single
    // cost of a page request in the server profile.
    c.header('x-request-id', requestId);
    try {
      await next();
    } catch (err) {
      // hono routes only `instanceof Error` to onError; anything else thrown (or an Error from another realm) lands here,
      // so no throw can ever escape as a bare 502 from API Gateway.
      c.res = toErrorResponse(err, c, deps);
    }
    deps.observe?.({
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      latencyMs: performance.now() - started,
    });
  });
  if (deps.authenticate !== undefined) app.use('*', deps.authenticate);
  if (deps.throttle !== undefined) app.use('*', deps.throttle);

  app.get('/health', async (c) => {
    await deps.queries.ping(healthTimeoutMs);
    return c.json({ status: 'ok', tenant: deps.tenantId });
  });

  app.get('/v1/records', async (c) => {
    const { keys: key, query } = await parseWithKeys(c.req.query());
    const page = await deps.queries.listRecords(query);
    const nextCursor =
      page.hasMore && page.last !== undefined
        ? encodeCursor(key, {
            occurredAt: page.last.occurredAt,
            id: page.last.id,
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.to === undefined ? {} : { to: query.to }),
          })
        : null;
    // The items arrive as JSON text from PostgreSQL (see queries.ts); splice, do not re-serialize.
    return c.body(`{"items":${page.itemsJson},"nextCursor":${JSON.stringify(nextCursor)}}`, 200, {
      'content-type': 'application/json',
    });
  });

  app.get('/v1/records/:id', async (c) => {
    const id = c.req.param('id');
    if (!isRecordId(id)) {
      throw new ApiError(400, 'invalid_id', `record id must be 1..128 characters of A-Z a-z 0-9 . _ : - (got '${id.slice(0, 64)}')`);
    }
    const record = await deps.queries.getRecord(id);
    if (record === undefined) throw new ApiError(404, 'record_not_found', `no record with id '${id}'`);
    return c.json(record);
  });

  app.post(
    '/v1/records',
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: () => {
        throw new ApiError(413, 'body_too_large', `request body exceeds ${deps.maxBodyBytes} bytes; send one record per request and keep its payload smaller`);
      },
    }),
    async (c) => {
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(400, 'invalid_json', 'request body is not valid JSON; send Content-Type: application/json with one record object');
      }
      const result = deps.validateRecord(body);
      if (!result.ok) {
        throw new ApiError(400, 'invalid_record', `record is invalid: ${result.messages.join('; ')}`, { issues: result.issues });
      }
      const messageId = await deps.publish(result.record);
      return c.json({ messageId, id: result.record.id }, 202);
    },
  );

  return app;
}

function toErrorResponse(err: unknown, c: Context<AppEnv>, deps: ApiDependencies): Response {
  if (err instanceof ApiError) {
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
    if (err.status >= 500) {
      deps.logError?.(err.message, { code: err.code, requestId: c.get('requestId'), cause: describe(err.cause) });
    }
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException) {
    return c.json(errorBody('bad_request', err.message || 'bad request'), err.status as ContentfulStatusCode);
  }
  if (err instanceof DatabaseTimeoutError || deps.isDatabaseUnavailable(err)) {
    deps.logError?.('database unavailable', { requestId: c.get('requestId'), error: describe(err) });
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return c.json(errorBody('database_unavailable', `the database is unreachable; retry after ${DATABASE_RETRY_AFTER_SECONDS} seconds`), 503);
  }
  // PostgreSQL data exceptions (class 22, e.g. a date the regex let through but the calendar does not have) are bad input.
  // The only values the API hands PostgreSQL unchecked are the time bounds; the server's own text never reaches the client
  // (it names types, values and internals): the log has it.
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    deps.logError?.('database refused a parameter', { requestId: c.get('requestId'), error: describe(err) });
    return c.json(
      errorBody('invalid_parameter', "'from' or 'to' is not a real date or time (e.g. February 30th or hour 25); send an existing instant in ISO-8601 with a time zone"),
      400,
    );
  }
  const requestId = c.get('requestId');
  deps.logError?.('unhandled error', { requestId, error: describe(err) });
  return c.json(errorBody('internal_error', 'internal error; quote the request id when reporting it', undefined, requestId), 500);
}

function describe(err: unknown): Record<string, unknown> | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}
