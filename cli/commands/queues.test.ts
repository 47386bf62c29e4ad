import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { loadFleet } from '../../fleet';
import { run as dlq } from './dlq';
import { run as redrive, type RedriveDependencies } from './redrive';

const fleet = loadFleet(join(__dirname, '..', '..', 'tenants'));
const tenant = fleet.tenants[0] as (typeof fleet.tenants)[number];
const sqs = mockClient(SQSClient);
const url = (name: string) => `https://sqs.eu-west-1.amazonaws.com/111122223333/${name}`;
const arn = (name: string) => `arn:aws:sqs:eu-west-1:111122223333:${name}`;

/** Sets up the tenant's queue and DLQ; the DLQ holds `count` messages, returned by ReceiveMessage 10 at a time. */
function queues(count: number) {
  sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({ QueueUrl: url(input.QueueName) }));
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => {
    const name = input.QueueUrl.split('/').pop() as string;
    return { Attributes: { QueueArn: arn(name), ApproximateNumberOfMessages: String(name === tenant.names.deadLetterQueue ? count : 0), ApproximateNumberOfMessagesNotVisible: '0' } };
  });
  let next = 0;
  sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number }) => {
    const messages = [];
    for (let i = 0; i < input.MaxNumberOfMessages && next < count; i += 1, next += 1) {
      messages.push({
        MessageId: `msg-${next}`,
        ReceiptHandle: `rh-${next}`,
        Body: next === 0 ? 'not json at all' : JSON.stringify({ id: `rec-${next}`, type: 'order.created', occurredAt: '2026-11-26T09:00:00Z', payload: {} }),
        Attributes: { SentTimestamp: '1764147600000', ApproximateReceiveCount: '5' },
      });
    }
    return { Messages: messages };
  });
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
}

async function call(command: typeof dlq | typeof redrive, args: string[], deps?: Partial<RedriveDependencies>) {
  let stdout = '';
  let stderr = '';
  const code = await (command as (a: string[], io: unknown, d: unknown) => Promise<number>)(
    args,
    { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) },
    { sqs: () => new SQSClient({ region: 'eu-west-1' }), loadFleet: () => fleet, confirm: async () => true, interactive: true, ...deps },
  );
  return { code, stdout, stderr };
}

beforeEach(() => sqs.reset());

describe('flota dlq', () => {
  test('shows the count and a sample, makes every peeked message visible again, and never deletes', async () => {
    queues(13);
    const { code, stdout } = await call(dlq, [tenant.id, '--max', '12', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ tenant: tenant.id, queue: tenant.names.deadLetterQueue, approximateMessages: 13 });
    expect(out.sample).toHaveLength(12);
    expect(out.sample[0]).toEqual({ messageId: 'msg-0', sentAt: '2025-11-26T09:00:00.000Z', receiveCount: 5, body: 'not json at all' });
    expect(out.sample[1]).toMatchObject({ recordId: 'rec-1', recordType: 'order.created' });

    const receives = sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input);
    expect(receives.every((r) => r.QueueUrl === url(tenant.names.deadLetterQueue) && r.VisibilityTimeout === 20)).toBe(true);
    const reset = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(reset.map((e) => e.ReceiptHandle).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `rh-${i}`).sort());
    expect(reset.every((e) => e.VisibilityTimeout === 0)).toBe(true);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test('makes messages visible again even when a later receive fails', async () => {
    queues(20);
    sqs.on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'a', ReceiptHandle: 'rh-a', Body: '{}' }] })
      .rejects(new Error('throttled'));
    const { code, stderr } = await call(dlq, [tenant.id, '--max', '5']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/throttled/);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([{ Id: 'm0', ReceiptHandle: 'rh-a', VisibilityTimeout: 0 }]);
  });

  test('an empty DLQ is reported without receiving', async () => {
    queues(0);
    const { code, stdout } = await call(dlq, [tenant.id]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${tenant.names.deadLetterQueue}: ~0 message(s)`);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  test('names the stack when the queue does not exist', async () => {
    const error = Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
    sqs.on(GetQueueUrlCommand).rejects(error);
    const { code, stderr } = await call(dlq, [tenant.id]);
    expect(code).toBe(1);
    expect(stderr).toContain(`is ${tenant.stackName} deployed`);
  });

  test('unknown tenant is a usage error', async () => {
    expect((await call(dlq, ['nope'])).code).toBe(2);
  });
});

describe('flota redrive', () => {
  test('after confirmation, starts a move task from the DLQ back to the tenant queue', async () => {
    queues(7);
    const questions: string[] = [];
    const { code, stdout, stderr } = await call(redrive, [tenant.id, '--rate', '50', '--json'], {
      confirm: async (q) => {
        questions.push(q);
        return true;
      },
    });
    expect(code).toBe(0);
    expect(questions).toEqual([`Move ~7 message(s) from ${tenant.names.deadLetterQueue} to ${tenant.names.queue}?`]);
    expect(stderr).toContain('~7 message(s) to move back');
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: arn(tenant.names.deadLetterQueue),
      DestinationArn: arn(tenant.names.queue),
      MaxNumberOfMessagesPerSecond: 50,
    });
    expect(JSON.parse(stdout)).toMatchObject({ started: true, taskHandle: 'task-1', approximateMessages: 7 });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  test('does nothing when not confirmed', async () => {
    queues(3);
    const { code } = await call(redrive, [tenant.id], { confirm: async () => false });
    expect(code).toBe(1);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  test('refuses without --yes when not on a terminal; --yes skips the question', async () => {
    queues(3);
    const refused = await call(redrive, [tenant.id], { interactive: false });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pass --yes/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);

    const confirm = jest.fn(async () => false);
    const accepted = await call(redrive, [tenant.id, '--yes'], { interactive: false, confirm });
    expect(accepted.code).toBe(0);
    expect(confirm).not.toHaveBeenCalled();
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(1);
  });

  test('an empty DLQ starts nothing', async () => {
    queues(0);
    const { code, stdout } = await call(redrive, [tenant.id, '--yes']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/empty: nothing to redrive/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  test('refuses to start a second move task while one is running', async () => {
    queues(3);
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 }] });
    const { code, stderr } = await call(redrive, [tenant.id, '--yes']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/already running/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});
