/**
 * Test helpers for the API tests: a fresh database per test file on the run's PostgreSQL server, with the schema applied.
 */
import { Client, Pool } from 'pg';

/** Admin connection URL of the test server (set by the jest global setup). */
export function adminUrl(): string {
  const url = process.env.FLOTA_TEST_DATABASE_URL ?? process.env.API_TEST_PG_URL;
  if (url === undefined) throw new Error('no test PostgreSQL: the jest global setup sets FLOTA_TEST_DATABASE_URL');
  return url;
}

export function databaseUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id text PRIMARY KEY, type text NOT NULL, occurred_at timestamptz NOT NULL, payload jsonb NOT NULL,
  message_id text NOT NULL, published_at timestamptz, ingested_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS records_occurred_at_id ON records (occurred_at, id);`;

/** Creates a uniquely named database with the records schema and returns a pool to it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const admin = adminUrl();
  const name = `api_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = databaseUrl(admin, name);
  const pool = new Pool({ connectionString: url, max: 8 });
  await pool.query(SCHEMA);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Inserts `count` records with ids `${prefix}-000001`… spread over time (pairs share a timestamp, to test ties; odd ones sit 1 µs later, to test precision). */
export async function seedRecords(pool: Pool, count: number, prefix = 'r', start = '2026-01-01T00:00:00Z'): Promise<void> {
  await pool.query(
    `INSERT INTO records (id, type, occurred_at, payload, message_id)
     SELECT $1 || '-' || lpad(g::text, 6, '0'), 'seed', $2::timestamptz + ((g / 4) * interval '1 millisecond') + ((g % 2) * interval '1 microsecond'),
            jsonb_build_object('n', g), 'm-' || g
     FROM generate_series(1, $3::int) AS g`,
    [prefix, start, count],
  );
}
