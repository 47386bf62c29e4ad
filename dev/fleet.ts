/**
 * The local fleet behind `npm run dev`: every tenant of the manifest on one PostgreSQL (one database each), its API on
 * http://127.0.0.1:<port>/t/<tenant>/…, and publishing wired through an in-process queue to the REAL ingest handler.
 * Importable so tests and `flota smoke --local` can start and stop it in-process.
 */
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { Pool } from 'pg';
import { createApiApp, notFound } from '../functions/api/app';
import { requireApiKeyHeader } from '../functions/api/auth';
import { deriveCursorKey } from '../functions/api/cursor';
import { errorBody } from '../functions/api/errors';
import { createRecordQueries } from '../functions/api/queries';
import { throttle, TokenBucket } from '../functions/api/rate-limit';
import { validateRecordFor } from '../functions/api/validate';
import { createIngestHandler } from '../functions/ingest/ingest';
import { parseMessage } from '../functions/ingest/parse';
import { createPool, isDatabaseUnavailable } from '../functions/shared/db';
import { createLogger } from '../functions/shared/logger';
import { FlotaMetrics } from '../functions/shared/metrics';
import { migrate } from '../functions/shared/migrations';
import { compilePolicy } from '../contract/record';
import { SERVICE } from '../contract/telemetry';
import { loadFleet } from '../fleet';
import type { TenantModel } from '../fleet/model';
import { ensureDatabases, insertDeadLetter, listDeadLetters, tenantDatabaseName, type StoredDeadLetter } from './dev-queries';
import { LocalQueue } from './local-queue';
import { startLocalPostgres, type LocalPostgres } from './local-postgres';

/** Defaults of the dev fleet, in one place. */
export const DEV_DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  postgresPort: 54329,
  /** Under the system temp dir: as root, the server runs as a created `postgres` user that must reach it. */
  dataDir: join(tmpdir(), 'flota-dev-pg'),
  databasePrefix: 'flota_',
  /** Local stand-in for the SQS visibility timeout: how soon a failed message is delivered again. */
  redeliveryDelayMs: 1000,
  /** How long Ctrl-C waits for queued messages to be ingested. */
  drainTimeoutMs: 10_000,
  /** Connections per tenant pool (50 tenants × 3 stays under the local server's max_connections of 300). */
  poolSize: 3,
  /** Cursor base secret of the dev fleet (not a secret: local data only). */
  cursorSecret: 'flota-dev-cursor-secret',
} as const;

/** The local API key of a tenant: FLOTA_DEV_API_KEY if set (same key for every tenant), else `dev-key-<tenant>`. */
export function devApiKey(tenantId: string, env: Record<string, string | undefined> = process.env): string {
  return env.FLOTA_DEV_API_KEY || `dev-key-${tenantId}`;
}

export interface DevFleetOptions {
  /** HTTP port; 0 picks a free one. Default 8787. */
  readonly port?: number;
  readonly host?: string;
  /** Manifest directory. Default `tenants`. */
  readonly tenantsDir?: string;
  /** Superuser URL of a PostgreSQL server to use instead of starting the embedded one. */
  readonly databaseUrl?: string;
  /** Only these tenants (tests); default all. */
  readonly tenants?: readonly string[];
  /** Prefix of tenant database names. Default `flota_`. */
  readonly databasePrefix?: string;
  readonly dataDir?: string;
  readonly postgresPort?: number;
  readonly redeliveryDelayMs?: number;
  readonly drainTimeoutMs?: number;
  /** API key of a tenant. Default {@link devApiKey}. */
  readonly apiKey?: (tenantId: string) => string;
  /** Override the per-tenant throttle (tests); default the tenant's usage plan rate and burst. */
  readonly throttle?: { readonly ratePerSecond: number; readonly burst: number };
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Log level of the functions' Powertools loggers (default WARN: rejected records and errors only). */
  readonly functionLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

export interface DevTenant {
  readonly id: string;
  /** Base URL of the tenant API, e.g. http://127.0.0.1:8787/t/acme */
  readonly url: string;
  readonly apiKey: string;
  /** Connection string of the tenant database. */
  readonly databaseUrl: string;
  readonly maxReceiveCount: number;
}

export interface DevFleet {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  /** API key per tenant id. */
  readonly apiKeys: Readonly<Record<string, string>>;
  readonly tenants: readonly DevTenant[];
  /** Where PostgreSQL runs (superuser URL). */
  readonly adminDatabaseUrl: string;
  /** Publishes a raw message body to a tenant's topic, bypassing the API (as `aws sns publish` would). */
  publishRaw(tenantId: string, body: string): string;
  /** Waits until every tenant queue is empty (or the timeout passes); returns messages still pending. */
  drain(timeoutMs?: number): Promise<number>;
  deadLetters(tenantId: string): Promise<StoredDeadLetter[]>;
  /** Stops HTTP, drains the queues, closes pools, stops PostgreSQL (if started here). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Functions' metrics stay local: nothing is recorded, so no EMF line reaches the dev console — not at publish, and not
 * through Powertools' automatic flush when one metric reaches 100 values (IngestLag of a gold tenant's 100-record batch).
 */
export class LocalMetrics extends FlotaMetrics {
  override add(): void {}
}

interface RunningTenant {
  readonly model: TenantModel;
  readonly info: DevTenant;
  readonly pool: Pool;
  readonly queue: LocalQueue;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use (another \`npm run dev\`?); stop it or set PORT to a free port`)
          : err,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export async function createDevFleet(options: DevFleetOptions = {}): Promise<DevFleet> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? DEV_DEFAULTS.host;
  const prefix = options.databasePrefix ?? DEV_DEFAULTS.databasePrefix;
  const apiKeyOf = options.apiKey ?? ((id: string) => devApiKey(id));
  const started = Date.now();

  const fleet = loadFleet(options.tenantsDir ?? 'tenants');
  const wanted = options.tenants === undefined ? undefined : new Set(options.tenants);
  const models = fleet.tenants.filter((t) => wanted === undefined || wanted.has(t.id));
  if (wanted !== undefined && models.length !== wanted.size) {
    const known = new Set(fleet.tenants.map((t) => t.id));
    throw new Error(`unknown tenant(s): ${[...wanted].filter((id) => !known.has(id)).join(', ')}`);
  }
  log(`flota dev: ${models.length} tenant(s) from ${options.tenantsDir ?? 'tenants'}/`);

  let postgres: LocalPostgres | undefined;
  let adminUrl = options.databaseUrl;
  if (adminUrl === undefined) {
    const dataDir = options.dataDir ?? DEV_DEFAULTS.dataDir;
    const port = options.postgresPort ?? DEV_DEFAULTS.postgresPort;
    log(`  starting PostgreSQL on 127.0.0.1:${port} (data: ${dataDir})`);
    const t0 = Date.now();
    postgres = await startLocalPostgres({ dataDir, port, log });
    adminUrl = postgres.url;
    log(`  PostgreSQL ready (${Date.now() - t0} ms)`);
  } else {
    log(`  using PostgreSQL at ${redact(adminUrl)}`);
  }

  const running: RunningTenant[] = [];
  let server: Server | undefined;
  let baseUrl = '';
  let shuttingDown = false;
  try {
    const t1 = Date.now();
    const names = models.map((m) => tenantDatabaseName(prefix, m.id));
    const created = await ensureDatabases(adminUrl, names);
    const functionLogLevel = options.functionLogLevel ?? 'WARN';
    const tenants = await inBatches(models, 4, async (model) => {
      const databaseUrl = withDatabase(adminUrl!, tenantDatabaseName(prefix, model.id));
      // pg's Pool.end() resolves before its sockets close, so a server stopping right after reports "terminating
      // connection" on them: expected while stopping, worth a line otherwise.
      const pool = createPool(
        { connectionString: databaseUrl, max: DEV_DEFAULTS.poolSize },
        { onIdleError: (error) => shuttingDown || log(`  [${model.id}] idle database connection failed: ${error.message}`) },
      );
      await migrate(pool);
      const logger = createLogger({ service: SERVICE.ingest, tenantId: model.id });
      logger.setLogLevel(functionLogLevel);
      const recordPolicy = compilePolicy(model.records, model.id);
      const ingest = createIngestHandler({
        pool: async () => pool,
        logger,
        metrics: new LocalMetrics({ service: SERVICE.ingest, tenantId: model.id }),
        freshnessThresholdSeconds: model.slo.freshness.withinSeconds,
        recordPolicy,
      });
      const queue = new LocalQueue({
        queueArn: `arn:aws:sqs:${fleet.region}:000000000000:${model.names.queue}`,
        batchSize: Math.min(model.ingest.batchSize, 100),
        maxReceiveCount: model.ingest.maxReceiveCount,
        redeliveryDelayMs: options.redeliveryDelayMs ?? DEV_DEFAULTS.redeliveryDelayMs,
        deliver: (event) => ingest(event),
        deadLetter: (letter) => insertDeadLetter(pool, letter),
        explainFailure: (record) => {
          const outcome = parseMessage(record, recordPolicy);
          return outcome.ok ? 'ingest reported it in batchItemFailures' : outcome.rejection.reason;
        },
        onError: (line) => log(`  [${model.id}] ${line}`),
      });
      return { model, pool, queue, databaseUrl };
    });
    log(`  ${tenants.length} database(s) ready, ${created.length} created, migrations applied (${Date.now() - t1} ms)`);

    const root = new Hono();
    root.notFound(notFound);
    for (const t of tenants) {
      const apiKey = apiKeyOf(t.model.id);
      const rate = options.throttle ?? { ratePerSecond: t.model.api.rateLimitPerSecond, burst: t.model.api.burstLimit };
      const app = createApiApp({
        tenantId: t.model.id,
        queries: createRecordQueries(t.pool),
        publish: async (record) => t.queue.send(JSON.stringify(record), typeof record.type === 'string' ? { recordType: record.type } : {}),
        validateRecord: validateRecordFor(t.model.records, t.model.id),
        cursorKey: deriveCursorKey(DEV_DEFAULTS.cursorSecret, t.model.id),
        maxBodyBytes: t.model.api.maxBodyBytes,
        isDatabaseUnavailable,
        authenticate: requireApiKeyHeader(apiKey),
        throttle: throttle(new TokenBucket({ ratePerSecond: rate.ratePerSecond, burst: rate.burst })),
        logError: (message, fields) => console.error(`[${t.model.id}] api: ${message}`, JSON.stringify(fields)),
      });
      root.route(`/t/${t.model.id}`, app);
      running.push({ model: t.model, pool: t.pool, queue: t.queue, info: { id: t.model.id, url: '', apiKey, databaseUrl: t.databaseUrl, maxReceiveCount: t.model.ingest.maxReceiveCount } });
    }
    root.all('/t/:tenant/*', (c) =>
      c.json(errorBody('unknown_tenant', `no tenant '${c.req.param('tenant')}' in this fleet; GET / lists the tenants`), 404),
    );
    root.get('/', (c) => c.json({ tenants: running.map((r) => ({ id: r.info.id, url: `${baseUrl}/t/${r.info.id}` })) }));

    server = createServer(getRequestListener(root.fetch));
    const port = await listen(server, options.port ?? DEV_DEFAULTS.port, host);
    baseUrl = `http://${host}:${port}`;
    log(`  serving ${running.length} tenant API(s) on ${baseUrl} (ready in ${Date.now() - started} ms)`);
  } catch (err) {
    shuttingDown = true;
    await Promise.allSettled(running.map((r) => r.pool.end()));
    server?.close();
    await postgres?.stop();
    throw err;
  }

  const url = baseUrl;
  const byId = new Map(running.map((r) => [r.model.id, r]));
  const tenantInfos = running.map((r) => ({ ...r.info, url: `${url}/t/${r.model.id}` }));
  const tenantOf = (id: string): RunningTenant => {
    const t = byId.get(id);
    if (t === undefined) throw new Error(`unknown tenant '${id}'`);
    return t;
  };
  const drain = async (timeoutMs = options.drainTimeoutMs ?? DEV_DEFAULTS.drainTimeoutMs): Promise<number> => {
    const left = await Promise.all(running.map((r) => r.queue.drain(timeoutMs)));
    return left.reduce((a, b) => a + b, 0);
  };

  let stopping: Promise<void> | undefined;
  const httpServer = server;
  return {
    url,
    apiKeys: Object.fromEntries(running.map((r) => [r.model.id, r.info.apiKey])),
    tenants: tenantInfos,
    adminDatabaseUrl: adminUrl,
    publishRaw: (tenantId, body) => tenantOf(tenantId).queue.send(body),
    drain,
    deadLetters: (tenantId) => listDeadLetters(tenantOf(tenantId).pool),
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
          setTimeout(() => httpServer.closeAllConnections(), 2000).unref();
        });
        const pending = running.reduce((n, r) => n + r.queue.depth, 0);
        if (pending > 0) log(`  draining ${pending} queued message(s)…`);
        const left = await drain();
        const dropped = running.reduce((n, r) => n + r.queue.close(), 0);
        if (left > 0 || dropped > 0) log(`  ${dropped} message(s) still waiting for redelivery were dropped (the local queue is in memory)`);
        await Promise.allSettled(running.map((r) => r.pool.end()));
        if (postgres !== undefined) {
          log('  stopping PostgreSQL');
          await postgres.stop();
        }
      })();
      return stopping;
    },
  };
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
