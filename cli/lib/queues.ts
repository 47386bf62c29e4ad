/**
 * SQS helpers for `flota dlq` and `flota redrive`: locate a tenant's queues by the names in the fleet model, and peek
 * at messages without consuming them.
 *
 * Peeking is ReceiveMessage with a short visibility timeout followed at once by ChangeMessageVisibility(0), and never
 * DeleteMessage. Each receive increments a message's ApproximateReceiveCount on the dead-letter queue; flota's DLQs
 * have no redrive policy of their own, so this never moves a message anywhere, but the count shown by later tools
 * includes peeks.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { TenantModel } from '../../fleet/model/types';

export interface QueueInfo {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** Approximate visible messages. */
  readonly messages: number;
  /** Approximate in-flight (received, not yet deleted or visible again) messages. */
  readonly inFlight: number;
}

export interface TenantQueues {
  readonly queue: QueueInfo;
  readonly deadLetterQueue: QueueInfo;
}

export class QueueNotFoundError extends Error {
  override readonly name = 'QueueNotFoundError';
}

async function describeQueue(sqs: SQSClient, name: string, stackName: string): Promise<QueueInfo> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    const code = (error as { name?: string }).name ?? '';
    if (code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue') {
      throw new QueueNotFoundError(`queue ${name} does not exist in this account/region: is ${stackName} deployed, and is AWS_REGION right?`);
    }
    throw error;
  }
  if (url === undefined) throw new QueueNotFoundError(`queue ${name}: GetQueueUrl returned no URL`);
  const attributes = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    )
  ).Attributes ?? {};
  return {
    name,
    url,
    arn: attributes.QueueArn ?? '',
    messages: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

export async function tenantQueues(sqs: SQSClient, tenant: TenantModel): Promise<TenantQueues> {
  const [queue, deadLetterQueue] = await Promise.all([
    describeQueue(sqs, tenant.names.queue, tenant.stackName),
    describeQueue(sqs, tenant.names.deadLetterQueue, tenant.stackName),
  ]);
  return { queue, deadLetterQueue };
}

export interface PeekedMessage {
  readonly messageId: string;
  readonly sentAt: string | null;
  readonly receiveCount: number;
  /** Record id and type when the body is a record (raw SNS delivery); undefined otherwise. */
  readonly recordId?: string;
  readonly recordType?: string;
  /** Body, truncated to 500 characters. */
  readonly body: string;
}

/** How long peeked messages stay hidden before we make them visible again (seconds); bounds the impact of a crash. */
export const PEEK_VISIBILITY_SECONDS = 20;

function describeBody(body: string): Pick<PeekedMessage, 'recordId' | 'recordType'> {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const { id, type } = parsed as { id?: unknown; type?: unknown };
      return { ...(typeof id === 'string' ? { recordId: id } : {}), ...(typeof type === 'string' ? { recordType: type } : {}) };
    }
  } catch {
    // not JSON: shown as text
  }
  return {};
}

/** Up to `max` distinct messages, all made visible again before returning (even when a later call fails). */
export async function peekMessages(sqs: SQSClient, queueUrl: string, max: number): Promise<PeekedMessage[]> {
  const seen = new Map<string, PeekedMessage>();
  const handles: { Id: string; ReceiptHandle: string }[] = [];
  try {
    for (let round = 0; seen.size < max && round < Math.ceil(max / 10) + 2; round += 1) {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - seen.size),
          VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        if (message.ReceiptHandle) handles.push({ Id: `m${handles.length}`, ReceiptHandle: message.ReceiptHandle });
        const id = message.MessageId ?? `unknown-${seen.size}`;
        if (seen.has(id)) continue;
        const sent = message.Attributes?.SentTimestamp;
        const body = message.Body ?? '';
        seen.set(id, {
          messageId: id,
          sentAt: sent ? new Date(Number(sent)).toISOString() : null,
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
          ...describeBody(body),
          body: body.length > 500 ? `${body.slice(0, 500)}…` : body,
        });
      }
    }
  } finally {
    for (let index = 0; index < handles.length; index += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.slice(index, index + 10).map((handle) => ({ ...handle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  return [...seen.values()].slice(0, max);
}
