import { S3Backend, type TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StateBackendModel } from '../../fleet/model/types';

export interface StackFoundationProps {
  readonly stackName: string;
  readonly state: StateBackendModel;
  readonly region: string;
  /** Applied to every taggable resource through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The cell's deploy role: the provider assumes it, so the stack's resources land in the cell's account while its state
   * stays in the fleet's state bucket (read and written with the CI credentials). Undefined: the implicit cell, deployed
   * with the CI credentials' own account.
   */
  readonly assumeRoleArn?: string;
}

/** The provider's assume_role block for a cell's deploy role (none for the implicit cell). */
export function assumeRoleOf(roleArn: string | undefined, stackName: string) {
  // Session names are ≤ 64 characters of [\w+=,.@-]; the stack name makes CloudTrail entries traceable to a stack.
  return roleArn === undefined ? undefined : [{ roleArn, sessionName: `flota-${stackName}`.slice(0, 64) }];
}

/** State key of a stack: `${keyPrefix}/${stackName}.tfstate` (one state file per stack = one blast radius). */
export function stateKey(state: StateBackendModel, stackName: string): string {
  return `${state.keyPrefix}/${stackName}.tfstate`;
}

/**
 * Every flota stack's S3 backend and AWS provider. cdktf 0.21's S3Backend has no `use_lockfile` (terraform ≥ 1.10
 * S3-native locking), so it is set with an override on the synthesized backend block.
 */
export function addBackendAndProvider(stack: TerraformStack, props: StackFoundationProps): AwsProvider {
  const { state } = props;
  new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(state, props.stackName),
    region: state.region,
    encrypt: state.encrypt,
    kmsKeyId: state.kmsKeyId,
    dynamodbTable: state.dynamodbTable,
  });
  if (state.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
  return new AwsProvider(stack, 'aws', {
    region: props.region,
    assumeRole: assumeRoleOf(props.assumeRoleArn, props.stackName),
    defaultTags: [{ tags: { ...props.tags } }],
  });
}
