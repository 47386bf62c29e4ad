/**
 * Reads and validates the environment the tenant stack sets on each function (names in telemetry.ts FUNCTION_ENV).
 * A missing or malformed variable fails at cold start with one message naming every bad variable, instead of an
 * `undefined` deep inside a query.
 */
import * as z from 'zod'; // namespace import: lets esbuild drop zod's unused parts (~370 KB, incl. all locales) from the Lambda bundles
import { ANY_RECORD, MAX_PAYLOAD_BYTES, MAX_RECORD_TYPE_LENGTH, MAX_RECORD_TYPES, type RecordPolicy } from '../../contract/record';
import { FUNCTION_ENV } from '../../contract/telemetry';
import { isTenantId, MAX_TENANT_ID_LENGTH, TENANT_ID_RULE_TEXT } from '../../contract/tenant-id';

/** Thrown when the function environment is incomplete or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid function environment:\n  ${problems.join('\n  ')}`);
  }
}

type Env = Record<string, string | undefined>;

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
const positiveInt = z.coerce.number().int({ error: 'must be an integer' }).positive({ error: 'must be > 0' });
const port = z.coerce.number().int({ error: 'must be an integer' }).min(1).max(65535);
const tenantId = nonEmpty.refine(isTenantId, { error: `must be a tenant id (${TENANT_ID_RULE_TEXT}; at most ${MAX_TENANT_ID_LENGTH} characters)` });
const payloadLimit = positiveInt.max(MAX_PAYLOAD_BYTES, { error: `must be at most ${MAX_PAYLOAD_BYTES}` });
/** FLOTA_RECORD_TYPES: a JSON array of 1..MAX_RECORD_TYPES type names (a trailing `*` = prefix match), as the tenant stack writes it. */
const NOT_A_TYPE_LIST = 'must be a JSON array of record types, e.g. ["order.created","order.payment.*"]';
const recordTypes = z
  .string()
  .transform((raw, context) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: NOT_A_TYPE_LIST });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(z.string().min(1).max(MAX_RECORD_TYPE_LENGTH), { error: NOT_A_TYPE_LIST })
      .min(1, { error: 'must list at least one type (unset it to accept any type)' })
      .max(MAX_RECORD_TYPES),
  );

/** Where and how to connect to the tenant database. */
export type DatabaseConfig =
  | {
      /** Local development and tests: a full connection string (DATABASE_URL), no secret, TLS as the URL says. */
      kind: 'url';
      connectionString: string;
      poolSize: number;
    }
  | {
      /**
       * Lambda (API, ingest): RDS endpoint from the environment, the function's own database role, and an IAM auth token
       * (15 minutes valid, signed with the function's credentials) as the password of each new connection; verified TLS.
       */
      kind: 'iam';
      user: string;
      host: string;
      port: number;
      database: string;
      region: string;
      poolSize: number;
    }
  | {
      /** Lambda (migrate): RDS endpoint from the environment, the master credentials from the RDS-managed secret, verified TLS. */
      kind: 'rds';
      secretArn: string;
      host: string;
      port: number;
      database: string;
      poolSize: number;
    };

/** Default connections per container when FLOTA_DB_POOL_SIZE is unset (Lambda handles one event at a time). */
export const DEFAULT_DB_POOL_SIZE = 2;

/**
 * Reads the database settings: DATABASE_URL wins (local/tests); then FLOTA_DB_USER selects IAM database authentication
 * (API, ingest); otherwise the master secret FLOTA_DB_SECRET_ARN (migrate). Host, port and name are always required.
 */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const problems: string[] = [];
  const poolSize = read(env, FUNCTION_ENV.dbPoolSize, positiveInt, problems, DEFAULT_DB_POOL_SIZE);
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (problems.length > 0) throw new ConfigError(problems);
    return { kind: 'url', connectionString: url, poolSize: poolSize! };
  }
  if (env[FUNCTION_ENV.dbUser] !== undefined && env[FUNCTION_ENV.dbUser]!.trim() !== '') {
    const user = read(env, FUNCTION_ENV.dbUser, nonEmpty, problems);
    const host = read(env, FUNCTION_ENV.dbHost, nonEmpty, problems);
    const dbPort = read(env, FUNCTION_ENV.dbPort, port, problems, 5432);
    const database = read(env, FUNCTION_ENV.dbName, nonEmpty, problems);
    const region = read(env, 'AWS_REGION', nonEmpty, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    return { kind: 'iam', user: user!, host: host!, port: dbPort!, database: database!, region: region!, poolSize: poolSize! };
  }
  const secretArn = read(env, FUNCTION_ENV.dbSecretArn, nonEmpty, problems);
  const host = read(env, FUNCTION_ENV.dbHost, nonEmpty, problems);
  const dbPort = read(env, FUNCTION_ENV.dbPort, port, problems, 5432);
  const database = read(env, FUNCTION_ENV.dbName, nonEmpty, problems);
  if (problems.length > 0) {
    throw new ConfigError([...problems, '(set DATABASE_URL instead to connect without Secrets Manager, e.g. locally)']);
  }
  return { kind: 'rds', secretArn: secretArn!, host: host!, port: dbPort!, database: database!, poolSize: poolSize! };
}

/** Settings of the ingest function. */
export interface IngestConfig {
  tenantId: string;
  /** Records whose publish→commit lag exceeds this count as StaleRecords. */
  freshnessThresholdSeconds: number;
  /** What this tenant accepts beyond the record schema. */
  records: RecordPolicy;
}

export function loadIngestConfig(env: Env = process.env): IngestConfig {
  const problems: string[] = [];
  const id = read(env, FUNCTION_ENV.tenantId, tenantId, problems);
  const freshness = read(env, FUNCTION_ENV.freshnessThresholdSeconds, positiveInt, problems);
  const records = readRecordPolicy(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { tenantId: id!, freshnessThresholdSeconds: freshness!, records };
}

/** Settings of the API function. */
export interface ApiConfig {
  tenantId: string;
  topicArn: string;
  /** Requests slower than this count as SlowRequests. */
  latencyThresholdMs: number;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** What this tenant accepts beyond the record schema (POST is checked like ingest checks messages). */
  records: RecordPolicy;
}

export function loadApiConfig(env: Env = process.env): ApiConfig {
  const problems: string[] = [];
  const id = read(env, FUNCTION_ENV.tenantId, tenantId, problems);
  const topicArn = read(env, FUNCTION_ENV.topicArn, nonEmpty, problems);
  const latency = read(env, FUNCTION_ENV.latencyThresholdMs, positiveInt, problems);
  const maxBody = read(env, FUNCTION_ENV.maxBodyBytes, positiveInt, problems);
  const records = readRecordPolicy(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { tenantId: id!, topicArn: topicArn!, latencyThresholdMs: latency!, maxBodyBytes: maxBody!, records };
}

/** FLOTA_RECORD_TYPES (unset: any type) and FLOTA_MAX_PAYLOAD_BYTES (unset: the schema's limit). */
function readRecordPolicy(env: Env, problems: string[]): RecordPolicy {
  const types = read<string[] | null>(env, FUNCTION_ENV.recordTypes, recordTypes, problems, null);
  const maxPayloadBytes = read(env, FUNCTION_ENV.maxPayloadBytes, payloadLimit, problems, ANY_RECORD.maxPayloadBytes);
  return { types: types ?? null, maxPayloadBytes: maxPayloadBytes ?? ANY_RECORD.maxPayloadBytes };
}

/** Settings of the migrate function (tenant id only labels logs). */
export function loadTenantId(env: Env = process.env): string {
  const problems: string[] = [];
  const id = read(env, FUNCTION_ENV.tenantId, tenantId, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return id!;
}

function read<T>(env: Env, name: string, schema: z.ZodType<T>, problems: string[], fallback?: T): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is not set (the tenant stack sets it; locally export ${name}=…)`);
    return undefined;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    problems.push(`${name}=${JSON.stringify(raw)} ${result.error.issues.map((issue) => issue.message).join('; ')}`);
    return undefined;
  }
  return result.data;
}
