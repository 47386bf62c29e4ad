import { Construct } from 'constructs';
import { GrafanaRoleAssociation } from '@cdktf/provider-aws/lib/grafana-role-association';
import { GrafanaWorkspace as AwsGrafanaWorkspace } from '@cdktf/provider-aws/lib/grafana-workspace';
import { GrafanaWorkspaceServiceAccount } from '@cdktf/provider-aws/lib/grafana-workspace-service-account';
import { GrafanaWorkspaceServiceAccountToken } from '@cdktf/provider-aws/lib/grafana-workspace-service-account-token';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { ObservabilityModel } from '../../fleet/model/types';
import { TimeProvider, TimeRotating } from '../providers/time';
import type { AwsContext } from './aws-context';
import { policyDocument, type PolicyStatement } from './policy-document';

export interface GrafanaWorkspaceProps {
  readonly aws: AwsContext;
  readonly observability: ObservabilityModel;
  /** Physical-name prefix (fleet.prefix). */
  readonly namePrefix: string;
  /**
   * Lifetime of the provider's service-account token. AMG caps it at 30 days. The token rotates by itself every
   * `tokenRotationDays` (see docs/observability.md, "Token rotation").
   * @default 2592000 (30 days)
   */
  readonly tokenSecondsToLive?: number;
  /**
   * Days after which the token is replaced: a `time_rotating` comes due, and the next apply of the platform stack
   * (any deploy, or the scheduled .github/workflows/rotate-grafana-token.yml) replaces the token and the SSM parameter.
   * Must leave room for the schedule (weekly, so ≤ tokenSecondsToLive − 14 days): one missed run still leaves a live token.
   * @default 14
   */
  readonly tokenRotationDays?: number;
  /**
   * Part of the token's name. Changing it replaces the token at once (create before destroy), e.g. after a leak.
   * @default "1"
   */
  readonly tokenGeneration?: string;
  /**
   * The account is the monitoring account of CloudWatch cross-account observability (a fleet with several cells): the
   * data source lists the linked accounts (Grafana's CloudWatch plugin needs oam:ListSinks and oam:ListAttachedLinks).
   * @default false
   */
  readonly crossAccountObservability?: boolean;
}

/** Days between token rotations. */
export const DEFAULT_TOKEN_ROTATION_DAYS = 14;
/** The scheduled rotation runs weekly: a due token is replaced within 7 days, and one missed run still leaves it alive. */
export const ROTATION_SCHEDULE_SLACK_DAYS = 14;

/** AMG's ceiling for service-account token lifetime. */
export const MAX_TOKEN_SECONDS_TO_LIVE = 30 * 24 * 3600;

/**
 * CloudWatch read actions the workspace's data source and alerting use. CloudWatch's metric read APIs
 * (GetMetricData, GetMetricStatistics, ListMetrics, GetInsightRuleReport) and tag:GetResources support NO
 * resource-level permissions, so their statement needs `Resource: "*"`; it is narrowed to the fleet's region with
 * aws:RequestedRegion instead. Alarm reads are scoped to the account's alarm ARNs.
 */
export const CLOUDWATCH_METRIC_READ_ACTIONS = [
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'cloudwatch:GetInsightRuleReport',
  'tag:GetResources',
] as const;

export const CLOUDWATCH_ALARM_READ_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarmsForMetric'] as const;

/**
 * The Amazon Managed Grafana workspace (Grafana 10.4, unified alerting on) for the platform stack, with:
 * - a CUSTOMER_MANAGED workspace role that can only read CloudWatch in the fleet's region (and publish to the named
 *   SNS topics, which the observability stack grants: see ObservabilityModel.workspaceRoleName);
 * - an ADMIN service account and a token for the grafana Terraform provider, valid ≤ 30 days;
 * - SSM parameters with the workspace URL (String) and the token (SecureString under a dedicated, rotating KMS key),
 *   named by the model, which the observability stack reads with data sources (no cross-stack state).
 */
export class GrafanaWorkspace extends Construct {
  readonly workspace: AwsGrafanaWorkspace;
  readonly role: IamRole;
  readonly serviceAccount: GrafanaWorkspaceServiceAccount;
  readonly token: GrafanaWorkspaceServiceAccountToken;
  readonly tokenRotation: TimeRotating;
  readonly roleAssociations: readonly GrafanaRoleAssociation[];
  readonly key: KmsKey;
  readonly urlParameter: SsmParameter;
  readonly tokenParameter: SsmParameter;

  constructor(scope: Construct, id: string, props: GrafanaWorkspaceProps) {
    super(scope, id);
    const { aws, observability } = props;
    const tokenSecondsToLive = props.tokenSecondsToLive ?? MAX_TOKEN_SECONDS_TO_LIVE;
    if (!Number.isInteger(tokenSecondsToLive) || tokenSecondsToLive < 60 || tokenSecondsToLive > MAX_TOKEN_SECONDS_TO_LIVE) {
      throw new Error(
        `GrafanaWorkspace: tokenSecondsToLive must be a whole number of seconds in [60, ${MAX_TOKEN_SECONDS_TO_LIVE}] (AMG allows at most 30 days); got ${tokenSecondsToLive}`,
      );
    }
    const rotationDays = props.tokenRotationDays ?? DEFAULT_TOKEN_ROTATION_DAYS;
    if (!Number.isInteger(rotationDays) || rotationDays < 1 || (rotationDays + ROTATION_SCHEDULE_SLACK_DAYS) * 86400 > tokenSecondsToLive) {
      throw new Error(
        `GrafanaWorkspace: tokenRotationDays must be a whole number ≥ 1 that leaves ${ROTATION_SCHEDULE_SLACK_DAYS} days (two weekly rotation runs) before the token expires after ${tokenSecondsToLive} s; got ${rotationDays}`,
      );
    }

    this.role = new IamRole(this, 'role', {
      name: observability.workspaceRoleName,
      description: 'Amazon Managed Grafana workspace role: reads CloudWatch for flota dashboards and SLO alerts',
      // only AMG, and only on behalf of a workspace in this account (confused-deputy protection)
      assumeRolePolicy: policyDocument([
        {
          Sid: 'AssumeByGrafanaInThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'grafana.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': aws.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${aws.partition}:grafana:${aws.region}:${aws.accountId}:/workspaces/*` },
          },
        },
      ]),
    });
    const statements: PolicyStatement[] = [
      {
        Sid: 'ReadCloudWatchMetricsInFleetRegion',
        Effect: 'Allow',
        Action: [...CLOUDWATCH_METRIC_READ_ACTIONS],
        // CloudWatch metric reads and tag:GetResources do not support resource-level permissions.
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': aws.region } },
      },
      {
        Sid: 'ReadCloudWatchAlarms',
        Effect: 'Allow',
        Action: [...CLOUDWATCH_ALARM_READ_ACTIONS],
        Resource: aws.arn('cloudwatch', 'alarm:*'),
      },
    ];
    if (props.crossAccountObservability === true) {
      statements.push(
        // oam:ListSinks has no resource-level permissions
        { Sid: 'ListObservabilitySinks', Effect: 'Allow', Action: 'oam:ListSinks', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': aws.region } } },
        { Sid: 'ListLinkedAccounts', Effect: 'Allow', Action: 'oam:ListAttachedLinks', Resource: aws.arn('oam', 'sink/*') },
      );
    }
    new IamRolePolicy(this, 'cloudwatch-read', { name: 'cloudwatch-read', role: this.role.id, policy: policyDocument(statements) });

    this.workspace = new AwsGrafanaWorkspace(this, 'workspace', {
      name: observability.workspaceName,
      description: 'flota fleet dashboards and SLO alerts',
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: [...observability.authenticationProviders],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: this.role.arn,
      dataSources: ['CLOUDWATCH'],
      notificationDestinations: ['SNS'],
      grafanaVersion: observability.grafanaVersion,
      configuration: JSON.stringify({ unifiedAlerting: { enabled: true }, plugins: { pluginAdminEnabled: false } }),
    });

    this.serviceAccount = new GrafanaWorkspaceServiceAccount(this, 'terraform-service-account', {
      name: `${props.namePrefix}-terraform`,
      grafanaRole: 'ADMIN',
      workspaceId: this.workspace.id,
    });
    // Rotation that runs by itself: once the time_rotating is due, the next plan re-creates it. The token's name carries
    // the rotation's timestamp, and every argument of a service-account token forces replacement (AMG has no update), so
    // the token is replaced (create before destroy: old and new names never collide) and the SSM parameter updated; the
    // observability stack reads the new token from SSM at its next plan. (Not `replace_triggered_by`: cdktf 0.21 emits it
    // as "${…}", which terraform rejects — hashicorp/terraform-cdk#3196.)
    new TimeProvider(this, 'time');
    this.tokenRotation = new TimeRotating(this, 'terraform-token-rotation', { rotationDays });
    this.token = new GrafanaWorkspaceServiceAccountToken(this, 'terraform-token', {
      name: `${props.namePrefix}-terraform-${props.tokenGeneration ?? '1'}-${this.tokenRotation.unix}`,
      secondsToLive: tokenSecondsToLive,
      serviceAccountId: this.serviceAccount.serviceAccountId,
      workspaceId: this.workspace.id,
      // a replacement token exists before the old one is deleted, so the SSM parameter never points at a dead token
      lifecycle: { createBeforeDestroy: true },
    });

    // Who may sign in (IAM Identity Center groups from the manifest's observability.ssoGroups), one association per role.
    this.roleAssociations = observability.roleAssociations.map(
      (association) =>
        new GrafanaRoleAssociation(this, `role-${association.role.toLowerCase()}`, {
          role: association.role,
          groupIds: [...association.groupIds],
          workspaceId: this.workspace.id,
        }),
    );

    this.key = new KmsKey(this, 'key', {
      description: 'flota Grafana provider token (SSM SecureString)',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        { Sid: 'AccountRootAdministersKey', Effect: 'Allow', Principal: { AWS: aws.accountRootArn }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'UseOnlyViaSsm',
          Effect: 'Allow',
          Principal: { AWS: aws.accountRootArn },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': aws.accountId, 'kms:ViaService': `ssm.${aws.region}.amazonaws.com` } },
        },
      ]),
    });
    new KmsAlias(this, 'key-alias', { name: `alias/${props.namePrefix}-grafana`, targetKeyId: this.key.keyId });

    this.urlParameter = new SsmParameter(this, 'url-parameter', {
      name: observability.workspaceUrlParameter,
      description: 'flota Grafana workspace URL (read by the observability stack)',
      type: 'String',
      value: `https://${this.workspace.endpoint}`,
    });
    this.tokenParameter = new SsmParameter(this, 'token-parameter', {
      name: observability.workspaceTokenParameter,
      description: 'flota Grafana provider service-account token (read by the observability stack; rotated by time_rotating)',
      type: 'SecureString',
      keyId: this.key.arn,
      value: this.token.key,
    });
  }
}
