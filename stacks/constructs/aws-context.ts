import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

export interface AwsContextProps {
  /** Region of the stack's provider (from the model; known at synth time). */
  readonly region: string;
}

/**
 * Account, partition and region of a stack, looked up once per stack, plus ARN builders for resources whose ARN must be
 * known before the resource exists (e.g. log groups named in a KMS key policy that the log group itself depends on).
 */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: AwsContextProps) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    this.region = props.region;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>` */
  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  logGroupArn(logGroupName: string): string {
    return this.arn('logs', `log-group:${logGroupName}`);
  }

  get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
}
