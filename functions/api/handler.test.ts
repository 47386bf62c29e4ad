import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import getRecordsEvent from '../events/api-get-records.json';
import postRecordEvent from '../events/api-post-record.json';
import { errorBodies, expectNoDatabaseErrorText, seedRecords } from './test-support';
import { createTestDatabase, type TestDatabase } from '../../testing/database';
import { FUNCTION_ENV } from '../../contract/telemetry';

type Handler = (event: LambdaEvent, context: LambdaContext) => Promise<{ statusCode: number; body: string; multiValueHeaders?: Record<string, string[]> }>;

// The handler loads the SNS SDK on first publish (dynamic import), from the main module registry.
const snsMock = mockClient(SNSClient);
const context = { awsRequestId: 'req-1', functionName: 'flota-acme-api' } as unknown as LambdaContext;
let db: TestDatabase;
let handler: Handler;
const emitted: string[] = [];
let writeSpy: jest.SpyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedRecords(db.pool, 5, 'lambda');
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    FLOTA_CURSOR_SECRET: 'handler-test',
    [FUNCTION_ENV.tenantId]: 'acme',
    [FUNCTION_ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:flota-acme-records',
    [FUNCTION_ENV.latencyThresholdMs]: '500',
    [FUNCTION_ENV.maxBodyBytes]: '262144',
    AWS_REGION: 'eu-west-1',
  });
  writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    emitted.push(String(chunk));
    return true;
  });
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules: load a fresh handler module with this env
    const loaded = (require('./handler') as { handler: Handler }).handler;
    // Every error body the Lambda returns in this file is checked for database error text (afterAll).
    handler = async (event, ctx) => {
      const result = await loaded(event, ctx);
      if (result.statusCode >= 400) errorBodies.push(result.body);
      return result;
    };
  });
});

afterAll(async () => {
  writeSpy.mockRestore();
  expectNoDatabaseErrorText(1);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the db module instance the handler used
  const { closePool } = require('../shared/db') as typeof import('../shared/db');
  await closePool();
  await db.drop();
});

/** A deep copy of a fixture, typed as the adapter's event (the JSON import's literal types are narrower than LambdaEvent). */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const asEvent = (value: unknown): LambdaEvent => value as LambdaEvent;

describe('Lambda adapter (API Gateway REST proxy events)', () => {
  it('serves GET /v1/records from the sample event and emits EMF metrics under both dimension sets', async () => {
    emitted.length = 0;
    const result = await handler(asEvent(clone(getRecordsEvent)), context);
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    // seeded 000002 sits 1 µs before 000001 (see seedRecords)
    expect(body.items.map((i: { id: string }) => i.id)).toEqual(['lambda-000002', 'lambda-000001']);
    expect(typeof body.nextCursor).toBe('string');
    expect(result.multiValueHeaders?.['x-request-id']).toEqual(['c6af9ac6-7b61-11e6-9a41-93e8deadbeef']);

    const emf = emitted.map((line) => line.trim()).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    expect(emf).toHaveLength(1);
    const directive = emf[0]._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Flota');
    expect(directive.Dimensions).toEqual(expect.arrayContaining([['Service'], ['Service', 'Tenant']]));
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(['Latency', 'Requests']);
    expect(emf[0]).toMatchObject({ Service: 'api', Tenant: 'acme', Requests: 1 });
  });

  it('follows the nextCursor through a second event', async () => {
    const first = JSON.parse((await handler(asEvent(clone(getRecordsEvent)), context)).body);
    const next = clone(getRecordsEvent) as unknown as { queryStringParameters: Record<string, string>; multiValueQueryStringParameters: Record<string, string[]> };
    next.queryStringParameters = { limit: '2', cursor: first.nextCursor };
    next.multiValueQueryStringParameters = { limit: ['2'], cursor: [first.nextCursor] };
    const second = JSON.parse((await handler(asEvent(next), context)).body);
    expect(second.items.map((i: { id: string }) => i.id)).toEqual(['lambda-000003', 'lambda-000004']);
    expect(second.items.map((i: { id: string }) => i.id)).not.toContain(first.items[0].id);
  });

  it('publishes the POSTed record to the topic and answers 202', async () => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
    const result = await handler(asEvent(clone(postRecordEvent)), context);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', id: 'order-42' });
    const input = snsMock.commandCalls(PublishCommand)[0]!.args[0].input as { TopicArn: string; Message: string };
    expect(input.TopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:flota-acme-records');
    expect(JSON.parse(input.Message)).toEqual(JSON.parse(postRecordEvent.body));
  });

  it('fails with 401 when the event carries no API key id (a method deployed without apiKeyRequired)', async () => {
    emitted.length = 0;
    const event = clone(getRecordsEvent);
    (event.requestContext.identity as { apiKeyId: string | null }).apiKeyId = null;
    const result = await handler(asEvent(event), context);
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).error.code).toBe('missing_api_key');
    const emf = emitted.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    expect(emf[0]).toMatchObject({ ClientErrors: 1, Requests: 1 });
  });

  it('answers JSON 404 for a path outside the API', async () => {
    const event = clone(getRecordsEvent);
    event.path = '/admin';
    const result = await handler(asEvent(event), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).error.code).toBe('not_found');
  });
});
