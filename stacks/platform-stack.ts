import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { FleetModel } from '../fleet/model/types';
import { ApiGatewayLogging } from './constructs/api-gateway-logging';
import { GrafanaWorkspace } from './constructs/grafana-workspace';
import { AwsContext } from './constructs/aws-context';
import { PrivateNetwork } from './constructs/private-network';
import { addBackendAndProvider } from './constructs/stack-backend';

export interface PlatformStackProps {
  readonly fleet: FleetModel;
}

/**
 * Shared, fleet-wide infrastructure: the private network every tenant's functions and database live in, region-wide
 * settings and the Amazon Managed Grafana workspace. Tenant stacks find the network by tag (data sources), so changing a
 * tenant never touches this stack's state.
 */
export class PlatformStack extends TerraformStack {
  readonly aws: AwsContext;
  readonly network: PrivateNetwork;
  readonly grafana: GrafanaWorkspace;

  constructor(scope: Construct, props: PlatformStackProps) {
    const { fleet } = props;
    super(scope, fleet.platformStackName);
    addBackendAndProvider(this, {
      stackName: fleet.platformStackName,
      state: fleet.state,
      region: fleet.region,
      tags: fleet.tags,
    });
    this.aws = new AwsContext(this, 'account', { region: fleet.region });

    this.network = new PrivateNetwork(this, 'network', {
      network: fleet.network,
      region: fleet.region,
      namePrefix: fleet.prefix,
    });
    new ApiGatewayLogging(this, 'api-gateway-logging', {
      aws: this.aws,
      roleName: `${fleet.prefix}-apigateway-cloudwatch`,
    });

    // The Grafana workspace publishes its URL and provider token to the SSM parameters named in fleet.observability;
    // the observability stack reads them with data sources, so it plans without this stack's state.
    this.grafana = new GrafanaWorkspace(this, 'grafana', {
      aws: this.aws,
      observability: fleet.observability,
      namePrefix: fleet.prefix,
    });

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
  }
}
