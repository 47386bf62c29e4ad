/**
 * Builds SQS events shaped exactly like the committed fixture functions/events/sqs-raw-sns.json (AWS's sample SQS event,
 * raw SNS delivery), with chosen bodies — for tests, the benchmark and the local dev fleet.
 */
import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import sample from '../functions/events/sqs-raw-sns.json';

const template = sample.Records[0] as SQSRecord;

export interface MessageSpec {
  body: string;
  messageId?: string;
  /** SentTimestamp, epoch ms (default: now). */
  sentAt?: number;
  receiveCount?: number;
}

let sequence = 0;

export function sqsMessage(spec: MessageSpec): SQSRecord {
  const messageId = spec.messageId ?? `00000000-0000-4000-8000-${(++sequence).toString(16).padStart(12, '0')}`;
  const sentAt = spec.sentAt ?? Date.now();
  return {
    ...template,
    messageId,
    receiptHandle: `AQEB${createHash('sha1').update(messageId).digest('hex')}`,
    body: spec.body,
    attributes: {
      ...template.attributes,
      ApproximateReceiveCount: String(spec.receiveCount ?? 1),
      SentTimestamp: String(sentAt),
      ApproximateFirstReceiveTimestamp: String(sentAt + 5),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(spec.body).digest('hex'),
  };
}

export function sqsEvent(messages: readonly (MessageSpec | SQSRecord)[]): SQSEvent {
  return { Records: messages.map((m) => ('receiptHandle' in m ? m : sqsMessage(m))) };
}

/** A valid record body with id `id`. */
export function recordBody(id: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    type: 'test.event',
    occurredAt: '2026-11-26T09:00:00.000Z',
    payload: { n: id },
    ...overrides,
  });
}
