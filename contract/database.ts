/**
 * How long a function may wait for its database, shared by the functions (functions/shared/db.ts applies these limits to
 * every pool) and the model (fleet/model/rules.ts, rule `statement-timeout`, checks each function's timeout against them).
 *
 * Why: a statement cut by PostgreSQL's `statement_timeout` is an error the function sees — the API answers a counted 503,
 * ingest fails the batch and counts its records as not stored — whereas a Lambda timeout kills the invocation before it
 * can answer, log or publish a metric. So every function's timeout must cover its longest database wait: connecting (or
 * waiting for a pooled connection) + one statement + a margin to answer and publish.
 */

/** Functions that talk to the tenant database. */
export type DatabaseClient = 'api' | 'ingest' | 'migrate';

export const DATABASE_TIMEOUTS_MS = {
  /** Give up connecting (or waiting for a free pooled connection) after this long. */
  connect: 3_000,
  /**
   * Server-side cap on one statement, per function. The API serves single pages (keyset pagination, ≤ 1,000 rows);
   * ingest writes a whole batch in one statement; migrate lifts the cap for migration SQL (migrations.ts) and uses it
   * only for its bookkeeping.
   */
  statement: { api: 5_000, ingest: 20_000, migrate: 20_000 } satisfies Record<DatabaseClient, number>,
  /** What a function keeps after its longest database wait, to answer (503 / failed batch), log and publish metrics. */
  margin: 1_000,
} as const;

/** The smallest function timeout (ms) that covers `client`'s longest database wait. */
export function minimumFunctionTimeoutMs(client: DatabaseClient): number {
  return DATABASE_TIMEOUTS_MS.connect + DATABASE_TIMEOUTS_MS.statement[client] + DATABASE_TIMEOUTS_MS.margin;
}

/**
 * The PostgreSQL roles of a tenant database (created by the migrate function, functions/migrations/roles.ts) and the
 * role each function logs in as. The tenant stack scopes each function's `rds-db:connect` to its own role, so both sides
 * import the names from here.
 *
 * - owner: NOLOGIN, owns the schema and every table; migrations run `SET ROLE` to it. The RDS master user (read only
 *   by the migrate function) is a member, nothing else is.
 * - ingest: logs in with IAM database authentication; SELECT, INSERT on records (INSERT … ON CONFLICT … RETURNING id
 *   needs SELECT). No UPDATE, DELETE, DDL, or any other table or schema.
 * - api: logs in with IAM database authentication; SELECT on records. POST only publishes to SNS (ingest writes), so
 *   it needs nothing more: no INSERT, no DDL.
 */
export const DB_ROLE = {
  owner: 'flota_owner',
  ingest: 'flota_ingest',
  api: 'flota_api',
} as const;
export type DbRoleName = (typeof DB_ROLE)[keyof typeof DB_ROLE];
