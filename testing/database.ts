/**
 * Per-test-file databases on the server started by global-setup.ts: `CREATE DATABASE test_<random>`, migrated, with a pool.
 * Real PostgreSQL only — no pg-mem, no mocked pg.
 */
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPool } from '../functions/shared/db';
import { migrate } from '../functions/shared/migrations';

export interface TestDatabase {
  name: string;
  /** Connection string of this database. */
  url: string;
  pool: Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

/** Superuser URL of the test server (set by global-setup.ts, or given as FLOTA_TEST_PG_URL). */
export function testServerUrl(): string {
  const url = process.env.FLOTA_TEST_PG_URL;
  if (!url) throw new Error('FLOTA_TEST_PG_URL is not set: run tests through jest (its globalSetup starts PostgreSQL)');
  return url;
}

/** URL of `database` on the test server. */
export function databaseUrl(database: string, serverUrl = testServerUrl()): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface CreateTestDatabaseOptions {
  /** Apply functions/migrations (default true). */
  migrate?: boolean;
  /** Pool size (default 4). */
  poolSize?: number;
  /** Appended to CREATE DATABASE, e.g. a locale clause (tests of behaviour under RDS-like, non-C collations). */
  createOptions?: string;
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} ${options.createOptions ?? ''}`));
  const url = databaseUrl(name);
  const pool = createPool({ connectionString: url, max: options.poolSize ?? 4 });
  if (options.migrate ?? true) await migrate(pool);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
