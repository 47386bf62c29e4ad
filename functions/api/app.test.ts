import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Pool } from 'pg';
import { createApiApp, type ApiDependencies, type RequestObservation } from './app';
import { requireApiKeyHeader } from './auth';
import { deriveCursorKey, encodeCursor } from './cursor';
import { createSnsPublisher } from './publisher';
import { createRecordQueries } from './queries';
import { throttle, TokenBucket } from './rate-limit';
import { expectNoDatabaseErrorText, recordingErrors, seedRecords } from './test-support';
import { useTestDatabase } from '../../testing/use-database';
import { validateRecord, validateRecordFor } from './validate';
import { storeRecords } from '../ingest/store';
import { isDatabaseUnavailable } from '../shared/db';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:flota-acme-records';
const sns = new SNSClient({ region: 'eu-west-1' });
const snsMock = mockClient(sns);
const cursorKey = deriveCursorKey('test-secret', 'acme');

const db = useTestDatabase();
beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
});

// Every error body of every test in this file is checked for database error text once they have all run.
afterAll(() => expectNoDatabaseErrorText(40));

function app(overrides: Partial<ApiDependencies> = {}) {
  return recordingErrors(createApiApp({
    tenantId: 'acme',
    queries: createRecordQueries(db.pool),
    publish: createSnsPublisher(TOPIC, async () => ({ client: sns, PublishCommand })),
    validateRecord,
    cursorKey,
    maxBodyBytes: 1024,
    isDatabaseUnavailable,
    ...overrides,
  }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
async function json(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

/** No error body may leak internals: no stack frames, no source paths. */
function expectNoLeak(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.[jt]s:\d+|"stack"/i);
}

const VALID = { id: 'order-1', type: 'order.created', occurredAt: '2026-11-26T09:00:00Z', payload: { total: 12.5 } };

describe('GET /v1/records (keyset pagination)', () => {
  beforeAll(async () => {
    await db.pool.query('TRUNCATE records');
    await seedRecords(db.pool, 10_000, 'walk');
  });

  it('walks 10,000 records with no gaps or repeats while records are inserted concurrently', async () => {
    const api = app();
    const seen: string[] = [];
    let positions: string[] = [];
    let inserting = true;
    let inserted = 0;
    // Writers add records before, inside and after the walked range while pages are read.
    const writer = (async () => {
      while (inserting) {
        const n = inserted++;
        const at = new Date(Date.parse('2026-01-01T00:00:00Z') + ((n * 7919) % 3000)).toISOString();
        await db.pool.query(
          `INSERT INTO records (id, type, occurred_at, payload, message_id) VALUES ($1, 'late', $2, '{}', 'm')`,
          [`late-${String(n).padStart(6, '0')}`, at],
        );
      }
    })();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.request(`/v1/records?limit=337${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const { status, body } = await json(res);
      expect(status).toBe(200);
      for (const item of body.items) seen.push(item.id);
      positions = positions.concat(body.items.map((i: { occurredAt: string; id: string }) => `${i.occurredAt}|${i.id}`));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 1000);
    inserting = false;
    await writer;

    expect(inserted).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length); // no repeats
    const walked = new Set(seen);
    for (let g = 1; g <= 10_000; g++) expect(walked.has(`walk-${String(g).padStart(6, '0')}`)).toBe(true); // no gaps
    // Strictly ascending by (occurredAt, id): the order the cursor relies on.
    const { rows } = await db.pool.query<{ ok: boolean }>(
      `SELECT bool_and(ordinality = rn) AS ok FROM (
         SELECT ordinality, row_number() OVER (ORDER BY r.occurred_at, r.id) AS rn
         FROM unnest($1::text[]) WITH ORDINALITY AS w(id, ordinality) JOIN records r USING (id)) t`,
      [seen],
    );
    expect(rows[0]?.ok).toBe(true);
  });

  it('never lists smoke records (their own partition), while GET by id still reads them for the smoke check', async () => {
    const smoke = (id: string, occurredAt: string) => ({
      messageId: `m-${id}`,
      record: { id, type: 'flota.smoke', occurredAt, payload: { smoke: true } },
      payloadJson: '{"smoke":true}',
      sentAt: Date.parse(occurredAt),
    });
    // One inside the seeded range (between pages), one alone in a range of its own.
    await storeRecords(db.pool, [smoke('smoke-in-walk', '2026-01-01T00:00:00.100Z'), smoke('smoke-alone', '1990-01-01T00:00:00Z')]);
    try {
      const api = app();
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await json(await api.request(`/v1/records?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
        listed.push(...(page.body.items as { id: string }[]).map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(listed.filter((id) => id.startsWith('smoke-'))).toEqual([]);
      expect(listed.filter((id) => id.startsWith('walk-'))).toHaveLength(10_000);
      const alone = await json(await api.request('/v1/records?from=1990-01-01T00:00:00Z&to=1990-01-02T00:00:00Z'));
      expect(alone.body).toEqual({ items: [], nextCursor: null });
      expect((await json(await api.request('/v1/records/smoke-alone'))).body).toMatchObject({ id: 'smoke-alone', type: 'flota.smoke' });
    } finally {
      await db.pool.query("DELETE FROM records WHERE type = 'flota.smoke'");
    }
  });

  it('defaults to 100 items and returns a cursor while more remain', async () => {
    const { body } = await json(await app().request('/v1/records'));
    expect(body.items).toHaveLength(100);
    expect(typeof body.nextCursor).toBe('string');
    expect(Object.keys(body.items[0]).sort()).toEqual(['id', 'ingestedAt', 'messageId', 'occurredAt', 'payload', 'publishedAt', 'type']);
  });

  it('serializes list items exactly like GET /v1/records/{id} (both the shared StoredRecord shape)', async () => {
    await db.pool.query(
      `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at) VALUES
       ('shape-1', 't', '1999-12-31T23:59:59.9996Z', '{"z": [1, {"b": null}], "a": "\u00e9"}', 'm', '2000-01-01T00:00:00.5Z')`,
    );
    const api = app();
    const list = await json(await api.request('/v1/records?from=1999-12-31T00:00:00Z&to=2000-01-01T00:00:00Z'));
    const one = await json(await api.request('/v1/records/shape-1'));
    expect(list.body.items).toEqual([one.body]);
    expect(one.body).toMatchObject({ occurredAt: '1999-12-31T23:59:59.999Z', publishedAt: '2000-01-01T00:00:00.500Z', payload: { z: [1, { b: null }], a: 'é' } });
    await db.pool.query(`DELETE FROM records WHERE id = 'shape-1'`);
  });

  it('serializes a whole-second timestamp, a null publishedAt and escapes in strings like GET /v1/records/{id}', async () => {
    await db.pool.query(
      `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at) VALUES
       ('shape-2', 'quote"type', '1998-06-01T10:00:00Z', '{"s": "line\\nbreak \\"q\\" \\u0001"}', 'm\\1', NULL)`,
    );
    const api = app();
    const list = await json(await api.request('/v1/records?from=1998-06-01T00:00:00Z&to=1998-06-02T00:00:00Z'));
    const one = await json(await api.request('/v1/records/shape-2'));
    expect(list.body.items).toEqual([one.body]);
    expect(one.body).toMatchObject({ type: 'quote"type', occurredAt: '1998-06-01T10:00:00.000Z', publishedAt: null, messageId: 'm\\1' });
    await db.pool.query(`DELETE FROM records WHERE id = 'shape-2'`);
  });

  it('returns each payload exactly as ingest stored it: same bytes in the list, same key order in both routes', async () => {
    // jsonb would have re-ordered these keys (shorter first) and re-spaced the text; the json column keeps both.
    const payload = { zz: 1, a: { yy: [1.5, 'x'], b: null }, é: 'é "q"' };
    const payloadJson = JSON.stringify(payload); // what ingest stores (parse.ts)
    const stored = await storeRecords(db.pool, [
      { messageId: 'm-exact', record: { id: 'exact-1', type: 't', occurredAt: '1997-03-01T10:00:00.000Z', payload }, payloadJson, sentAt: null },
    ]);
    expect(stored.stored).toHaveLength(1);
    const api = app();
    const listText = await (await api.request('/v1/records?from=1997-03-01T00:00:00Z&to=1997-03-02T00:00:00Z')).text();
    expect(listText).toContain(`"payload":${payloadJson},`);
    const oneText = await (await api.request('/v1/records/exact-1')).text();
    expect(oneText).toContain(`"payload":${payloadJson},`);
    await db.pool.query(`DELETE FROM records WHERE id = 'exact-1'`);
  });

  it('filters by from (inclusive) and to (exclusive) and keeps the range in the cursor', async () => {
    const api = app();
    const range = 'from=2026-01-01T00:00:00.100Z&to=2026-01-01T00:00:00.110Z';
    const first = await json(await api.request(`/v1/records?limit=15&${range}`));
    expect(first.status).toBe(200);
    const ids: string[] = first.body.items.map((i: { id: string }) => i.id);
    let cursor = first.body.nextCursor;
    while (cursor !== null) {
      const page = await json(await api.request(`/v1/records?limit=15&cursor=${encodeURIComponent(cursor)}`));
      ids.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    }
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM records WHERE occurred_at >= '2026-01-01T00:00:00.100Z' AND occurred_at < '2026-01-01T00:00:00.110Z' ORDER BY occurred_at, id`,
    );
    expect(ids).toEqual(rows.map((r) => r.id));
    // 10 ms × 4 seeded records per ms
    expect(ids.filter((id) => id.startsWith('walk-'))).toHaveLength(40);
  });

  it('ends with nextCursor null on the last page', async () => {
    const { body } = await json(await app().request('/v1/records?limit=1000&from=2026-01-01T00:00:00.500Z&to=2026-01-01T00:00:00.501Z'));
    // ids 2000..2003 sit at .500 ms; odd ones 1 µs later, so the even ones come first
    expect(body.items.map((i: { id: string }) => i.id).filter((id: string) => id.startsWith('walk-'))).toEqual(['walk-002000', 'walk-002002', 'walk-002001', 'walk-002003']);
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'invalid_limit', /'limit' must be an integer from 1 to 1000 \(got '0'\)/],
    ['limit=1001', 'invalid_limit', /got '1001'/],
    ['limit=ten', 'invalid_limit', /got 'ten'/],
    ['limit=-5', 'invalid_limit', /got '-5'/],
    ['from=yesterday', 'invalid_time_range', /'from' must be an ISO-8601 timestamp/],
    ['to=2026-01-01T00:00:00', 'invalid_time_range', /'to' must be an ISO-8601 timestamp with a time zone/],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'invalid_time_range', /must be earlier than 'to'/],
    ['from=2026-02-30T00:00:00Z', 'invalid_parameter', /'from' or 'to' is not a real date or time/],
    ['to=2026-04-31T24:00:00Z', 'invalid_parameter', /'from' or 'to' is not a real date or time/],
    ['Limit=10', 'unknown_parameter', /unknown query parameter\(s\) 'Limit'/],
  ])('fails with 400 for %s', async (query, code, message) => {
    const { status, body } = await json(await app().request(`/v1/records?${query}`));
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expectNoLeak(body);
  });

  describe('fails with 400 for a tampered cursor', () => {
    let cursor: string;
    beforeAll(async () => {
      cursor = (await json(await app().request('/v1/records?limit=5'))).body.nextCursor;
    });
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    it.each<[string, (c: string) => string]>([
      ['payload edited', (c) => flip(c, 3)],
      ['signature edited', (c) => flip(c, c.length - 2)],
      ['truncated', (c) => c.slice(0, c.length - 5)],
      ['garbage', () => 'not-a-cursor'],
      ['empty parts', () => '.'],
      ['forged payload signed with another tenant key', () =>
        encodeCursor(deriveCursorKey('test-secret', 'globex'), { occurredAt: '2026-01-01T00:00:00Z', id: 'x' })],
      ['re-encoded payload without a valid MAC', (c) =>
        `${Buffer.from(JSON.stringify({ v: 1, t: '1970-01-01T00:00:00Z', i: '' })).toString('base64url')}.${c.split('.')[1]}`],
    ])('%s', async (_name, tamper) => {
      const { status, body } = await json(await app().request(`/v1/records?cursor=${encodeURIComponent(tamper(cursor))}`));
      expect(status).toBe(400);
      expect(body.error.code).toBe('invalid_cursor');
      expect(body.error.message).toMatch(/omit it to start from the first page/);
    });

    it('when the range differs from the one the cursor was issued for', async () => {
      const { status, body } = await json(await app().request(`/v1/records?cursor=${encodeURIComponent(cursor)}&from=2026-01-01T00:00:00Z`));
      expect(status).toBe(400);
      expect(body.error.code).toBe('cursor_range_mismatch');
    });
  });
});

describe('GET /v1/records/{id}', () => {
  it('returns the record', async () => {
    await db.pool.query(`INSERT INTO records (id, type, occurred_at, payload, message_id) VALUES ('one', 't', '2026-03-01T10:00:00.123Z', '{"a":1}', 'm1') ON CONFLICT DO NOTHING`);
    const { status, body } = await json(await app().request('/v1/records/one'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'one', type: 't', occurredAt: '2026-03-01T10:00:00.123Z', payload: { a: 1 }, messageId: 'm1' });
  });

  it('fails with 404 for an unknown id', async () => {
    const { status, body } = await json(await app().request('/v1/records/nope'));
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'record_not_found', message: "no record with id 'nope'" });
  });

  it('fails with 400 for an id the schema cannot hold', async () => {
    const { status, body } = await json(await app().request(`/v1/records/${encodeURIComponent('a b')}`));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_id');
  });
});

describe('unknown routes', () => {
  it.each([['GET', '/v2/records'], ['DELETE', '/v1/records/one'], ['GET', '/']])('%s %s → JSON 404', async (method, path) => {
    const { status, body } = await json(await app().request(path, { method }));
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('POST /v1/records', () => {
  const post = (api: ReturnType<typeof app>, body: string, headers: Record<string, string> = {}) =>
    api.request('/v1/records', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('publishes the record to the tenant topic and returns 202 with the message id', async () => {
    const { status, body } = await json(await post(app(), JSON.stringify(VALID)));
    expect(status).toBe(202);
    expect(body).toEqual({ messageId: 'sns-message-1', id: 'order-1' });
    const calls = snsMock.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TopicArn).toBe(TOPIC);
    expect(JSON.parse(calls[0]!.args[0].input.Message!)).toEqual(VALID);
    expect(calls[0]!.args[0].input.MessageAttributes?.recordType?.StringValue).toBe('order.created');
  });

  it('fails with 400 naming each invalid field, and publishes nothing', async () => {
    const { status, body } = await json(await post(app(), JSON.stringify({ id: 'x y', type: 't', occurredAt: 'soon', payload: [] })));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_record');
    expect(body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['id', 'occurredAt', 'payload']);
    expect(body.error.message).toMatch(/occurredAt: .*ISO-8601.*\(got "soon"\)/);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("fails with 400 for a record its tenant's policy refuses (type, payload size), in ingest's words, and publishes nothing", async () => {
    const strict = app({ validateRecord: validateRecordFor({ types: ['order.*'], maxPayloadBytes: 64 }, 'acme') });
    expect((await post(strict, JSON.stringify(VALID))).status).toBe(202);
    const { status, body } = await json(await post(strict, JSON.stringify({ ...VALID, type: 'refund.issued', payload: { note: 'x'.repeat(80) } })));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_record');
    expect(body.error.details.issues).toEqual([
      {
        path: 'type',
        message:
          'type "refund.issued" is not accepted by tenant acme (accepted: order.*); publish one of those types, or add it to records.types in tenants/acme.yaml',
      },
      { path: 'payload', message: 'payload is 91 bytes as JSON; tenant acme accepts at most 64 (records.maxPayloadBytes in tenants/acme.yaml)' },
    ]);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1); // only the accepted one
  });

  it('fails with 400 for a body that is not JSON', async () => {
    const { status, body } = await json(await post(app(), '{"id": '));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_json');
  });

  it('fails with 413 for a body larger than maxBodyBytes', async () => {
    const big = JSON.stringify({ ...VALID, payload: { blob: 'x'.repeat(2000) } });
    const { status, body } = await json(await post(app(), big));
    expect(status).toBe(413);
    expect(body.error.code).toBe('body_too_large');
    expect(body.error.message).toMatch(/exceeds 1024 bytes/);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails with 503 + Retry-After when SNS throttles', async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const { status, body, headers } = await json(await post(app(), JSON.stringify(VALID)));
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('2');
    expect(body.error.code).toBe('publish_unavailable');
  });

  it('fails with 500 without leaking the SNS error when publishing is denied', async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('User arn:aws:iam::123:role/x is not authorized'), { name: 'AuthorizationErrorException' }));
    const logged: unknown[] = [];
    const { status, body } = await json(await post(app({ logError: (m, f) => logged.push([m, f]) }), JSON.stringify(VALID)));
    expect(status).toBe(500);
    expect(body.error.code).toBe('publish_failed');
    expect(JSON.stringify(body)).not.toMatch(/arn:aws|not authorized/);
    expect(JSON.stringify(logged)).toMatch(/not authorized/);
  });
});

describe('SQL injection strings are inert in every parameter', () => {
  const INJECTIONS = [
    "'; DROP TABLE records; --",
    "' OR '1'='1",
    '1; SELECT pg_sleep(5)',
    "1) UNION SELECT id, type, occurred_at, payload, message_id, published_at, ingested_at FROM records --",
    '$1',
    '\\x00',
  ];
  let before: number;
  beforeAll(async () => {
    before = Number((await db.pool.query('SELECT count(*) FROM records')).rows[0].count);
  });
  afterAll(async () => {
    const after = Number((await db.pool.query('SELECT count(*) FROM records')).rows[0].count);
    expect(after).toBe(before); // the table still exists and nothing was removed
  });

  it.each(INJECTIONS)('%s', async (evil) => {
    const api = app();
    const e = encodeURIComponent(evil);
    for (const path of [`/v1/records/${e}`, `/v1/records?limit=${e}`, `/v1/records?from=${e}`, `/v1/records?to=${e}`, `/v1/records?cursor=${e}`, `/v1/records?${e}=1`]) {
      const { status, body } = await json(await api.request(path));
      expect([400, 404]).toContain(status);
      expectNoLeak(body);
    }
    // A validly signed cursor carrying the string (what a leaked key would allow) is still only a bound parameter.
    const forged = encodeCursor(cursorKey, { occurredAt: '2026-01-01T00:00:00Z', id: evil });
    const page = await json(await api.request(`/v1/records?limit=2&cursor=${encodeURIComponent(forged)}`));
    expect(page.status).toBe(200);
    // Straight into the query layer, bypassing validation: bound parameters, so no row matches and nothing runs.
    const queries = createRecordQueries(db.pool);
    await expect(queries.getRecord(evil)).resolves.toBeUndefined();
    await expect(queries.listRecords({ limit: 5, after: { occurredAt: '2026-01-01T00:00:00Z', id: evil } })).resolves.toBeDefined();
    await expect(queries.listRecords({ limit: 5, from: evil })).rejects.toMatchObject({ code: '22007' });
    // The body: valid apart from the string in type, so it is published verbatim as data.
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    const posted = await json(await api.request('/v1/records', { method: 'POST', body: JSON.stringify({ ...VALID, type: evil.slice(0, 64), payload: { q: evil } }) }));
    expect([202, 400]).toContain(posted.status);
  });
});

describe('errors of the database', () => {
  const deadPool = () => new Pool({ connectionString: 'postgres://postgres:x@127.0.0.1:9/none', connectionTimeoutMillis: 500 });

  it.each(['/health', '/v1/records', '/v1/records/one'])('GET %s fails with 503 + Retry-After when the database is unreachable', async (path) => {
    const pool = deadPool();
    const { status, body, headers } = await json(await app({ queries: createRecordQueries(pool) }).request(path));
    await pool.end();
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('5');
    expect(body.error.code).toBe('database_unavailable');
    expectNoLeak(body);
  });

  it('GET /health answers 200 when the database answers', async () => {
    const { status, body } = await json(await app().request('/health'));
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', tenant: 'acme' });
  });

  it('GET /health fails with 503 when the database does not answer within the timeout', async () => {
    const hung = { query: () => new Promise<never>(() => undefined) };
    const { status } = await json(await app({ queries: createRecordQueries(hung as never), healthTimeoutMs: 50 }).request('/health'));
    expect(status).toBe(503);
  });

  it('answers 500 with a request id and no stack trace for an unexpected error, and logs the stack', async () => {
    const logged: Record<string, unknown>[] = [];
    const broken = createRecordQueries({ query: async () => { throw new TypeError('boom at internal (/srv/x.ts:1:2)'); } } as never);
    const res = await app({ queries: broken, logError: (_m, f) => logged.push(f) }).request('/v1/records');
    const { status, body, headers } = await json(res);
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal_error');
    expect(body.error.requestId).toBe(headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/boom|x\.ts/);
    expectNoLeak(body);
    expect(JSON.stringify(logged)).toMatch(/boom/);
  });
});

describe('authentication and throttling (dev fleet middleware)', () => {
  it('fails with 401 without x-api-key and 403 with a wrong one', async () => {
    const api = app({ authenticate: requireApiKeyHeader('dev-key-acme') });
    const missing = await json(await api.request('/v1/records'));
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_api_key');
    const wrong = await json(await api.request('/v1/records', { headers: { 'x-api-key': 'dev-key-globex' } }));
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_api_key');
    const ok = await api.request('/v1/records?limit=1', { headers: { 'x-api-key': 'dev-key-acme' } });
    expect(ok.status).toBe(200);
  });

  it('fails with 429 + Retry-After once the burst is spent, then recovers', async () => {
    let now = 0;
    const api = app({ throttle: throttle(new TokenBucket({ ratePerSecond: 2, burst: 3, now: () => now })) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.request('/health')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await json(await api.request('/health'));
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.error.code).toBe('too_many_requests');
    now += 500;
    expect((await api.request('/health')).status).toBe(200);
  });
});

describe('observations for metrics', () => {
  it('reports route pattern, status and latency of every request', async () => {
    const seen: RequestObservation[] = [];
    const api = app({ observe: (o) => seen.push(o) });
    await api.request('/v1/records/one');
    await api.request('/v1/records?limit=0');
    expect(seen.map((o) => [o.route, o.status])).toEqual([['/v1/records/:id', 200], ['/v1/records', 400]]);
    expect(seen.every((o) => o.latencyMs >= 0)).toBe(true);
  });
});

describe('responses over node http (the dev fleet and bench:api serve the app this way)', () => {
  it('sends pages and errors with Content-Length (not chunked) and the request id', async () => {
    const { createServer } = await import('node:http');
    const { getRequestListener } = await import('@hono/node-server');
    const server = createServer(getRequestListener(app({ authenticate: requireApiKeyHeader('k') }).fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      for (const [path, status] of [['/v1/records?limit=5', 200], ['/v1/records?limit=0', 400], ['/nope', 404]] as const) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-api-key': 'k' } });
        const text = await res.text();
        expect([path, res.status]).toEqual([path, status]);
        expect(res.headers.get('transfer-encoding')).toBeNull();
        expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
