/**
 * The records table as the migrations leave it, on a real PostgreSQL: its CHECKs agree with the message schema, and the
 * id orders bytewise whatever the database's default collation (RDS creates databases with en_US.UTF-8, the tests and the
 * dev fleet with C).
 */
import fc from 'fast-check';
import { isRecordId, MAX_RECORD_ID_LENGTH } from '../../contract/record';
import { migrate } from '../shared/migrations';
import { createTestDatabase, type TestDatabase } from '../../testing/database';
import { MIGRATIONS } from './index';

/** An ICU en-US default collation: case- and punctuation-insensitive at first level, like RDS's en_US.UTF-8. */
const EN_US = `LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0`;

const databases: TestDatabase[] = [];
async function database(options: Parameters<typeof createTestDatabase>[0] = {}): Promise<TestDatabase> {
  const db = await createTestDatabase(options);
  databases.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

async function insertId(db: TestDatabase, id: string, occurredAt = '2026-11-26T09:00:00Z'): Promise<void> {
  await db.pool.query(`INSERT INTO records (id, type, occurred_at, payload, message_id) VALUES ($1, 't', $2, '{}', 'm')`, [id, occurredAt]);
}

async function idsInKeysetOrder(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM records ORDER BY occurred_at, id');
  return rows.map((r) => r.id);
}

const IDS = ['b', 'B', 'a-2', 'A-1', 'a_1', 'a.1', 'Z', '0', 'a:1', 'ab'];
/** Byte order of ASCII strings = UTF-16 code-unit order = JavaScript's default sort. */
const BYTEWISE = [...IDS].sort();

describe('records.id', () => {
  it('refuses exactly the ids the message schema refuses (property: CHECK ⇔ isRecordId)', async () => {
    const db = await database();
    const idChars = fc.constantFrom(...'Az09._:-', ' ', '/', 'é', '\u00a0', '%', '\n', "'");
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: idChars, minLength: 0, maxLength: 12 }),
          fc.string({ unit: fc.constantFrom(...'aZ5.'), minLength: MAX_RECORD_ID_LENGTH - 1, maxLength: MAX_RECORD_ID_LENGTH + 1 }),
        ),
        async (candidate) => {
          // Unique per run: the property is about the CHECK, not about duplicates.
          const id = candidate.length > 0 && isRecordId(candidate) ? candidate.slice(0, MAX_RECORD_ID_LENGTH - 6) + `-${String(n++).padStart(5, '0')}` : candidate;
          const outcome = await insertId(db, id).then(
            () => 'stored',
            (error: { code?: string; constraint?: string }) => `${error.code}:${error.constraint}`,
          );
          expect(outcome).toBe(isRecordId(id) ? 'stored' : '23514:records_id_check');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts 128 characters and refuses 129, and refuses the empty id', async () => {
    const db = await database();
    await expect(insertId(db, 'x'.repeat(128))).resolves.toBeUndefined();
    await expect(insertId(db, 'y'.repeat(129))).rejects.toMatchObject({ code: '23514', constraint: 'records_id_check' });
    await expect(insertId(db, '')).rejects.toMatchObject({ code: '23514', constraint: 'records_id_check' });
  });

  it('orders bytewise (keyset pagination order) even in a database whose default collation is en-US', async () => {
    const db = await database({ createOptions: EN_US });
    for (const id of IDS) await insertId(db, id);
    expect(await idsInKeysetOrder(db)).toEqual(BYTEWISE);
    // A keyset page boundary between two ties: the rest of the page is exactly what follows in byte order.
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM records WHERE (occurred_at, id) > ($1::timestamptz, $2) ORDER BY occurred_at, id LIMIT 3`,
      ['2026-11-26T09:00:00Z', 'B'],
    );
    expect(rows.map((r) => r.id)).toEqual(BYTEWISE.slice(BYTEWISE.indexOf('B') + 1, BYTEWISE.indexOf('B') + 4));
  });

  it('migrates an existing table: rows kept, and the en-US order of 0001 becomes byte order', async () => {
    const db = await database({ createOptions: EN_US, migrate: false });
    const before0004 = MIGRATIONS.filter((m) => m.name < '0004');
    await migrate(db.pool, { migrations: before0004 });
    for (const id of IDS) await insertId(db, id);
    const enUsOrder = await idsInKeysetOrder(db);
    expect(enUsOrder).not.toEqual(BYTEWISE); // what production databases did before this migration

    const { applied } = await migrate(db.pool, { migrations: MIGRATIONS.filter((m) => m.name < '0005') });
    expect(applied).toEqual(['0004-record-id-bytewise']);
    expect(await idsInKeysetOrder(db)).toEqual(BYTEWISE);
    await expect(insertId(db, 'a b')).rejects.toMatchObject({ code: '23514', constraint: 'records_id_check' });
    // Both indexes are still there and valid (rebuilt with the new collation).
    const { rows } = await db.pool.query<{ name: string; valid: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'records'::regclass ORDER BY 1`,
    );
    expect(rows).toEqual([
      { name: 'records_occurred_at_id_idx', valid: true },
      { name: 'records_pkey', valid: true },
    ]);
  });
});
