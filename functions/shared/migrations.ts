/**
 * Schema migration runner: applies functions/migrations in order, each in its own transaction, under a session advisory
 * lock, recording name + sha256 in `flota_migrations`.
 *
 * Why not node-pg-migrate (9.0.0, installed): it is ESM-only while the functions and their jest run are CommonJS, it loads
 * migrations from a directory at run time (the migrate Lambda is a single esbuild file), its lock is a try-lock that makes
 * a second concurrent migrator FAIL instead of waiting, and it keeps no checksums. This runner is ~100 lines: a second
 * migrator blocks on the lock, then finds nothing to do; an edited applied migration is refused with a clear error.
 */
import type { ClientBase, Pool, PoolClient } from 'pg';
import { DB_ROLE } from '../../contract/database';
import { MIGRATIONS, migrationsChecksum, ROLES_SQL, type Migration } from '../migrations';

/** Two-int advisory lock key: 'flot' as int32 and 1 (= schema migrations). Any flota process migrating a database takes it. */
export const MIGRATION_LOCK_KEY: readonly [number, number] = [0x666c6f74, 1];
/** Table recording applied migrations. */
export const MIGRATIONS_TABLE = 'flota_migrations';

/** Thrown when migrating fails or the database's history does not match the code's migrations. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface MigrateOptions {
  /** Progress lines (e.g. `applied 0001-create-records in 12 ms`). */
  log?: (message: string) => void;
  /** Migrations to apply (tests); defaults to functions/migrations. */
  migrations?: readonly Migration[];
}

export interface MigrateResult {
  /** Names applied by this call, in order (empty when the schema was already current). */
  applied: string[];
  /** Name of the newest applied migration afterwards. */
  current: string | null;
  /** migrationsChecksum() of the migrations this code knows. */
  checksum: string;
}

/** Applies pending migrations. Idempotent; safe to run from several processes at once. */
export async function migrate(db: Pool | ClientBase, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  const log = options.log ?? (() => undefined);
  const isPool = 'totalCount' in db;
  const client: ClientBase = isPool ? await (db as Pool).connect() : db;
  // A checked-out client reports a lost connection as an 'error' event too; the failing query already rejects with it.
  const ignore = () => undefined;
  if (isPool) client.on('error', ignore);
  let broken = false;
  try {
    // Migrations may legitimately run longer than the pool's statement timeout, and waiting for the lock must not time out.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, migrations, log);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEY]);
      await client.query('RESET statement_timeout');
    }
  } catch (error) {
    broken = !(error instanceof MigrationError);
    throw error;
  } finally {
    if (isPool) {
      client.off('error', ignore);
      (client as PoolClient).release(broken);
    }
  }
}

/**
 * Applies functions/migrations/roles.ts in its own transaction. Two databases of one server preparing at once can
 * still collide on the shared role catalog ("tuple concurrently updated"); that is retried.
 */
async function prepareRoles(client: ClientBase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await client.query('BEGIN');
    try {
      await client.query(ROLES_SQL);
      await client.query('COMMIT');
      return;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const concurrent = (error as { code?: unknown }).code === 'XX000' && /concurrently/.test((error as Error).message);
      if (concurrent && attempt < 5) continue;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`preparing the database roles failed and was rolled back: ${reason}`, { cause: error });
    }
  }
}

async function applyPending(
  client: ClientBase,
  migrations: readonly Migration[],
  log: (message: string) => void,
): Promise<MigrateResult> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    name       text        PRIMARY KEY,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  await prepareRoles(client);
  const { rows } = await client.query<{ name: string; checksum: string }>(
    `SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`,
  );
  const known = new Map(migrations.map((m) => [m.name, m]));
  const appliedBefore = new Set<string>();
  for (const row of rows) {
    const migration = known.get(row.name);
    if (!migration) {
      throw new MigrationError(
        `database has migration ${row.name}, which this code does not know: deploy code that includes it (never delete an applied migration)`,
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ` +
          `${migration.checksum.slice(0, 12)}… in code): revert the edit and add a new migration instead`,
      );
    }
    appliedBefore.add(row.name);
  }

  const applied: string[] = [];
  for (const migration of migrations) {
    if (appliedBefore.has(migration.name)) continue;
    const started = Date.now();
    await client.query('BEGIN');
    try {
      // As the owner role: whatever the migration creates belongs to flota_owner, not to the master user.
      await client.query(`SET LOCAL ROLE ${DB_ROLE.owner}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
    }
    applied.push(migration.name);
    log(`applied ${migration.name} in ${Date.now() - started} ms`);
  }
  if (applied.length === 0) log('schema is up to date');
  const names = [...appliedBefore, ...applied].sort();
  return { applied, current: names.at(-1) ?? null, checksum: migrationsChecksum(migrations) };
}
