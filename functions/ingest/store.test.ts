import { useTestDatabase } from '../../testing/use-database';
import { createTestDatabase } from '../../testing/database';
import type { AcceptedMessage } from './parse';
import { createPool } from '../shared/db';
import { COPY_MIN_BATCH, storeRecords } from './store';

const db = useTestDatabase({ truncateRecords: true });

function message(id: string, overrides: Partial<AcceptedMessage> = {}): AcceptedMessage {
  return {
    messageId: `m-${id}`,
    record: { id, type: 't', occurredAt: '2026-11-26T09:00:00Z', payload: { id } },
    payloadJson: JSON.stringify({ id }),
    sentAt: Date.parse('2026-11-26T09:00:01Z'),
    ...overrides,
  };
}

describe('storeRecords — COPY fast path (batches of COPY_MIN_BATCH or more)', () => {
  const batch = (prefix: string, n = COPY_MIN_BATCH) => Array.from({ length: n }, (_, i) => message(`${prefix}${i}`));

  it('writes a batch of fresh records with COPY, text escaping included', async () => {
    const messages = batch('c');
    messages[0] = message('c0', {
      record: { ...message('c0').record, type: 'tab\there\\ and\nnewline' },
      payloadJson: JSON.stringify({ text: 'back\\slash \t tab \n newline "quote"' }),
      messageId: 'm-\t\\weird',
    });
    const result = await storeRecords(db.pool, messages);
    expect(result.method).toBe('copy');
    expect(result.stored).toHaveLength(COPY_MIN_BATCH);
    const { rows } = await db.pool.query(`SELECT type, payload, message_id, published_at FROM records WHERE id = 'c0'`);
    expect(rows[0]).toEqual({
      type: 'tab\there\\ and\nnewline',
      payload: { text: 'back\\slash \t tab \n newline "quote"' },
      message_id: 'm-\t\\weird',
      published_at: new Date('2026-11-26T09:00:01Z'),
    });
  });

  it('falls back to INSERT … ON CONFLICT when some ids are already stored, storing only the new ones', async () => {
    await storeRecords(db.pool, batch('o', 10));
    const result = await storeRecords(db.pool, batch('o'));
    expect(result.method).toBe('insert');
    expect(result.duplicates).toHaveLength(10);
    expect(result.stored).toHaveLength(COPY_MIN_BATCH - 10);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(rows[0].n).toBe(COPY_MIN_BATCH);
  });

  it('falls back and bisects when COPY is refused because of one row, and the connection stays usable', async () => {
    const single = createPool({ connectionString: db.url, max: 1 });
    try {
      const messages = batch('d');
      messages[42] = message('bad', { payloadJson: '{"a":' });
      const result = await storeRecords(single, messages);
      expect(result.method).toBe('insert');
      expect(result.rejected.map((r) => r.messageId)).toEqual(['m-bad']);
      expect(result.stored).toHaveLength(COPY_MIN_BATCH - 1);
      await expect(single.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    } finally {
      await single.end();
    }
  });

  it('stores each record once when two overlapping batches are written concurrently', async () => {
    const first = batch('x', 300);
    const second = [...batch('x', 300).slice(150), ...batch('y', 150)];
    const results = await Promise.all([storeRecords(db.pool, first), storeRecords(db.pool, second)]);
    const storedIds = results.flatMap((r) => r.stored.map((m) => m.record.id));
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(storedIds).toHaveLength(450);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(rows[0].n).toBe(450);
  });
});

describe('storeRecords — INSERT path', () => {
  it('inserts new records and reports already-stored ones as duplicates', async () => {
    const first = await storeRecords(db.pool, [message('a'), message('b')]);
    expect(first.stored.map((m) => m.record.id)).toEqual(['a', 'b']);
    const second = await storeRecords(db.pool, [message('b'), message('c')]);
    expect(second.stored.map((m) => m.record.id)).toEqual(['c']);
    expect(second.duplicates.map((m) => m.record.id)).toEqual(['b']);
    const { rows } = await db.pool.query(`SELECT published_at FROM records WHERE id = 'a'`);
    expect(rows[0].published_at).toEqual(new Date('2026-11-26T09:00:01Z'));
  });

  it('stores a null publish time when SentTimestamp was missing', async () => {
    await storeRecords(db.pool, [message('n', { sentAt: null })]);
    const { rows } = await db.pool.query(`SELECT published_at FROM records WHERE id = 'n'`);
    expect(rows[0].published_at).toBeNull();
  });

  it('bisects a batch the database refuses, rejecting only the rows it refuses and storing all others', async () => {
    // Values that bypassed validation (e.g. another writer's bug): a payload that is not an object (CHECK, 23514), JSON
    // cut short (22P02; it also breaks the batch's JSON array, so the whole statement fails) and an impossible date (22008).
    const messages = Array.from({ length: 20 }, (_, i) => message(`r${i}`));
    messages[3] = message('bad-json', { payloadJson: '[1]' });
    messages[9] = message('cut-json', { payloadJson: '{"a":' });
    messages[15] = message('bad-date', { record: { ...message('bad-date').record, occurredAt: '2026-02-30T00:00:00Z' } });
    const result = await storeRecords(db.pool, messages);
    expect(result.rejected.map((r) => r.messageId).sort()).toEqual(['m-bad-date', 'm-bad-json', 'm-cut-json']);
    expect(result.rejected.find((r) => r.messageId === 'm-bad-json')?.reason).toMatch(/^database refused the record: .*records_payload_check.*\[SQLSTATE 23514\]$/);
    expect(result.rejected.find((r) => r.messageId === 'm-cut-json')?.reason).toMatch(/^database refused the record: invalid input syntax for type json.*\[SQLSTATE 22P02\]$/);
    expect(result.stored).toHaveLength(17);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(rows[0].n).toBe(17);
  });

  it('propagates errors that are not about the data (e.g. schema missing) so the batch is retried', async () => {
    const bare = await createTestDatabase({ migrate: false });
    try {
      await expect(storeRecords(bare.pool, [message('x')])).rejects.toThrow(/relation "records" does not exist/);
    } finally {
      await bare.drop();
    }
  });
});
