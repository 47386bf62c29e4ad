import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDevFleet, type DevFleet } from './fleet';
import { testServerUrl } from '../testing/database';

const TENANTS = ['kyc-checks', 'refund-requests', 'web-vitals'];
const prefix = `devtest_${randomBytes(4).toString('hex')}_`;
let fleet: DevFleet;

beforeAll(async () => {
  fleet = await createDevFleet({
    port: 0,
    tenantsDir: join(__dirname, '../tenants'),
    databaseUrl: testServerUrl(),
    databasePrefix: prefix,
    tenants: TENANTS,
    redeliveryDelayMs: 20,
    throttle: { ratePerSecond: 5, burst: 20 },
    functionLogLevel: 'SILENT',
  });
});

afterAll(async () => {
  await fleet?.stop();
  const admin = new Client({ connectionString: testServerUrl() });
  await admin.connect();
  for (const id of TENANTS) await admin.query(`DROP DATABASE IF EXISTS "${prefix}${id.replace(/-/g, '_')}" WITH (FORCE)`);
  await admin.end();
});

const tenant = (id: string) => fleet.tenants.find((t) => t.id === id)!;
const headers = (id: string) => ({ 'x-api-key': fleet.apiKeys[id]!, 'content-type': 'application/json' });

async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('dev fleet (in-process, real PostgreSQL, real ingest handler)', () => {
  it('serves each tenant under /t/<tenant> with its own key', () => {
    expect(fleet.tenants.map((t) => t.url)).toEqual(TENANTS.map((id) => `${fleet.url}/t/${id}`));
    expect(fleet.apiKeys).toEqual({
      'kyc-checks': 'dev-key-kyc-checks',
      'refund-requests': 'dev-key-refund-requests',
      'web-vitals': 'dev-key-web-vitals',
    });
  });

  it('stores a POSTed record through the local queue and the ingest handler, readable by id', async () => {
    const t = tenant('kyc-checks');
    const record = { id: 'check-1', type: 'kyc.passed', occurredAt: '2026-11-26T10:00:00Z', payload: { score: 0.97 } };
    const posted = await fetch(`${t.url}/v1/records`, { method: 'POST', headers: headers(t.id), body: JSON.stringify(record) });
    expect(posted.status).toBe(202);
    const { messageId } = (await posted.json()) as { messageId: string };
    const stored = await pollUntil(async () => {
      const res = await fetch(`${t.url}/v1/records/check-1`, { headers: headers(t.id) });
      return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
    });
    expect(stored).toMatchObject({ ...record, occurredAt: '2026-11-26T10:00:00.000Z', messageId });
    // Tenant isolation: the other tenant's database does not have it.
    const other = tenant('web-vitals');
    expect((await fetch(`${other.url}/v1/records/check-1`, { headers: headers(other.id) })).status).toBe(404);
  });

  it("applies the tenant's manifest record policy (tenants/refund-requests.yaml: types [refund.*]) on POST and in ingest", async () => {
    const t = tenant('refund-requests');
    const record = (id: string, type: string) => JSON.stringify({ id, type, occurredAt: '2026-11-26T10:00:00Z', payload: { amount: 5 } });
    const refused = await fetch(`${t.url}/v1/records`, { method: 'POST', headers: headers(t.id), body: record('r-1', 'order.created') });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /type: type "order.created" is not accepted by tenant refund-requests \(accepted: refund\.\*\); .*records.types in tenants\/refund-requests.yaml/,
    );
    for (const [id, type] of [['r-2', 'refund.requested'], ['r-3', 'flota.smoke']] as const) {
      expect((await fetch(`${t.url}/v1/records`, { method: 'POST', headers: headers(t.id), body: record(id, type) })).status).toBe(202);
    }
    // Published around the API (as `aws sns publish` could): ingest refuses it and dead-letters it with the same reason.
    const direct = fleet.publishRaw(t.id, record('r-4', 'order.created'));
    expect(await fleet.drain(10_000)).toBe(0);
    const letters = await fleet.deadLetters(t.id);
    expect(letters.map((l) => [l.messageId, l.reason.startsWith('type: type "order.created" is not accepted by tenant refund-requests')])).toEqual([[direct, true]]);
    const page = (await (await fetch(`${t.url}/v1/records`, { headers: headers(t.id) })).json()) as { items: { id: string }[] };
    // The smoke record is stored (the policy exempts it) but lives in the partition the API never lists; GET by id reads it.
    expect(page.items.map((i) => i.id)).toEqual(['r-2']);
    expect((await fetch(`${t.url}/v1/records/r-3`, { headers: headers(t.id) })).status).toBe(200);
  });

  it('dead-letters a poison message after maxReceiveCount deliveries while its batch-mates are stored once', async () => {
    const t = tenant('web-vitals');
    const poison = fleet.publishRaw(t.id, '{"id": "broken", "type": ');
    fleet.publishRaw(t.id, JSON.stringify({ id: 'lcp-1', type: 'vital', occurredAt: '2026-11-26T10:00:00Z', payload: { lcp: 1.2 } }));
    fleet.publishRaw(t.id, JSON.stringify({ id: 'lcp-1', type: 'vital', occurredAt: '2026-11-26T10:00:00Z', payload: { lcp: 1.2 } }));
    expect(await fleet.drain(10_000)).toBe(0);

    const letters = await fleet.deadLetters(t.id);
    expect(letters).toEqual([
      expect.objectContaining({ messageId: poison, body: '{"id": "broken", "type": ', receiveCount: t.maxReceiveCount }),
    ]);
    expect(letters[0]!.reason).toMatch(/not valid JSON/);
    const page = (await (await fetch(`${t.url}/v1/records`, { headers: headers(t.id) })).json()) as { items: { id: string }[] };
    expect(page.items.map((i) => i.id)).toEqual(['lcp-1']);
  });

  it('fails with 401 without a key, 403 with another tenant\'s key, JSON 404 for an unknown tenant', async () => {
    const t = tenant('kyc-checks');
    expect((await fetch(`${t.url}/v1/records`)).status).toBe(401);
    const wrong = await fetch(`${t.url}/v1/records`, { headers: { 'x-api-key': fleet.apiKeys['web-vitals']! } });
    expect(wrong.status).toBe(403);
    const unknown = await fetch(`${fleet.url}/t/nope/v1/records`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_tenant');
  });

  it('throttles a tenant with 429 + Retry-After once its burst is spent, without affecting the other tenant', async () => {
    const t = tenant('kyc-checks');
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => fetch(`${t.url}/health`, { headers: headers(t.id) }).then(async (r) => [r.status, r.headers.get('retry-after')] as const)),
    );
    const limited = statuses.filter(([s]) => s === 429);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited.every(([, retryAfter]) => Number(retryAfter) >= 1)).toBe(true);
    const other = tenant('web-vitals');
    expect((await fetch(`${other.url}/health`, { headers: headers(other.id) })).status).toBe(200);
  });

  it('stops: HTTP closed, later stop() calls are no-ops', async () => {
    const local = await createDevFleet({
      port: 0,
      tenantsDir: join(__dirname, '../tenants'),
      databaseUrl: testServerUrl(),
      databasePrefix: prefix,
      tenants: ['kyc-checks'],
      functionLogLevel: 'SILENT',
    });
    const t = local.tenants[0]!;
    expect((await fetch(`${t.url}/health`, { headers: headers(t.id) })).status).toBe(200);
    await local.stop();
    await local.stop();
    await expect(fetch(`${t.url}/health`)).rejects.toThrow();
  });
});
