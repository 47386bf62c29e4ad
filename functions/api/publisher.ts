import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ApiError } from './errors';
import type { PublishRecord } from './app';

/** SNS error names worth a client retry (503 + Retry-After) rather than a 500. */
const RETRYABLE = new Set(['ThrottledException', 'Throttling', 'ThrottlingException', 'InternalErrorException', 'KMSThrottlingException', 'ServiceUnavailable', 'TimeoutError']);

/** Seconds clients are told to wait when SNS throttles or is briefly unavailable. */
export const PUBLISH_RETRY_AFTER_SECONDS = 2;

/** The parts of the SNS SDK the publisher uses. */
export interface SnsSdk {
  readonly client: SNSClient;
  readonly PublishCommand: typeof PublishCommand;
}

let sdk: Promise<SnsSdk> | undefined;

/**
 * The SNS client, one per container, created on the first publish. Loading the SDK is the largest part of the API's
 * module initialisation; reads (most requests, and every cold start that serves one) never pay for it.
 */
export function loadSnsSdk(): Promise<SnsSdk> {
  if (!sdk) {
    sdk = import('@aws-sdk/client-sns').then((m) => ({ client: new m.SNSClient({}), PublishCommand: m.PublishCommand }));
    sdk.catch(() => (sdk = undefined)); // once per load (not per publish): a failed load is retried by the next publish
  }
  return sdk;
}

/**
 * Publishes a validated record to the tenant topic. The body is exactly the record JSON (raw delivery to SQS), and the
 * record type travels as a message attribute so subscriptions could filter on it without parsing bodies.
 */
export function createSnsPublisher(topicArn: string, load: () => Promise<SnsSdk> = loadSnsSdk): PublishRecord {
  return async (record) => {
    try {
      const { client, PublishCommand } = await load();
      const result = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(record),
          MessageAttributes:
            typeof record.type === 'string' ? { recordType: { DataType: 'String', StringValue: record.type } } : undefined,
        }),
      );
      if (result.MessageId === undefined) throw new Error('SNS Publish returned no MessageId');
      return result.MessageId;
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const retryable = RETRYABLE.has(name) || (err as { $retryable?: unknown }).$retryable !== undefined;
      if (retryable) {
        throw new ApiError(503, 'publish_unavailable', `the topic is temporarily unavailable (${name}); retry after ${PUBLISH_RETRY_AFTER_SECONDS} seconds`, undefined, PUBLISH_RETRY_AFTER_SECONDS);
      }
      throw new ApiError(500, 'publish_failed', 'publishing the record failed', undefined, undefined, err);
    }
  };
}
