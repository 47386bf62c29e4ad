import { MIGRATIONS, migrationNames, migrationsChecksum, type Migration } from '../migrations';
import { createTestDatabase, type TestDatabase } from '../../testing/database';
import { createPool } from './db';
import { MIGRATIONS_TABLE, MigrationError, migrate } from './migrations';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterEach(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('applies every migration once and reports the newest as current', async () => {
    const lines: string[] = [];
    const first = await migrate(db.pool, { log: (line) => lines.push(line) });
    expect(first.applied).toEqual(migrationNames());
    expect(first.current).toBe(migrationNames().at(-1));
    expect(first.checksum).toBe(migrationsChecksum());
    expect(lines).toHaveLength(MIGRATIONS.length);

    const tables = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['dead_letters', MIGRATIONS_TABLE, 'records']);
  });

  it('is idempotent: a second run applies nothing', async () => {
    await migrate(db.pool);
    const second = await migrate(db.pool);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(migrationNames().at(-1));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`);
    expect(rows[0].n).toBe(MIGRATIONS.length);
  });

  it('is safe with two migrators at once: the second waits for the lock, then applies nothing', async () => {
    const other = createPool({ connectionString: db.url, max: 1 });
    try {
      const results = await Promise.all([migrate(db.pool), migrate(other), migrate(db.pool)]);
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(migrationNames());
      expect(results.map((r) => r.current)).toEqual(results.map(() => migrationNames().at(-1)));
    } finally {
      await other.end();
    }
  });

  it('fails if an applied migration was edited, naming it and the fix', async () => {
    await migrate(db.pool);
    const edited: Migration[] = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(db.pool, { migrations: edited })).rejects.toThrow(
      /migration 0001-create-records was edited after it was applied.*add a new migration instead/,
    );
  });

  it('fails if the database has a migration the code does not know', async () => {
    await migrate(db.pool);
    await expect(migrate(db.pool, { migrations: MIGRATIONS.slice(0, 1) })).rejects.toThrow(
      /database has migration 0002-create-dead-letters, which this code does not know/,
    );
  });

  it('rolls back a failing migration entirely and names it', async () => {
    const broken: Migration[] = [
      ...MIGRATIONS,
      { name: '9999-broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();', checksum: 'x' },
    ];
    const error = await migrate(db.pool, { migrations: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 9999-broken failed and was rolled back: function no_such_function\(\) does not exist/);
    const { rows } = await db.pool.query(`SELECT to_regclass('half_done') AS t`);
    expect(rows[0].t).toBeNull();
    // The earlier migrations stay applied, and the pool still works.
    expect((await migrate(db.pool)).applied).toEqual([]);
  });
});

describe('migrationsChecksum', () => {
  it('is a deterministic sha256 that changes when any migration changes', () => {
    expect(migrationsChecksum()).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationsChecksum()).toBe(migrationsChecksum([...MIGRATIONS]));
    const changed = MIGRATIONS.map((m, i) => (i === 1 ? { ...m, checksum: '0'.repeat(64) } : m));
    expect(migrationsChecksum(changed)).not.toBe(migrationsChecksum());
  });

  it('lists migrations sorted by name', () => {
    expect(migrationNames()).toEqual([...migrationNames()].sort());
  });
});
