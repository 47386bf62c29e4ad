import { createTestDatabase, type TestDatabase } from '../test/database';
import type { AcceptedMessage } from './parse';
import { storeRecords } from './store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE records');
});

function message(id: string, overrides: Partial<AcceptedMessage> = {}): AcceptedMessage {
  return {
    messageId: `m-${id}`,
    record: { id, type: 't', occurredAt: '2026-11-26T09:00:00Z', payload: { id } },
    payloadJson: JSON.stringify({ id }),
    sentAt: Date.parse('2026-11-26T09:00:01Z'),
    ...overrides,
  };
}

describe('storeRecords', () => {
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
    // Values that bypassed validation (e.g. another writer's bug): a jsonb NUL escape (22P05) and an impossible date (22008).
    const messages = Array.from({ length: 20 }, (_, i) => message(`r${i}`));
    messages[3] = message('bad-json', { payloadJson: '{"a":"\\u0000"}' });
    messages[15] = message('bad-date', { record: { ...message('bad-date').record, occurredAt: '2026-02-30T00:00:00Z' } });
    const result = await storeRecords(db.pool, messages);
    expect(result.rejected.map((r) => r.messageId).sort()).toEqual(['m-bad-date', 'm-bad-json']);
    expect(result.rejected.find((r) => r.messageId === 'm-bad-json')?.reason).toMatch(/^database refused the record: unsupported Unicode escape sequence .*\[SQLSTATE 22P05\]$/);
    expect(result.stored).toHaveLength(18);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(rows[0].n).toBe(18);
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
