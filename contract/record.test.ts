import { ANY_RECORD, compilePolicy, SMOKE_RECORD_TYPE, describeIssues, hasJsonbUnsafeEscape, MAX_PAYLOAD_BYTES, RecordSchema, toStoredRecord } from './record';

const valid = { id: 'order-42', type: 'order.created', occurredAt: '2026-11-26T09:00:00Z', payload: { total: 12.5 } };

function problems(input: unknown): string[] {
  const result = RecordSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error, input);
}

describe('RecordSchema', () => {
  it.each([
    ['a minimal record', valid],
    ['every allowed id character and the longest id', { ...valid, id: 'Az09._:-'.padEnd(128, 'x') }],
    ['an offset timestamp with microseconds', { ...valid, occurredAt: '2026-11-26T09:00:00.123456+05:30' }],
    ['an empty payload object', { ...valid, payload: {} }],
    ['unicode text and a literal backslash-u in the payload', { ...valid, payload: { text: 'Grüße 🚀 \\u0000 is text' } }],
    ['a payload exactly at the size limit', { ...valid, payload: { s: 'x'.repeat(MAX_PAYLOAD_BYTES - 8) } }],
  ])('accepts %s', (_name, input) => {
    expect(problems(input)).toEqual([]);
  });

  // One failing fixture per rule; each message names the field, the rule and the value given.
  it.each([
    ['a missing id', { ...valid, id: undefined }, /^id: id must be a string \(got missing\)$/],
    ['an empty id', { ...valid, id: '' }, /^id: id must not be empty/],
    ['a too long id', { ...valid, id: 'x'.repeat(129) }, /^id: id must be at most 128 characters/],
    ['an id with spaces or quotes', { ...valid, id: "a'b c" }, /^id: id may contain only letters, digits and \. _ : - \(got "a'b c"\)$/],
    ['a numeric id', { ...valid, id: 42 }, /^id: id must be a string \(got 42\)$/],
    ['a missing type', { ...valid, type: undefined }, /^type: type must be a string \(got missing\)$/],
    ['an empty type', { ...valid, type: '' }, /^type: type must not be empty/],
    ['a too long type', { ...valid, type: 't'.repeat(65) }, /^type: type must be at most 64 characters/],
    ['a type with a NUL character', { ...valid, type: 'a\u0000b' }, /^type: type must not contain NUL/],
    ['a type with an unpaired surrogate', { ...valid, type: 'a\ud800' }, /^type: type must not contain NUL characters or unpaired surrogates/],
    ['a timestamp without zone', { ...valid, occurredAt: '2026-11-26T09:00:00' }, /^occurredAt: .*with a time zone.*\(got "2026-11-26T09:00:00"\)$/],
    ['a date only', { ...valid, occurredAt: '2026-11-26' }, /^occurredAt: occurredAt must be an ISO-8601 timestamp/],
    ['an impossible date', { ...valid, occurredAt: '2026-02-30T00:00:00Z' }, /^occurredAt: occurredAt must be an ISO-8601/],
    ['year 0000', { ...valid, occurredAt: '0000-01-01T00:00:00Z' }, /^occurredAt: occurredAt must be between years 0001 and 9999/],
    ['an epoch number', { ...valid, occurredAt: 1764147600 }, /^occurredAt: .*\(got 1764147600\)$/],
    ['a missing payload', { ...valid, payload: undefined }, /^payload: payload must be a JSON object \(got missing\)$/],
    ['an array payload', { ...valid, payload: [1] }, /^payload: payload must be a JSON object \(got an array\)$/],
    ['a string payload', { ...valid, payload: 'hot' }, /^payload: payload must be a JSON object \(got "hot"\)$/],
    ['a null payload', { ...valid, payload: null }, /^payload: payload must be a JSON object \(got null\)$/],
    ['an oversized payload', { ...valid, payload: { s: 'x'.repeat(MAX_PAYLOAD_BYTES) } }, /^payload: payload must be at most 204800 bytes as JSON \(got an object\)$/],
    ['a payload with multi-byte text over the byte limit', { ...valid, payload: { s: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) } }, /payload must be at most 204800 bytes/],
    ['a payload with a NUL character', { ...valid, payload: { k: 'a\u0000' } }, /^payload: payload must not contain NUL characters/],
    ['a payload key with a NUL character', { ...valid, payload: { 'k\u0000': 1 } }, /^payload: payload must not contain NUL characters/],
    ['a payload with an unpaired surrogate', { ...valid, payload: { k: '\udc00' } }, /unpaired surrogates/],
    ['a payload nested 65 levels', { ...valid, payload: JSON.parse('{"a":'.repeat(65) + '1' + '}'.repeat(65)) }, /^payload: payload must not nest objects\/arrays more than 64 levels deep/],
    ['an unknown top-level field', { ...valid, occured_at: 'typo' }, /^occured_at: unknown field .*nest extra data in payload/],
    ['a non-object record', 'order-42', /^\(record\): .*\(got "order-42"\)$/],
  ])('rejects %s', (_name, input, message) => {
    const found = problems(input);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('reports every problem of a record at once', () => {
    expect(problems({ id: '', type: '', occurredAt: 'yesterday', payload: [] })).toHaveLength(4);
  });
});

describe('hasJsonbUnsafeEscape', () => {
  it.each([
    ['{"a":"\\u0000"}', true],
    ['{"a":"\\\\u0000"}', false],
    ['{"a":"\\\\\\u0000"}', true],
    ['{"a":"\\ud83d"}', true],
    ['{"a":"\\u00e9"}', false],
    ['{"a":"plain"}', false],
  ])('%s → %s', (json, expected) => {
    expect(hasJsonbUnsafeEscape(json)).toBe(expected);
  });
});

describe('toStoredRecord', () => {
  it('maps a row to the API shape with ISO timestamps', () => {
    expect(
      toStoredRecord({
        id: 'a',
        type: 't',
        occurred_at: new Date('2026-11-26T09:00:00Z'),
        payload: { x: 1 },
        message_id: 'm',
        published_at: null,
        ingested_at: new Date('2026-11-26T09:00:01Z'),
      }),
    ).toEqual({
      id: 'a',
      type: 't',
      occurredAt: '2026-11-26T09:00:00.000Z',
      payload: { x: 1 },
      messageId: 'm',
      publishedAt: null,
      ingestedAt: '2026-11-26T09:00:01.000Z',
    });
  });
});

describe('compilePolicy (a tenant\'s manifest `records`)', () => {
  const check = compilePolicy({ types: ['order.created', 'order.payment.*'], maxPayloadBytes: 100 }, 'acme');

  it('accepts exact types and prefix matches, refuses the rest naming the tenant file and the accepted list', () => {
    expect(check({ type: 'order.created' }, '{}')).toEqual([]);
    expect(check({ type: 'order.payment.captured' }, '{}')).toEqual([]);
    expect(check({ type: 'order.payment.' }, '{}')).toEqual([]);
    expect(check({ type: 'order.created.v2' }, '{}')).toEqual([
      {
        path: 'type',
        message:
          'type "order.created.v2" is not accepted by tenant acme (accepted: order.created, order.payment.*); publish one of those types, or add it to records.types in tenants/acme.yaml',
      },
    ]);
    expect(check({ type: 'order.paymentX' }, '{}').map((v) => v.path)).toEqual(['type']);
  });

  it('measures payloads in UTF-8 bytes against the tenant limit', () => {
    const ascii = JSON.stringify({ note: 'x'.repeat(100 - 11) }); // exactly 100 bytes
    expect(Buffer.byteLength(ascii)).toBe(100);
    expect(check({ type: 'order.created' }, ascii)).toEqual([]);
    const multibyte = JSON.stringify({ note: 'é'.repeat(45) }); // 45 characters, 90 bytes of é + 11
    expect(check({ type: 'order.created' }, multibyte)).toEqual([
      { path: 'payload', message: 'payload is 101 bytes as JSON; tenant acme accepts at most 100 (records.maxPayloadBytes in tenants/acme.yaml)' },
    ]);
  });

  it('reports both problems of one record', () => {
    expect(check({ type: 'refund' }, JSON.stringify({ note: 'x'.repeat(200) })).map((v) => v.path)).toEqual(['type', 'payload']);
  });

  it('exempts the smoke test\'s records, so a tenant policy never fails its own post-deploy smoke test', () => {
    expect(check({ type: SMOKE_RECORD_TYPE }, JSON.stringify({ note: 'x'.repeat(200) }))).toEqual([]);
  });

  it('accepts everything the schema accepts when the tenant set nothing', () => {
    const any = compilePolicy(ANY_RECORD, 'acme');
    expect(any({ type: 'anything.at.all' }, JSON.stringify({ big: 'x'.repeat(MAX_PAYLOAD_BYTES - 20) }))).toEqual([]);
  });
});
