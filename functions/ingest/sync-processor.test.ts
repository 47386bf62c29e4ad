import { FullBatchFailureError, UnexpectedBatchTypeError } from '@aws-lambda-powertools/batch';
import type { SQSEvent } from 'aws-lambda';
import { sqsEvent } from '../../testing/sqs-event';
import { SqsSyncBatchProcessor } from './sync-processor';

const event = sqsEvent([
  { body: 'ok', messageId: 'm-1' },
  { body: 'bad', messageId: 'm-2' },
  { body: 'ok', messageId: 'm-3' },
  { body: 'bad', messageId: 'm-4' },
]);
const step = (record: { body: string }) => {
  if (record.body === 'bad') throw new Error('bad record');
};

describe('SqsSyncBatchProcessor', () => {
  it('runs the step on every record, in order, and reports exactly the ones that threw as batchItemFailures', () => {
    const seen: string[] = [];
    const response = new SqsSyncBatchProcessor().run(event, (record) => {
      seen.push(record.messageId);
      step(record);
    });
    expect(seen).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-4' }] });
  });

  it('throws when every record failed, unless told not to (then every record is a failure)', () => {
    const allBad = sqsEvent([{ body: 'bad', messageId: 'm-1' }, { body: 'bad', messageId: 'm-2' }]);
    expect(() => new SqsSyncBatchProcessor().run(allBad, step)).toThrow(FullBatchFailureError);
    expect(new SqsSyncBatchProcessor().run(allBad, step, { throwOnFullBatchFailure: false })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }],
    });
  });

  it('refuses an event that is not an SQS batch', () => {
    expect(() => new SqsSyncBatchProcessor().run({} as SQSEvent, step)).toThrow(UnexpectedBatchTypeError);
  });

  it('gives the same response through the async entry point Powertools uses', async () => {
    const processor = new SqsSyncBatchProcessor();
    processor.register(event.Records, step);
    await processor.process();
    expect(processor.response()).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-4' }] });
  });
});
