/**
 * PostgreSQL access shared by the functions: one pg Pool per container, created on first use and reused across invocations.
 *
 * The API and ingest functions log in as their own database role (contract/database.ts) with IAM database
 * authentication: each new connection's password is a fresh auth token (@aws-sdk/rds-signer, valid 15 minutes, signed
 * with the function's execution-role credentials, which may `rds-db:connect` as that one db user). They never see the
 * master secret. The migrate function alone reads it: credentials come from the RDS-managed Secrets Manager secret (Powertools Parameters, cached for
 * {@link SECRET_MAX_AGE_SECONDS}; the password is resolved per NEW connection, so a rotated password is picked up without a
 * cold start) and the connection uses TLS with certificate verification. The Node.js Lambda runtimes trust the RDS
 * certificate authorities only through the bundle the tenant stack points `NODE_EXTRA_CA_CERTS` at
 * (`/var/runtime/ca-cert.pem`, which includes the Amazon RDS CAs); without it verification fails with
 * SELF_SIGNED_CERT_IN_CHAIN — do not "fix" that by disabling `rejectUnauthorized`.
 *
 * Locally and in tests, `DATABASE_URL` overrides all of that (see config.ts).
 */
import { Pool, type PoolConfig } from 'pg';
import * as z from 'zod'; // namespace import: lets esbuild drop zod's unused parts (~370 KB, incl. all locales) from the Lambda bundles
import { loadDatabaseConfig, type DatabaseConfig } from './config';
import { DATABASE_TIMEOUTS_MS, type DatabaseClient } from '../../contract/database';

/** How long a fetched secret is trusted before Secrets Manager is asked again. */
export const SECRET_MAX_AGE_SECONDS = 300;
/** Give up connecting after this long (then the caller sees a database-unavailable error). */
export const CONNECT_TIMEOUT_MS = DATABASE_TIMEOUTS_MS.connect;
/**
 * Default server-side cap on any one statement (ingest's), so a stuck query cannot eat the whole Lambda timeout. Each
 * function's own cap is in contract/database.ts, and the model checks that every function timeout covers it.
 */
export const STATEMENT_TIMEOUT_MS = DATABASE_TIMEOUTS_MS.statement.ingest;
/**
 * Session settings of every connection (startup parameters): timestamps are printed in UTC in ISO style
 * (`2026-01-31 12:00:00.123456+00`), whatever the server's defaults. The API sends raw timestamps as that text
 * (api/queries.ts), which costs PostgreSQL a third less per page than formatting them in SQL.
 */
export const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO';

/** Thrown when the database secret is missing fields. */
export class DatabaseSecretError extends Error {
  override readonly name = 'DatabaseSecretError';
}

const RdsSecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/** Options beyond node-postgres' own, for {@link createPool}. */
export interface CreatePoolOptions {
  /** Called when an idle pooled connection fails (e.g. the server restarted). Defaults to writing to stderr. */
  onIdleError?: (error: Error) => void;
}

/**
 * Creates a pool with flota's defaults (connect timeout, statement timeout, TCP keepalive, {@link SESSION_OPTIONS}) and an idle-error listener —
 * without one, a database restart would crash the process through an unhandled 'error' event.
 */
export function createPool(config: PoolConfig, options: CreatePoolOptions = {}): Pool {
  const pool = new Pool({
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    keepAlive: true,
    options: SESSION_OPTIONS,
    ...config,
  });
  pool.on('error', options.onIdleError ?? ((error) => console.error(`idle database connection failed: ${error.message}`)));
  return pool;
}

/** Builds the node-postgres config for a validated {@link DatabaseConfig}. Exposed for tests and the dev fleet. */
export async function poolConfigFor(config: DatabaseConfig): Promise<PoolConfig> {
  if (config.kind === 'url') return { connectionString: config.connectionString, max: config.poolSize };
  if (config.kind === 'iam') {
    const token = iamAuthToken(config);
    return {
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      // A new token per new connection (signing is local, no network call); tokens are only checked at login.
      password: token,
      ssl: { rejectUnauthorized: true },
      max: config.poolSize,
    };
  }
  const secret = await readSecret(config.secretArn, false);
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: secret.username,
    // Resolved for every new connection: cached, and re-fetched after rotation (see invalidateCredentials).
    password: async () => (await readSecret(config.secretArn, consumeForceRefresh())).password,
    ssl: { rejectUnauthorized: true },
    max: config.poolSize,
  };
}

/** Signs IAM auth tokens for `config.user` (the signer module is loaded on first use, like the secrets client). */
export function iamAuthToken(config: Extract<DatabaseConfig, { kind: 'iam' }>): () => Promise<string> {
  let signer: Promise<{ getAuthToken(): Promise<string> }> | undefined;
  return async () => {
    signer ??= import('@aws-sdk/rds-signer').then(
      ({ Signer }) => new Signer({ hostname: config.host, port: config.port, username: config.user, region: config.region }),
    );
    signer.catch(() => {
      signer = undefined;
    });
    return (await signer).getAuthToken();
  };
}

let forceRefresh = false;
function consumeForceRefresh(): boolean {
  const value = forceRefresh;
  forceRefresh = false;
  return value;
}

/** Makes the next new connection re-read the secret (call after an authentication failure: the password was rotated). */
export function invalidateCredentials(): void {
  forceRefresh = true;
}

async function readSecret(secretArn: string, forceFetch: boolean): Promise<z.infer<typeof RdsSecretSchema>> {
  // Loaded on first use: the Secrets Manager SDK is ~450 KB of the bundle and most of a cold start's module init, and
  // it is only needed when the first connection is opened (never for DATABASE_URL).
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const value = await getSecret(secretArn, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
  const parsed = RdsSecretSchema.safeParse(value);
  if (!parsed.success) {
    throw new DatabaseSecretError(`secret ${secretArn} must be JSON with non-empty "username" and "password"`);
  }
  return parsed.data;
}

let sharedPool: Promise<Pool> | undefined;

/**
 * The container's pool, configured from the environment on first call and reused by every later invocation, with the
 * statement cap of `client` (the function it runs in; see contract/database.ts).
 * A failed first attempt (e.g. Secrets Manager unreachable) is not cached, so the next invocation retries.
 */
export function getPool(env: Record<string, string | undefined> = process.env, client: DatabaseClient = 'ingest'): Promise<Pool> {
  if (!sharedPool) {
    sharedPool = Promise.resolve()
      .then(() => poolConfigFor(loadDatabaseConfig(env)))
      .then((config) => createPool({ ...config, statement_timeout: DATABASE_TIMEOUTS_MS.statement[client] }));
    sharedPool.catch(() => {
      sharedPool = undefined;
    });
  }
  return sharedPool;
}

/** Ends the shared pool (tests and the local dev fleet; Lambda never needs it). */
export async function closePool(): Promise<void> {
  const pool = sharedPool;
  sharedPool = undefined;
  if (pool) await (await pool).end();
}

/** Network-level error codes that mean "could not reach or lost the server". */
const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs that mean the server is unavailable, overloaded or refused us for now (retrying later can succeed). */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled (statement_timeout under load)
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '28P01', // invalid_password (secret rotated; see invalidateCredentials)
  '28000', // invalid_authorization_specification
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

/** node-postgres messages for connection loss and pool timeouts, which carry no code. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /server closed the connection unexpectedly/i,
];

/**
 * True when `error` means the database cannot serve us right now — connection refused/reset/timed out, server shutting down
 * or starting, too many connections, credentials being rotated — so the caller should answer 503 / let SQS retry the
 * whole batch, rather than treat the input as bad.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  // Node's happy-eyeballs connect (several addresses) rejects with an AggregateError of per-address errors.
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** True for authentication failures (after which {@link invalidateCredentials} should be called). */
export function isAuthenticationFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '28P01' || code === '28000';
}
