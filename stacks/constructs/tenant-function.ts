import { Construct } from 'constructs';
import { AssetType, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { FunctionBundle } from '../assets/bundle';
import type { AwsContext } from './aws-context';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from './policy-document';

/** Sid of the one statement allowed to use `Resource: "*"` (see {@link vpcNetworkInterfaceStatements}). */
export const ENI_DESCRIBE_SID = 'VpcNetworkInterfacesDescribe';

export interface TenantFunctionProps {
  readonly aws: AwsContext;
  readonly functionName: string;
  readonly roleName: string;
  /** `/aws/lambda/<functionName>` from the model. */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Tenant KMS key: encrypts the log group. */
  readonly keyArn: string;
  /** The shared, prebuilt zip of this function (built once per synth, copied into the stack). */
  readonly bundle: FunctionBundle;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * Reserved concurrency: bounds the database connections this function can open, and guarantees the function that
   * many executions however busy the other tenants of the account are.
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * What must exist (and have run) before the function is created or updated, beyond its own role policy and log
   * group — the tenant stack passes the migration invocation, so new code never meets an old schema.
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  readonly environment: Readonly<Record<string, string>>;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** What the function may do beyond writing its own logs and attaching to the VPC. Scoped to tenant ARNs. */
  readonly statements: readonly PolicyStatement[];
}

/** Lambda runtime and architecture for every flota function (fixed by the platform contract). */
export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';

/**
 * The ENI permissions a VPC-attached function's execution role needs (the inline equivalent of the managed
 * AWSLambdaVPCAccessExecutionRole, without its `logs:*` on every log group).
 *
 * The documented exception to "no `*` resource": EC2 Describe* actions do not support resource-level permissions, so
 * they need `Resource: "*"`. The mutating ENI actions are scoped to EC2 resources of this account and region.
 */
export function vpcNetworkInterfaceStatements(aws: AwsContext): PolicyStatement[] {
  return [
    {
      Sid: ENI_DESCRIBE_SID,
      Effect: 'Allow',
      Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      Resource: '*',
    },
    {
      Sid: 'VpcNetworkInterfacesManage',
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: aws.arn('ec2', '*'),
    },
  ];
}

/**
 * One tenant function: KMS-encrypted log group with retention, execution role with a least-privilege inline policy,
 * and the VPC-attached Lambda (nodejs22.x, arm64) running the shared bundle.
 */
export class TenantFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: TenantFunctionProps) {
    super(scope, id);
    const { aws } = props;
    if (props.logGroupName !== `/aws/lambda/${props.functionName}`) {
      throw new Error(
        `log group '${props.logGroupName}' of function '${props.functionName}' must be '/aws/lambda/${props.functionName}' ` +
          'or Lambda writes to a second, unencrypted log group; fix the name in the model',
      );
    }

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.keyArn,
    });
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'least-privilege',
      policy: policyDocument([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${this.logGroup.arn}:*`,
        },
        ...vpcNetworkInterfaceStatements(aws),
        ...props.statements,
      ]),
    });

    // The stack copies the shared zip (a plain file copy; never a per-stack ARCHIVE asset, which spawns a process each).
    const asset = new TerraformAsset(this, 'code', {
      path: props.bundle.path,
      type: AssetType.FILE,
      assetHash: props.bundle.sha256Hex,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256Base64,
      timeout: props.timeoutSeconds,
      memorySize: props.memoryMb,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: { ...props.environment } },
      vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      // The role must be able to create ENIs and write logs before the function is created.
      dependsOn: [policy, this.logGroup, ...(props.dependsOn ?? [])],
    });
  }
}
