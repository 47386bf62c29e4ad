/**
 * Least privilege, proven on a real PostgreSQL: each function role really logs in (on the test server with a password
 * set here; on RDS the same role logs in with an IAM auth token through rds_iam) and tries what it must and must not do,
 * through the functions' own code paths where they exist (ingest's COPY and INSERT, the API's queries).
 */
import type { Pool } from 'pg';
import { DB_ROLE } from '../../contract/database';
import { useTestDatabase } from '../../testing/use-database';
import { createRecordQueries } from '../api/queries';
import type { AcceptedMessage } from '../ingest/parse';
import { COPY_MIN_BATCH, storeRecords } from '../ingest/store';
import { createPool } from '../shared/db';
import { migrate } from '../shared/migrations';

const db = useTestDatabase({ truncateRecords: true });
const pools: Pool[] = [];

const TEST_PASSWORD = 'flota-role-test';

/** A pool that logs in as `role`. */
function poolAs(role: string): Pool {
  const url = new URL(db.url);
  url.username = role;
  url.password = TEST_PASSWORD;
  const pool = createPool({ connectionString: url.toString(), max: 2 });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

const PERMISSION_DENIED = { code: '42501' };
const MUST_BE_OWNER = { code: '42501', message: expect.stringMatching(/must be owner/) };

function message(id: string): AcceptedMessage {
  return {
    messageId: `m-${id}`,
    record: { id, type: 't', occurredAt: '2026-11-26T09:00:00Z', payload: { id } },
    payloadJson: JSON.stringify({ id }),
    sentAt: Date.parse('2026-11-26T09:00:01Z'),
  };
}

beforeAll(async () => {
  // Test server only: RDS never gives these roles a password (rds_iam: IAM auth tokens only).
  for (const role of [DB_ROLE.api, DB_ROLE.ingest]) await db.pool.query(`ALTER ROLE ${role} PASSWORD '${TEST_PASSWORD}'`);
  // Another application's schema on the same server: no flota role may read it.
  await db.pool.query('CREATE SCHEMA IF NOT EXISTS other_app; CREATE TABLE IF NOT EXISTS other_app.secrets (v text); INSERT INTO other_app.secrets VALUES ($$x$$)');
});

describe('database roles (real PostgreSQL)', () => {
  test('the owner role owns the schema and every table; the function roles own nothing and cannot log in as owner', async () => {
    const { rows } = await db.pool.query<{ tablename: string; tableowner: string }>(
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(rows.map((r) => r.tableowner)).toEqual(rows.map(() => DB_ROLE.owner));
    expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['records', 'dead_letters', 'flota_migrations']));
    const roles = await db.pool.query<{ rolname: string; rolcanlogin: boolean; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      'SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname',
      [Object.values(DB_ROLE)],
    );
    expect(roles.rows).toEqual([
      { rolname: DB_ROLE.api, rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false },
      { rolname: DB_ROLE.ingest, rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false },
      { rolname: DB_ROLE.owner, rolcanlogin: false, rolsuper: false, rolcreaterole: false, rolcreatedb: false },
    ]);
    await expect(poolAs(DB_ROLE.api).query(`SET ROLE ${DB_ROLE.owner}`)).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(poolAs(DB_ROLE.ingest).query(`SET ROLE ${DB_ROLE.owner}`)).rejects.toMatchObject(PERMISSION_DENIED);
  });

  test('ingest stores records through both of its paths (COPY and INSERT … ON CONFLICT … RETURNING)', async () => {
    const ingest = poolAs(DB_ROLE.ingest);
    const copy = await storeRecords(ingest, Array.from({ length: COPY_MIN_BATCH }, (_, i) => message(`c${i}`)));
    expect(copy).toMatchObject({ method: 'copy' });
    const insert = await storeRecords(ingest, [message('i1'), message('c0')]);
    expect(insert).toMatchObject({ method: 'insert', stored: [expect.objectContaining({ messageId: 'm-i1' })], duplicates: [expect.objectContaining({ messageId: 'm-c0' })] });
  });

  test('ingest cannot DROP, TRUNCATE, UPDATE, DELETE, create anything, or read other tables and schemas', async () => {
    const ingest = poolAs(DB_ROLE.ingest);
    await storeRecords(ingest, [message('keep')]);
    await expect(ingest.query('DROP TABLE records')).rejects.toMatchObject(MUST_BE_OWNER);
    await expect(ingest.query('ALTER TABLE records ADD COLUMN x int')).rejects.toMatchObject(MUST_BE_OWNER);
    await expect(ingest.query('TRUNCATE records')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query("UPDATE records SET type = 'x'")).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('DELETE FROM records')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('CREATE TABLE public.evil (x int)')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('CREATE TEMP TABLE evil (x int)')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('CREATE SCHEMA evil')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('SELECT * FROM other_app.secrets')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('SELECT * FROM dead_letters')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(ingest.query('SELECT * FROM flota_migrations')).rejects.toMatchObject(PERMISSION_DENIED);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM records')).rows[0]).toEqual({ n: 1 });
  });

  test('the API reads records through its queries but cannot INSERT, change data or run DDL', async () => {
    await storeRecords(db.pool, [message('a1'), message('a2')]);
    const api = poolAs(DB_ROLE.api);
    const queries = createRecordQueries(api);
    expect(await queries.getRecord('a1')).toMatchObject({ id: 'a1' });
    expect((await queries.listRecords({ limit: 10 })).hasMore).toBe(false);
    await queries.ping(1000);

    await expect(api.query("INSERT INTO records (id, type, occurred_at, payload, message_id) VALUES ('x', 't', now(), '{}', 'm')")).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query("COPY records (id) FROM STDIN")).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query("UPDATE records SET type = 'x'")).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('DELETE FROM records')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('TRUNCATE records')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('DROP TABLE records')).rejects.toMatchObject(MUST_BE_OWNER);
    await expect(api.query('ALTER TABLE records ADD COLUMN x int')).rejects.toMatchObject(MUST_BE_OWNER);
    await expect(api.query('CREATE INDEX evil ON records (type)')).rejects.toMatchObject(MUST_BE_OWNER);
    await expect(api.query('CREATE TABLE public.evil (x int)')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('CREATE TEMP TABLE evil (x int)')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('CREATE SCHEMA evil')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('SELECT * FROM other_app.secrets')).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(api.query('SELECT * FROM dead_letters')).rejects.toMatchObject(PERMISSION_DENIED);
  });

  test('re-running the migrations (and the roles step) changes nothing and keeps every grant', async () => {
    const again = await migrate(db.pool);
    expect(again.applied).toEqual([]);
    const { rows } = await db.pool.query<{ grantee: string; privilege_type: string }>(
      "SELECT grantee, privilege_type FROM information_schema.role_table_grants WHERE table_name = 'records' AND grantee <> $1 ORDER BY grantee, privilege_type",
      [DB_ROLE.owner],
    );
    expect(rows).toEqual([
      { grantee: DB_ROLE.api, privilege_type: 'SELECT' },
      { grantee: DB_ROLE.ingest, privilege_type: 'INSERT' },
      { grantee: DB_ROLE.ingest, privilege_type: 'SELECT' },
    ]);
  });
});
