import type { SQSEvent } from 'aws-lambda';
import { createPool } from '../shared/db';
import { createLogger } from '../shared/logger';
import { FlotaMetrics } from '../shared/metrics';
import { compilePolicy, MAX_PAYLOAD_BYTES } from '../../contract/record';
import { captureOutput, type CapturedOutput } from '../../testing/capture-output';
import { useTestDatabase } from '../../testing/use-database';
import { recordBody, sqsEvent, sqsMessage } from '../../testing/sqs-event';
import { TcpProxy } from '../../testing/tcp-proxy';
import okFixture from '../events/sqs-raw-sns.json';
import poisonFixture from '../events/sqs-raw-sns-poison.json';
import { createIngestHandler, IngestUnavailableError, type IngestDeps } from './ingest';
import type { Pool } from 'pg';

const TENANT = 'acme';
const NOW = Date.parse('2026-11-26T09:10:30.000Z');

const db = useTestDatabase({ truncateRecords: true });
let output: CapturedOutput;

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

function handlerFor(pool: Pool, overrides: Partial<IngestDeps> = {}) {
  return createIngestHandler({
    pool: async () => pool,
    logger: createLogger({ service: 'ingest', tenantId: TENANT }),
    metrics: new FlotaMetrics({ service: 'ingest', tenantId: TENANT }),
    freshnessThresholdSeconds: 60,
    now: () => NOW,
    ...overrides,
  });
}

async function storedIds(pool: Pool = db.pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM records ORDER BY id');
  return rows.map((r) => r.id);
}

function metricValues(name: string): number[] {
  return output.emf().flatMap((blob) => {
    const value = blob[name];
    if (value === undefined) return [];
    return Array.isArray(value) ? (value as number[]) : [value as number];
  });
}

const fixture = (event: unknown) => structuredClone(event) as SQSEvent;

describe('ingest handler', () => {
  it('stores every record of the AWS sample event with its SQS message id and publish time', async () => {
    const response = await handlerFor(db.pool)(fixture(okFixture));
    expect(response).toEqual({ batchItemFailures: [] });
    const { rows } = await db.pool.query('SELECT * FROM records ORDER BY id');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: 'order-1001',
      type: 'order.created',
      occurred_at: new Date('2026-11-26T08:59:58.120Z'),
      payload: { orderId: 1001, total: 12.5, currency: 'EUR', lines: [{ sku: 'A-1', qty: 2 }] },
      message_id: '059f36b4-87a3-44ab-83d2-661975830a7d',
      published_at: new Date(1795683598183),
    });
    // The offset form is normalized to the same instant.
    expect(rows[1].occurred_at).toEqual(new Date('2026-11-26T08:00:01Z'));
  });

  it('stores a redelivered batch once and counts only new records as ingested', async () => {
    const ingest = handlerFor(db.pool);
    await ingest(fixture(okFixture));
    const again = await ingest(fixture(okFixture));
    expect(again).toEqual({ batchItemFailures: [] });
    expect(await storedIds()).toEqual(['order-1001', 'order-1002']);
    expect(metricValues('RecordsIngested')).toEqual([2, 0]);
  });

  it('stores a record id repeated within one batch once, acknowledging both messages', async () => {
    const event = sqsEvent([
      { body: recordBody('dup-1', { payload: { version: 1 } }) },
      { body: recordBody('other') },
      { body: recordBody('dup-1', { payload: { version: 2 } }) },
    ]);
    expect(await handlerFor(db.pool)(event)).toEqual({ batchItemFailures: [] });
    const { rows } = await db.pool.query(`SELECT payload FROM records WHERE id = 'dup-1'`);
    expect(rows).toEqual([{ payload: { version: 1 } }]);
    expect(await storedIds()).toEqual(['dup-1', 'other']);
  });

  it('stores the good records of a poisoned batch and reports exactly the bad message ids', async () => {
    const response = await handlerFor(db.pool)(fixture(poisonFixture));
    const bad = ['02', '03', '04', '06', '07', '08', '09'].map((n) => `11111111-0000-4000-8000-0000000000${n}`);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(bad);
    expect(await storedIds()).toEqual(['reading-1', 'reading-10', 'reading-5']);
    expect(metricValues('RecordsRejected')).toEqual([7]);
  });

  it('summarises a clean batch at DEBUG only (the metrics say it all) and one with duplicates or rejections at INFO', async () => {
    const logger = createLogger({ service: 'ingest', tenantId: TENANT });
    const ingest = handlerFor(db.pool, { logger });
    const summaries = () => output.logs().filter((line) => line.message === 'batch ingested');

    await ingest(fixture(okFixture));
    expect(summaries()).toEqual([]);
    await ingest(fixture(okFixture)); // redelivery: both already stored
    await ingest(fixture(poisonFixture));
    expect(summaries().map(({ level, messages, stored, duplicates, rejected }) => ({ level, messages, stored, duplicates, rejected }))).toEqual([
      { level: 'INFO', messages: 2, stored: 0, duplicates: 2, rejected: 0 },
      { level: 'INFO', messages: 10, stored: 3, duplicates: 0, rejected: 7 },
    ]);

    logger.setLogLevel('DEBUG');
    await db.pool.query('TRUNCATE records');
    await ingest(fixture(okFixture));
    expect(summaries().at(-1)).toMatchObject({ level: 'DEBUG', tenant: TENANT, messages: 2, stored: 2, duplicates: 0, rejected: 0, method: 'insert' });
  });

  it('logs every rejected record with tenant, message id and an actionable reason', async () => {
    await handlerFor(db.pool)(fixture(poisonFixture));
    const rejected = output.logs().filter((line) => line.message === 'record rejected');
    expect(rejected).toHaveLength(7);
    for (const line of rejected) {
      expect(line).toMatchObject({ level: 'WARN', tenant: TENANT, service: 'ingest' });
      expect(line.messageId).toMatch(/^11111111-/);
    }
    const reason = (n: string) => rejected.find((l) => l.messageId === `11111111-0000-4000-8000-0000000000${n}`)?.reason;
    expect(reason('02')).toMatch(/^body is not valid JSON/);
    expect(reason('03')).toMatch(/type: .*got missing.*occurredAt: .*got missing/);
    expect(reason('04')).toMatch(/id: id must be a string \(got 4\); type: type must be a string .*payload: payload must be a JSON object/);
    expect(reason('06')).toMatch(/SNS notification envelope.*enable raw message delivery/);
    expect(reason('07')).toMatch(/occurredAt: .*ISO-8601.*\(got "2026-11-26 09:10"\)/);
    expect(reason('08')).toMatch(/payload must not contain NUL/);
    expect(reason('09')).toMatch(/body is empty/);
    expect(rejected.find((l) => String(l.messageId).endsWith('07'))?.recordId).toBe('reading-7');
  });

  it('rejects an oversized payload and stores the rest', async () => {
    const big = 'x'.repeat(MAX_PAYLOAD_BYTES);
    const event = sqsEvent([
      { body: recordBody('small'), messageId: 'm-small' },
      { body: recordBody('big', { payload: { big } }), messageId: 'm-big' },
    ]);
    expect(await handlerFor(db.pool)(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-big' }] });
    expect(await storedIds()).toEqual(['small']);
    expect(output.logs().find((l) => l.messageId === 'm-big')?.reason).toMatch(/payload must be at most 204800 bytes/);
  });

  it("applies the tenant's record policy: other types and payloads over its limit are rejected alone, with the fix", async () => {
    const recordPolicy = compilePolicy({ types: ['test.event', 'order.*'], maxPayloadBytes: 1024 }, TENANT);
    const event = sqsEvent([
      { body: recordBody('exact'), messageId: 'm-exact' },
      { body: recordBody('prefixed', { type: 'order.paid' }), messageId: 'm-prefixed' },
      { body: recordBody('other-type', { type: 'refund.issued' }), messageId: 'm-other-type' },
      { body: recordBody('too-big', { payload: { note: 'x'.repeat(1100) } }), messageId: 'm-too-big' },
    ]);
    const response = await handlerFor(db.pool, { recordPolicy })(event);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-other-type', 'm-too-big']);
    expect(await storedIds()).toEqual(['exact', 'prefixed']);
    const reason = (messageId: string) => output.logs().find((l) => l.message === 'record rejected' && l.messageId === messageId);
    expect(reason('m-other-type')).toMatchObject({
      recordId: 'other-type',
      reason: `type: type "refund.issued" is not accepted by tenant ${TENANT} (accepted: test.event, order.*); publish one of those types, or add it to records.types in tenants/${TENANT}.yaml`,
    });
    expect(reason('m-too-big')?.reason).toMatch(/^payload: payload is 1\d{3} bytes as JSON; tenant acme accepts at most 1024 \(records.maxPayloadBytes in tenants\/acme.yaml\)$/);
  });

  it('rejects all messages of an all-bad batch individually instead of failing the batch', async () => {
    const event = sqsEvent([{ body: 'nope', messageId: 'a' }, { body: '[]', messageId: 'b' }]);
    expect(await handlerFor(db.pool)(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }] });
  });

  it('rejects a payload nested deeper than 64 levels (it would overflow JSON.stringify and PostgreSQL)', async () => {
    const body = '{"id":"deep","type":"t","occurredAt":"2026-11-26T09:00:00Z","payload":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) + '}';
    const event = sqsEvent([
      { body: recordBody('before'), messageId: 'm-before' },
      { body, messageId: 'm-deep' },
    ]);
    expect(await handlerFor(db.pool)(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-deep' }] });
    expect(await storedIds()).toEqual(['before']);
    expect(output.logs().find((l) => l.messageId === 'm-deep')?.reason).toMatch(/payload must not nest .* more than 64 levels/);
  });

  it('stores SQL-injection strings in every field as inert data', async () => {
    const evil = `'); DROP TABLE records; --`;
    const payload = { [evil]: evil, nested: { q: `" OR 1=1 --`, list: [`\\'; SELECT pg_sleep(10); --`] } };
    const event = sqsEvent([
      {
        messageId: `${evil} ' OR '1'='1`,
        body: JSON.stringify({ id: "1.OR.1--:x", type: `t' OR '1'='1`, occurredAt: '2026-11-26T09:00:00Z', payload }),
      },
    ]);
    expect(await handlerFor(db.pool)(event)).toEqual({ batchItemFailures: [] });
    const { rows } = await db.pool.query('SELECT id, type, payload, message_id FROM records');
    expect(rows).toEqual([{ id: '1.OR.1--:x', type: `t' OR '1'='1`, payload, message_id: `${evil} ' OR '1'='1` }]);
    // An id with injection characters is rejected by validation, not executed.
    const rejected = await handlerFor(db.pool)(sqsEvent([{ body: recordBody(evil), messageId: 'm-evil-id' }]));
    expect(rejected).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-evil-id' }] });
    expect(await storedIds()).toEqual(['1.OR.1--:x']);
  });

  it('emits every metric under both [Service] and [Service, Tenant], one IngestLag value per stored record', async () => {
    const sentAt = NOW - 1_000;
    const staleSentAt = NOW - 120_000;
    const messages = Array.from({ length: 250 }, (_, i) =>
      sqsMessage({ body: recordBody(`m-${i}`), sentAt: i < 10 ? staleSentAt : sentAt }),
    );
    messages.push(sqsMessage({ body: 'broken', messageId: 'broken' }));
    await handlerFor(db.pool)(sqsEvent(messages));

    const blobs = output.emf();
    // 250 lag values exceed Powertools' 100 values per metric per blob: several blobs, each with both dimension sets.
    expect(blobs.length).toBeGreaterThanOrEqual(3);
    for (const blob of blobs) {
      expect(blob._aws.CloudWatchMetrics).toHaveLength(1);
      expect(blob._aws.CloudWatchMetrics[0]!.Namespace).toBe('Flota');
      expect(blob._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service'], ['Service', 'Tenant']]);
      expect(blob).toMatchObject({ Service: 'ingest', Tenant: TENANT });
      expect(blob).not.toHaveProperty('service');
    }
    const lags = metricValues('IngestLag');
    expect(lags).toHaveLength(250);
    expect(lags.filter((v) => v === 120_000)).toHaveLength(10);
    expect(lags.filter((v) => v === 1_000)).toHaveLength(240);
    expect(metricValues('RecordsIngested')).toEqual([250]);
    expect(metricValues('RecordsRejected')).toEqual([1]);
    expect(metricValues('RecordsDue')).toEqual([250]);
    expect(metricValues('StaleRecords')).toEqual([10]);
    const units = Object.fromEntries(blobs.flatMap((b) => b._aws.CloudWatchMetrics[0]!.Metrics.map((m) => [m.Name, m.Unit])));
    expect(units).toMatchObject({ IngestLag: 'Milliseconds', RecordsIngested: 'Count', StaleRecords: 'Count' });
  });

  it('emits zero counts for an empty batch so the SLI series stay continuous', async () => {
    expect(await handlerFor(db.pool)({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(metricValues('RecordsIngested')).toEqual([0]);
    expect(metricValues('RecordsDue')).toEqual([0]);
    expect(metricValues('StaleRecords')).toEqual([0]);
  });
});

describe('ingest handler when the database is down', () => {
  let proxy: TcpProxy;
  let pool: Pool;

  beforeEach(async () => {
    const target = new URL(db.url);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
    await proxy.start();
    pool = createPool({ connectionString: proxy.rewrite(db.url), max: 2, connectionTimeoutMillis: 2_000 }, { onIdleError: () => undefined });
  });
  afterEach(async () => {
    await pool.end();
    await proxy.stop();
  });

  it('fails the whole batch (nothing acknowledged), and a retry after recovery stores everything exactly once', async () => {
    const ingest = handlerFor(pool);
    const event = sqsEvent([
      { body: recordBody('outage-1') },
      { body: recordBody('outage-2') },
      { body: 'poison', messageId: 'outage-poison' },
    ]);
    // Warm the pool first so the outage also cuts an established connection.
    await pool.query('SELECT 1');
    await proxy.stop();

    const error = await ingest(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestUnavailableError);
    expect(await storedIds()).toEqual([]);
    expect(output.logs().some((l) => l.message === 'database unavailable; whole batch will be retried' && l.level === 'ERROR')).toBe(true);

    await proxy.start();
    expect(await ingest(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'outage-poison' }] });
    expect(await ingest(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'outage-poison' }] });
    expect(await storedIds()).toEqual(['outage-1', 'outage-2']);
  });

  it('counts every valid record of a batch it could not store as due and stale: freshness falls to 0 % while ingest stores nothing', async () => {
    const ingest = handlerFor(pool);
    const event = sqsEvent([
      { body: recordBody('fresh-1'), sentAt: NOW - 1_000 },
      { body: recordBody('fresh-2'), sentAt: NOW - 1_000 },
      { body: recordBody('fresh-2'), sentAt: NOW - 1_000 }, // repeated id: one record due
      { body: 'poison', messageId: 'fresh-poison' },
    ]);
    await proxy.stop();
    await expect(ingest(event)).rejects.toBeInstanceOf(IngestUnavailableError);
    await expect(ingest(event)).rejects.toBeInstanceOf(IngestUnavailableError);
    // freshness SLI = 1 − StaleRecords / RecordsDue, per attempt
    expect(metricValues('RecordsDue')).toEqual([2, 2]);
    expect(metricValues('StaleRecords')).toEqual([2, 2]);
    expect(metricValues('RecordsIngested')).toEqual([0, 0]);
    expect(metricValues('RecordsRejected')).toEqual([1, 1]);

    await proxy.start();
    expect(await ingest(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'fresh-poison' }] });
    expect(metricValues('RecordsDue')).toEqual([2, 2, 2]);
    expect(metricValues('StaleRecords')).toEqual([2, 2, 0]); // stored within the threshold once the database is back
  });

  it('fails the batch when the connection drops while the insert is in flight, and the retry stores each record once', async () => {
    const ingest = handlerFor(pool);
    const event = sqsEvent(Array.from({ length: 500 }, (_, i) => ({ body: recordBody(`flight-${i}`) })));
    const inFlight = ingest(event);
    setImmediate(() => void proxy.stop());
    const outcome = await inFlight.then(
      () => 'stored',
      (e: unknown) => (e instanceof IngestUnavailableError ? 'failed' : e),
    );
    // Either the insert committed before the cut, or it failed as a whole; never partially.
    const count = (await storedIds()).length;
    expect(outcome === 'stored' ? count === 500 : outcome === 'failed' && (count === 0 || count === 500)).toBe(true);
    await proxy.start();
    expect(await ingest(event)).toEqual({ batchItemFailures: [] });
    expect((await storedIds()).length).toBe(500);
  });
});
