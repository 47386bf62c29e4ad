import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsContext } from './aws-context';
import { policyDocument, type PolicyStatement } from './policy-document';

export interface TenantKeyProps {
  readonly aws: AwsContext;
  /** `alias/<prefix>-<tenant>` from the model. */
  readonly alias: string;
  readonly description: string;
  /** Names of the tenant's log groups: only these may be encrypted by CloudWatch Logs with this key. */
  readonly logGroupNames: readonly string[];
  /** ARN of the tenant's SNS topic: SNS may use the key only when delivering from it to the encrypted queue. */
  readonly topicArn: string;
  /**
   * Days before a scheduled key deletion completes.
   * @default 30 (the maximum: a deleted key makes the tenant's database, queues and backups unreadable)
   */
  readonly deletionWindowDays?: number;
}

/** Short names of services that use the key on the tenant's behalf through their own APIs (kms:ViaService). */
const VIA_SERVICES = ['sqs', 'sns', 'secretsmanager', 'rds'] as const;

const DATA_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * The tenant's customer-managed KMS key (rotation on) and its alias.
 *
 * Key policy, in order: the account root administers the key (AWS's default statement; without it IAM policies cannot
 * grant use of the key — `kms:*` here is the one wildcard action flota emits, on the key itself); the tenant's AWS
 * services use it only via their own APIs from this account; CloudWatch Logs only for the tenant's log groups
 * (encryption-context condition); SNS only when delivering the tenant topic's messages into its encrypted queue.
 */
export class TenantKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    const { aws } = props;
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: aws.accountRootArn },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'TenantServicesUseKeyViaService',
        Effect: 'Allow',
        Principal: { AWS: aws.accountRootArn },
        Action: [...DATA_KEY_ACTIONS, 'kms:CreateGrant'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': aws.accountId,
            'kms:ViaService': VIA_SERVICES.map((service) => `${service}.${aws.region}.amazonaws.com`),
          },
        },
      },
      {
        Sid: 'CloudWatchLogsEncryptsTenantLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${aws.region}.amazonaws.com` },
        Action: DATA_KEY_ACTIONS,
        Resource: '*',
        Condition: {
          ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': props.logGroupNames.map((name) => aws.logGroupArn(name)) },
        },
      },
      {
        Sid: 'SnsDeliversTenantTopicToEncryptedQueue',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { ArnEquals: { 'aws:SourceArn': props.topicArn } },
      },
    ];
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyDocument(statements),
    });
    this.alias = new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }
}
