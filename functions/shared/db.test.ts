import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/database';
import { freePort } from '../../dev/embedded-postgres';
import { DATABASE_TIMEOUTS_MS } from '../../contract/database';
import { closePool, createPool, getPool, isAuthenticationFailure, isDatabaseUnavailable, poolConfigFor } from './db';
import { DB_ROLE } from '../../contract/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await closePool();
  await db.drop();
});

describe('getPool', () => {
  it('creates one pool from DATABASE_URL and reuses it across calls (invocations)', async () => {
    const env = { DATABASE_URL: db.url, FLOTA_DB_POOL_SIZE: '3' };
    const first = await getPool(env);
    expect(await getPool(env)).toBe(first);
    expect(first.options.max).toBe(3);
    const { rows } = await first.query('SELECT current_database() AS name');
    expect(rows[0].name).toBe(db.name);
  });

  it("caps every statement at the calling function's limit (contract/database.ts), which its timeout covers", async () => {
    await closePool();
    const api = await getPool({ DATABASE_URL: db.url }, 'api');
    expect((await api.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe(`${DATABASE_TIMEOUTS_MS.statement.api / 1000}s`);
    await closePool();
    const ingest = await getPool({ DATABASE_URL: db.url });
    expect((await ingest.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe(`${DATABASE_TIMEOUTS_MS.statement.ingest / 1000}s`);
  });

  it('does not cache a failed configuration, so the next invocation retries', async () => {
    await closePool();
    await expect(getPool({})).rejects.toThrow(/FLOTA_DB_SECRET_ARN is not set/);
    await expect(getPool({ DATABASE_URL: db.url })).resolves.toBeDefined();
  });
});

describe('poolConfigFor (IAM database authentication)', () => {
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'token' };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(credentials)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('logs in as the function role with a fresh rds-db:connect token per connection, over verified TLS, never a secret', async () => {
    const host = 'flota-acme-db.abc.eu-west-1.rds.amazonaws.com';
    const config = await poolConfigFor({ kind: 'iam', user: DB_ROLE.api, host, port: 5432, database: 'flota', region: 'eu-west-1', poolSize: 2 });
    expect(config).toMatchObject({ host, port: 5432, database: 'flota', user: DB_ROLE.api, ssl: { rejectUnauthorized: true }, max: 2 });
    expect(typeof config.password).toBe('function');
    const token = await (config.password as () => Promise<string>)();
    const url = new URL(`https://${token}`);
    expect(url.host).toBe(`${host}:5432`);
    expect(url.searchParams.get('Action')).toBe('connect');
    expect(url.searchParams.get('DBUser')).toBe(DB_ROLE.api);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });
});

describe('createPool', () => {
  it('opens every session in UTC with ISO dates, whatever the server default (the API reads timestamps as that text)', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`ALTER DATABASE "${db.name}" SET timezone = 'Pacific/Chatham'`);
      await client.query(`ALTER DATABASE "${db.name}" SET datestyle = 'SQL, DMY'`);
      const pool = createPool({ connectionString: db.url, max: 1 });
      try {
        const { rows } = await pool.query<{ text: string }>(`SELECT '2026-01-31T12:00:00.5Z'::timestamptz::text AS text`);
        expect(rows[0]!.text).toBe('2026-01-31 12:00:00.5+00');
      } finally {
        await pool.end();
      }
    } finally {
      await client.query(`ALTER DATABASE "${db.name}" RESET timezone`);
      await client.query(`ALTER DATABASE "${db.name}" RESET datestyle`);
      await client.end();
    }
  });
});

describe('poolConfigFor', () => {
  it('uses the connection string as given for DATABASE_URL', async () => {
    await expect(poolConfigFor({ kind: 'url', connectionString: 'postgres://x@h/db', poolSize: 4 })).resolves.toEqual({
      connectionString: 'postgres://x@h/db',
      max: 4,
    });
  });
});

describe('isDatabaseUnavailable', () => {
  it('is true for a refused connection (nothing listening)', async () => {
    const port = await freePort();
    const client = new Client({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is true for a connection terminated by the server (57P01 admin_shutdown)', async () => {
    const pool = createPool({ connectionString: db.url, max: 1 }, { onIdleError: () => undefined });
    const client = await pool.connect();
    client.on('error', () => undefined); // a checked-out client also emits the termination as an event
    try {
      const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      const victim = client.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await admin.end();
      const error = await victim;
      expect((error as { code?: string }).code).toBe('57P01');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      client.release(true);
      await pool.end();
    }
  });

  it('is true for a wrong password and flags it as an authentication failure', async () => {
    const url = new URL(db.url);
    url.password = 'wrong';
    const client = new Client({ connectionString: url.toString() });
    const error = await client.connect().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isAuthenticationFailure(error)).toBe(true);
  });

  it('is false for errors caused by the query or the data', async () => {
    const syntax = await db.pool.query('SELEC 1').catch((e: unknown) => e);
    const data = await db.pool.query(`SELECT 'x'::int`).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect(isDatabaseUnavailable(data)).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it.each(['53300', '57P03', '08006', 'ETIMEDOUT'])('is true for code %s', (code) => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it('looks inside an AggregateError of per-address connect errors', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new AggregateError([inner], ''))).toBe(true);
  });

  it('is true for a pool connect timeout', () => {
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });
});
