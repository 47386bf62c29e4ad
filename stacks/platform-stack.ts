import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { FleetModel } from './model/types';
import { ApiGatewayLogging } from './constructs/api-gateway-logging';
import { AwsContext } from './constructs/aws-context';
import { PrivateNetwork } from './constructs/private-network';
import { addBackendAndProvider } from './constructs/stack-backend';

export interface PlatformStackProps {
  readonly fleet: FleetModel;
}

/**
 * Shared, fleet-wide infrastructure: the private network every tenant's functions and database live in, and region-wide
 * settings. Tenant stacks find it by tag (data sources), so changing a tenant never touches this stack's state.
 */
export class PlatformStack extends TerraformStack {
  readonly aws: AwsContext;
  readonly network: PrivateNetwork;

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

    // ── Grafana workspace ────────────────────────────────────────────────────────────────────────────────────────────
    // The Amazon Managed Grafana workspace (OBSERVABILITY: stacks/constructs/grafana-workspace.ts) is instantiated here
    // by the lead, e.g. `new GrafanaWorkspace(this, 'grafana', { observability: fleet.observability, ... })`. It
    // publishes its URL and token to the SSM parameters named in fleet.observability; the observability stack reads them.
    // ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
  }
}
