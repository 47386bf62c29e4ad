import { Construct } from 'constructs';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { OamLink } from '@cdktf/provider-aws/lib/oam-link';
import { OamSink } from '@cdktf/provider-aws/lib/oam-sink';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { policyDocument } from './policy-document';

/** Only metrics cross accounts: dashboards and SLO alerts read CloudWatch metrics, nothing else. */
export const SHARED_RESOURCE_TYPES = ['AWS::CloudWatch::Metric'] as const;

export interface MonitoringSinkProps {
  readonly sinkName: string;
  /** SSM parameter (String) the sink ARN is published to, for the source cells. */
  readonly arnParameter: string;
  /** Accounts of the other cells, allowed to link. */
  readonly sourceAccountIds: readonly string[];
}

/**
 * CloudWatch cross-account observability, monitoring side (the first cell): an OAM sink that only the fleet's other cell
 * accounts may link to, sharing only metrics. The fleet's one Grafana CloudWatch data source, in this account, then sees
 * every cell's metrics, so dashboards and alert rules need no per-cell data source.
 */
export class MonitoringSink extends Construct {
  readonly sink: OamSink;

  constructor(scope: Construct, id: string, props: MonitoringSinkProps) {
    super(scope, id);
    this.sink = new OamSink(this, 'sink', { name: props.sinkName });
    new OamSinkPolicy(this, 'policy', {
      sinkIdentifier: this.sink.arn,
      policy: policyDocument([
        {
          Sid: 'FleetCellsLinkMetricsOnly',
          Effect: 'Allow',
          Principal: { AWS: [...props.sourceAccountIds].sort() },
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          // In a sink policy the resource is the sink itself (the policy is attached to it).
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...SHARED_RESOURCE_TYPES] } },
        },
      ]),
    });
    new SsmParameter(this, 'arn-parameter', {
      name: props.arnParameter,
      type: 'String',
      value: this.sink.arn,
      description: 'ARN of the flota CloudWatch cross-account observability sink; other cells link to it',
    });
  }
}

export interface SourceLinkProps {
  readonly arnParameter: string;
  /** Provider of the monitoring account (assumes the first cell's deploy role), to read the sink ARN. */
  readonly monitoringProvider: AwsProvider;
}

/** CloudWatch cross-account observability, source side (every other cell): links this account's metrics to the sink. */
export class SourceLink extends Construct {
  readonly link: OamLink;

  constructor(scope: Construct, id: string, props: SourceLinkProps) {
    super(scope, id);
    const sinkArn = new DataAwsSsmParameter(this, 'sink-arn', { name: props.arnParameter, provider: props.monitoringProvider });
    this.link = new OamLink(this, 'link', {
      sinkIdentifier: sinkArn.value,
      resourceTypes: [...SHARED_RESOURCE_TYPES],
      labelTemplate: '$AccountName',
    });
  }
}
