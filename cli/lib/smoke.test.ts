import { checkRecordResponse, mapLimit, smokeRecord, smokeTenant, type HttpResult, type SmokeRecord, type SmokeTarget } from './smoke';

/** A virtual clock: sleep advances time instantly, so timeouts are tested without waiting. */
function clock() {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

/** A target whose record becomes readable after `visibleAfterReads` GETs; responses are what the real API returns. */
function target(visibleAfterReads: number, transform: (stored: Record<string, unknown>) => unknown = (r) => r): SmokeTarget & { published: SmokeRecord[] } {
  const published: SmokeRecord[] = [];
  let reads = 0;
  return {
    tenant: 'acme',
    published,
    publish: async (record) => {
      published.push(record);
    },
    read: async (id): Promise<HttpResult> => {
      reads += 1;
      const record = published.find((r) => r.id === id);
      if (!record || reads < visibleAfterReads) return { status: 404, body: '{"error":{"code":"record_not_found"}}' };
      const stored = { ...record, messageId: 'm-1', publishedAt: record.occurredAt, ingestedAt: new Date().toISOString() };
      return { status: 200, body: JSON.stringify(transform(stored)) };
    },
  };
}

test('passes when the published record becomes readable, with backoff between polls', async () => {
  const c = clock();
  const t = target(4);
  const result = await smokeTenant(t, { timeoutMs: 60_000, now: c.now, sleep: c.sleep, nonce: 'n1' });
  expect(result).toMatchObject({ tenant: 'acme', ok: true, recordId: 'smoke-n1', attempts: 4 });
  expect(c.sleeps).toEqual([250, 500, 1000]);
  expect(t.published[0]).toMatchObject({ id: 'smoke-n1', type: 'flota.smoke', payload: { smoke: true, tenant: 'acme', nonce: 'n1' } });
});

test('fails after the timeout, naming the last response and where to look', async () => {
  const c = clock();
  const result = await smokeTenant(target(Number.POSITIVE_INFINITY), { timeoutMs: 10_000, now: c.now, sleep: c.sleep, nonce: 'n2' });
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/not readable within 10 s \(last: HTTP 404 \(not ingested yet\)\).*flota dlq/);
  expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
});

test('fails at once when the API refuses the key', async () => {
  const c = clock();
  const t = target(1);
  const result = await smokeTenant({ ...t, read: async () => ({ status: 403, body: '{}' }) }, { timeoutMs: 60_000, now: c.now, sleep: c.sleep });
  expect(result).toMatchObject({ ok: false, attempts: 1 });
  expect(result.error).toMatch(/HTTP 403/);
});

test('fails when the record read back differs from the one published', async () => {
  const c = clock();
  const result = await smokeTenant(target(1, (r) => ({ ...r, payload: { other: 1 } })), { timeoutMs: 5_000, now: c.now, sleep: c.sleep });
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/payload differs/);
});

test('reports a publish failure without polling', async () => {
  const c = clock();
  const t = target(1);
  const result = await smokeTenant({ ...t, publish: async () => Promise.reject(new Error('AuthorizationError: not allowed')) }, { timeoutMs: 5_000, now: c.now, sleep: c.sleep });
  expect(result).toMatchObject({ ok: false, attempts: 0, error: 'publish failed: AuthorizationError: not allowed' });
});

test('checkRecordResponse names every problem', () => {
  const expected = smokeRecord('acme', 'x', new Date('2026-11-26T10:00:00Z'));
  expect(checkRecordResponse('not json', expected)[0]).toMatch(/not JSON/);
  expect(checkRecordResponse(JSON.stringify({ ...expected, ingestedAt: '2026-11-26T10:00:01Z' }), expected)).toEqual([]);
  expect(checkRecordResponse(JSON.stringify({ id: 'y', type: 't', occurredAt: 'z', payload: {} }), expected)).toEqual([
    'id is "y", expected "smoke-x"',
    'type is "t", expected "flota.smoke"',
    'occurredAt is "z", expected 2026-11-26T10:00:00.000Z',
    'payload differs from the published payload',
    'ingestedAt is missing or not a timestamp',
  ]);
});

test('mapLimit keeps order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, n));
    inFlight -= 1;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
});
