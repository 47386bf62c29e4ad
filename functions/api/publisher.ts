import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ApiError } from './errors';
import type { PublishRecord } from './app';

/** SNS error names worth a client retry (503 + Retry-After) rather than a 500. */
const RETRYABLE = new Set(['ThrottledException', 'Throttling', 'ThrottlingException', 'InternalErrorException', 'KMSThrottlingException', 'ServiceUnavailable', 'TimeoutError']);

/** Seconds clients are told to wait when SNS throttles or is briefly unavailable. */
export const PUBLISH_RETRY_AFTER_SECONDS = 2;

/**
 * Publishes a validated record to the tenant topic. The body is exactly the record JSON (raw delivery to SQS), and the
 * record type travels as a message attribute so subscriptions could filter on it without parsing bodies.
 */
export function createSnsPublisher(client: SNSClient, topicArn: string): PublishRecord {
  return async (record) => {
    try {
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
