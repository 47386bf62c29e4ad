/**
 * Lambda entry of the tenant API (API Gateway REST API, proxy integration, v1 events). Thin: configuration, clients and
 * the pool live at module scope (reused across invocations); everything else is the hono app in app.ts.
 */
import { handle, type LambdaEvent, type LambdaContext } from 'hono/aws-lambda';
import { createApiApp } from './app';
import { requireApiGatewayKey } from './auth';
import { deriveCursorKey } from './cursor';
import { cursorKeyringFromSecret } from './cursor-keys';
import { recordRequestMetrics } from './observe';
import { createSnsPublisher } from './publisher';
import { createRecordQueries, type Queryable } from './queries';
import { validateRecordFor } from './validate';
import { loadApiConfig } from '../shared/config';
import { getPool, isDatabaseUnavailable } from '../shared/db';
import { createLogger } from '../shared/logger';
import { FlotaMetrics } from '../shared/metrics';
import { FUNCTION_ENV, SERVICE } from '../../contract/telemetry';

/** Optional base secret for cursor keys (tests, local runs); see {@link cursorKey}. */
export const CURSOR_SECRET_ENV = 'FLOTA_CURSOR_SECRET';

const config = loadApiConfig();
const logger = createLogger({ service: SERVICE.api, tenantId: config.tenantId });
const metrics = new FlotaMetrics({ service: SERVICE.api, tenantId: config.tenantId });

// The pool is created lazily (first query) so a cold start does not wait for the database before routing.
const db: Queryable = {
  query: (async (...args: Parameters<Queryable['query']>) => {
    const pool = await getPool(process.env, 'api');
    return (pool.query as (...a: unknown[]) => unknown)(...args);
  }) as Queryable['query'],
};

/**
 * Cursor HMAC keys, derived per tenant. FLOTA_CURSOR_SECRET when set (tests, local runs: one fixed key); in AWS the
 * tenant's dedicated cursor-key secret, AWSCURRENT signing and AWSPREVIOUS still verifying (rotation-safe; see
 * cursor-keys.ts). Never derived from a database credential.
 */
function cursorKeys(): Buffer | ReturnType<typeof cursorKeyringFromSecret> {
  const explicit = process.env[CURSOR_SECRET_ENV];
  if (explicit !== undefined && explicit !== '') return deriveCursorKey(explicit, config.tenantId);
  const secretArn = process.env[FUNCTION_ENV.cursorSecretArn];
  if (secretArn === undefined || secretArn === '') {
    throw new Error(`set ${CURSOR_SECRET_ENV} or ${FUNCTION_ENV.cursorSecretArn} so pagination cursors can be signed`);
  }
  return cursorKeyringFromSecret({ secretArn, tenantId: config.tenantId });
}

export const app = createApiApp({
  tenantId: config.tenantId,
  queries: createRecordQueries(db),
  publish: createSnsPublisher(config.topicArn),
  validateRecord: validateRecordFor(config.records, config.tenantId),
  cursorKey: cursorKeys(),
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
