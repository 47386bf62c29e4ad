import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LocalQueue, type DeadLetter } from './local-queue';

function queue(deliver: (event: SQSEvent) => Promise<SQSBatchResponse>, letters: DeadLetter[] = [], maxReceiveCount = 3) {
  return new LocalQueue({
    queueArn: 'arn:aws:sqs:eu-west-1:000000000000:flota-acme-ingest',
    batchSize: 10,
    maxReceiveCount,
    redeliveryDelayMs: 5,
    deliver,
    deadLetter: async (letter) => void letters.push(letter),
  });
}

describe('LocalQueue', () => {
  it('delivers SQS-shaped records in one batch per tick', async () => {
    const events: SQSEvent[] = [];
    const q = queue(async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    });
    const first = q.send('{"a":1}', { recordType: 'demo' });
    q.send('{"a":2}');
    expect(await q.drain(1000)).toBe(0);
    expect(events).toHaveLength(1);
    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({
      messageId: first,
      body: '{"a":1}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:flota-acme-ingest',
      awsRegion: 'eu-west-1',
      md5OfBody: createHash('md5').update('{"a":1}').digest('hex'),
      messageAttributes: { recordType: { stringValue: 'demo', dataType: 'String', stringListValues: [], binaryListValues: [] } },
    });
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(typeof record.receiptHandle).toBe('string');
  });

  it('redelivers only the batchItemFailures, with a growing ApproximateReceiveCount, then dead-letters them', async () => {
    const letters: DeadLetter[] = [];
    const receives: Record<string, string[]> = {};
    const q = queue(async (event) => {
      for (const r of event.Records) (receives[r.body] ??= []).push(r.attributes.ApproximateReceiveCount);
      return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
    }, letters);
    const bad = q.send('bad');
    q.send('good');
    expect(await q.drain(2000)).toBe(0);
    expect(receives).toEqual({ bad: ['1', '2', '3'], good: ['1'] });
    expect(letters).toEqual([{ messageId: bad, body: 'bad', receiveCount: 3, reason: 'reported in batchItemFailures' }]);
  });

  it('retries the whole batch when the handler throws (database down), and stores it once it recovers', async () => {
    let calls = 0;
    const delivered: string[] = [];
    const q = queue(async (event) => {
      calls += 1;
      if (calls < 3) throw new Error('connect ECONNREFUSED');
      delivered.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: [] };
    });
    q.send('one');
    q.send('two');
    expect(await q.drain(2000)).toBe(0);
    expect(delivered).toEqual(['one', 'two']);
  });

  it('keeps a message that cannot be dead-lettered (store down) instead of losing it', async () => {
    let storeUp = false;
    const letters: DeadLetter[] = [];
    const errors: string[] = [];
    const q = new LocalQueue({
      queueArn: 'arn:aws:sqs:eu-west-1:000000000000:q',
      batchSize: 10,
      maxReceiveCount: 1,
      redeliveryDelayMs: 5,
      deliver: async (event) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }),
      deadLetter: async (letter) => {
        if (!storeUp) throw new Error('database down');
        letters.push(letter);
      },
      onError: (m) => errors.push(m),
    });
    q.send('poison');
    await new Promise((r) => setTimeout(r, 30));
    expect(letters).toEqual([]);
    expect(q.depth).toBe(1);
    storeUp = true;
    expect(await q.drain(2000)).toBe(0);
    expect(letters.map((l) => l.body)).toEqual(['poison']);
    expect(errors[0]).toMatch(/could not dead-letter .*database down/);
  });

  it('refuses messages after close and reports what it dropped', () => {
    const q = queue(async () => ({ batchItemFailures: [] }));
    expect(q.close()).toBe(0);
    expect(() => q.send('late')).toThrow(/closed/);
  });
});
