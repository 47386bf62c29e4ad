import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsContext } from './aws-context';
import { assumeRolePolicy } from './policy-document';

export interface ApiGatewayLoggingProps {
  readonly aws: AwsContext;
  readonly roleName: string;
}

/** AWS managed policy API Gateway needs to write REST API access logs (account-wide setting, one per region). */
export const API_GATEWAY_LOGS_MANAGED_POLICY = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * The region-wide API Gateway setting that lets REST API stages write access logs to CloudWatch Logs. It belongs to the
 * platform stack: it is one per account and region, shared by every tenant's API. The role is assumable only by API
 * Gateway and uses the AWS managed policy (the documented exception to flota's inline least-privilege policies).
 */
export class ApiGatewayLogging extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: assumeRolePolicy('apigateway.amazonaws.com'),
    });
    const attachment = new IamRolePolicyAttachment(this, 'push-to-cloudwatch-logs', {
      role: this.role.name,
      policyArn: `arn:${props.aws.partition}:iam::aws:policy/${API_GATEWAY_LOGS_MANAGED_POLICY}`,
    });
    new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: this.role.arn, dependsOn: [attachment] });
  }
}
