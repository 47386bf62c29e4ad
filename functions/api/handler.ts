/**
 * Lambda entry of the tenant API (API Gateway REST API, proxy integration, v1 events). Thin: configuration, clients and
 * the pool live at module scope (reused across invocations); everything else is the hono app in app.ts.
 */
import { handle, type LambdaEvent, type LambdaContext } from 'hono/aws-lambda';
import { createApiApp } from './app';
import { requireApiGatewayKey } from './auth';
import { deriveCursorKey } from './cursor';
import { recordRequestMetrics } from './observe';
import { createSnsPublisher } from './publisher';
import { createRecordQueries, type Queryable } from './queries';
import { validateRecordFor } from './validate';
import { loadApiConfig } from '../shared/config';
import { getPool, isDatabaseUnavailable, SECRET_MAX_AGE_SECONDS } from '../shared/db';
import { createLogger } from '../shared/logger';
import { FlotaMetrics } from '../shared/metrics';
import { FUNCTION_ENV, SERVICE } from '../../contract/telemetry';

/** Optional base secret for cursor keys (tests, local runs); see {@link cursorKey}. */
export const CURSOR_SECRET_ENV = 'FLOTA_CURSOR_SECRET';

const config = loadApiConfig();
const logger = createLogger({ service: SERVICE.api, tenantId: config.tenantId });
const metrics = new FlotaMetrics({ service: SERVICE.api, tenantId: config.tenantId });

// The pool is created lazily (first query) so a cold start does not wait for Secrets Manager before routing.
const db: Queryable = {
  query: (async (...args: Parameters<Queryable['query']>) => {
    const pool = await getPool(process.env, 'api');
    return (pool.query as (...a: unknown[]) => unknown)(...args);
  }) as Queryable['query'],
};

/**
 * Cursor HMAC key, derived per tenant. Base secret: FLOTA_CURSOR_SECRET when set, else the database password from the
 * RDS-managed secret the function already reads (no extra secret to provision). Rotating the password therefore
 * invalidates outstanding cursors: clients get a 400 and restart from the first page, which is acceptable for short walks.
 */
async function cursorKey(): Promise<Buffer> {
  const explicit = process.env[CURSOR_SECRET_ENV];
  if (explicit !== undefined && explicit !== '') return deriveCursorKey(explicit, config.tenantId);
  const secretArn = process.env[FUNCTION_ENV.dbSecretArn];
  if (secretArn === undefined || secretArn === '') {
    throw new Error(`set ${CURSOR_SECRET_ENV} or ${FUNCTION_ENV.dbSecretArn} so pagination cursors can be signed`);
  }
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets'); // lazy: see shared/db.ts
  const secret = (await getSecret(secretArn, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS })) as { password?: unknown };
  if (typeof secret?.password !== 'string') throw new Error(`secret ${secretArn} has no "password" field`);
  return deriveCursorKey(secret.password, config.tenantId);
}

export const app = createApiApp({
  tenantId: config.tenantId,
  queries: createRecordQueries(db),
  publish: createSnsPublisher(config.topicArn),
  validateRecord: validateRecordFor(config.records, config.tenantId),
  cursorKey,
  maxBodyBytes: config.maxBodyBytes,
  isDatabaseUnavailable,
  authenticate: requireApiGatewayKey(),
  observe: recordRequestMetrics(metrics, config.latencyThresholdMs),
  logError: (message, fields) => logger.error(message, fields),
  requestId: (c) => (c.env as { event?: { requestContext?: { requestId?: string } } } | undefined)?.event?.requestContext?.requestId,
});

const honoHandler = handle(app);

export async function handler(event: LambdaEvent, context: LambdaContext): Promise<Awaited<ReturnType<typeof honoHandler>>> {
  try {
    return await honoHandler(event, context);
  } finally {
    metrics.publish();
  }
}
