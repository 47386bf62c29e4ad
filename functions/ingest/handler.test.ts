import type { Context, SQSEvent } from 'aws-lambda';
import { closePool } from '../shared/db';
import okFixture from '../events/sqs-raw-sns.json';
import { captureOutput, type CapturedOutput } from '../../testing/capture-output';
import { createTestDatabase, type TestDatabase } from '../../testing/database';

let db: TestDatabase;
let output: CapturedOutput;
const saved = { ...process.env };

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, FLOTA_TENANT_ID: 'acme', FLOTA_FRESHNESS_THRESHOLD_S: '300' });
  output = captureOutput();
});
afterAll(async () => {
  output.restore();
  process.env = saved;
  await closePool();
  await db.drop();
});

const context = { functionName: 'flota-acme-ingest', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' } as Context;

describe('ingest Lambda entry point', () => {
  it('configures itself from the environment and ingests the AWS sample event', async () => {
    const { handler } = await import('./handler');
    await expect(handler(structuredClone(okFixture) as SQSEvent, context)).resolves.toEqual({ batchItemFailures: [] });
    await expect(handler(structuredClone(okFixture) as SQSEvent, context)).resolves.toEqual({ batchItemFailures: [] });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(rows[0].n).toBe(2);
    // The clean first batch is summarised at DEBUG (not shown at the default INFO level); the redelivery at INFO.
    const summary = output.logs().filter((l) => l.message === 'batch ingested');
    expect(summary.map((l) => [l.level, l.tenant, l.stored, l.duplicates])).toEqual([['INFO', 'acme', 0, 2]]);
  });
});
