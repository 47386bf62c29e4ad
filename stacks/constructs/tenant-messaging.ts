import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../fleet/model/sizing';
import type { IngestModel } from '../../fleet/model/types';
import type { AwsContext } from './aws-context';
import { denyInsecureTransport, policyDocument } from './policy-document';

export interface TenantMessagingProps {
  readonly aws: AwsContext;
  readonly topicName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The tenant's KMS key: topic, queue and DLQ are encrypted with it. */
  readonly keyArn: string;
  readonly ingest: IngestModel;
}

/** How long SQS reuses a data key before calling KMS again (5 min: the SQS default, keeps KMS calls and cost low). */
const KMS_DATA_KEY_REUSE_SECONDS = 300;

/**
 * SNS topic → raw-delivery subscription → SQS queue (+ DLQ), all encrypted with the tenant key, all TLS-only.
 * Only the tenant's own topic may send to its queue (aws:SourceArn), and only its queue may redrive into its DLQ.
 */
export class TenantMessaging extends Construct {
  readonly topic: SnsTopic;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: TenantMessagingProps) {
    super(scope, id);
    const { ingest } = props;
    if (ingest.visibilityTimeoutSeconds < VISIBILITY_TIMEOUT_FACTOR * ingest.timeoutSeconds) {
      throw new Error(
        `ingest.visibilityTimeoutSeconds (${ingest.visibilityTimeoutSeconds}) must be ≥ ${VISIBILITY_TIMEOUT_FACTOR} × ingest.timeoutSeconds ` +
          `(${ingest.timeoutSeconds}) so a message is not redelivered while a retried batch is still running; raise it to ` +
          `${VISIBILITY_TIMEOUT_FACTOR * ingest.timeoutSeconds}`,
      );
    }

    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.keyArn });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: 'AccountPublishesAndSubscribes',
          Effect: 'Allow',
          Principal: { AWS: props.aws.accountRootArn },
          Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
          Resource: this.topic.arn,
        },
        denyInsecureTransport('sns', this.topic.arn),
      ]),
    });

    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      name: props.deadLetterQueueName,
      kmsMasterKeyId: props.keyArn,
      kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
      messageRetentionSeconds: ingest.dlqRetentionSeconds,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      kmsMasterKeyId: props.keyArn,
      kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
      visibilityTimeoutSeconds: ingest.visibilityTimeoutSeconds,
      messageRetentionSeconds: ingest.messageRetentionSeconds,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: ingest.maxReceiveCount,
      }),
    });
    // A separate resource: the queue already references the DLQ, so the DLQ cannot reference the queue inline.
    new SqsQueueRedriveAllowPolicy(this, 'dead-letter-queue-redrive-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });

    const queuePolicy = new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: policyDocument([
        {
          Sid: 'TenantTopicSendsMessages',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: this.queue.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': this.topic.arn } },
        },
        denyInsecureTransport('sqs', this.queue.arn),
      ]),
    });
    new SqsQueuePolicy(this, 'dead-letter-queue-policy', {
      queueUrl: this.deadLetterQueue.url,
      policy: policyDocument([denyInsecureTransport('sqs', this.deadLetterQueue.arn)]),
    });

    new SnsTopicSubscription(this, 'subscription', {
      topicArn: this.topic.arn,
      protocol: 'sqs',
      endpoint: this.queue.arn,
      // The ingest function receives the published record itself, not the SNS envelope.
      rawMessageDelivery: true,
      dependsOn: [queuePolicy],
    });
  }
}
