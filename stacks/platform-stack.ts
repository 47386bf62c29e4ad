import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { CellModel, FleetModel } from '../fleet/model/types';
import { ApiGatewayLogging } from './constructs/api-gateway-logging';
import { MonitoringSink, SourceLink } from './constructs/cross-account-observability';
import { GrafanaWorkspace } from './constructs/grafana-workspace';
import { AwsContext } from './constructs/aws-context';
import { PrivateNetwork } from './constructs/private-network';
import { SharedDatabaseGroups } from './constructs/shared-database-groups';
import { addBackendAndProvider, assumeRoleOf } from './constructs/stack-backend';

export interface PlatformStackProps {
  readonly fleet: FleetModel;
  /** The cell this platform serves. Default: the fleet's first cell. */
  readonly cell?: CellModel;
}

/**
 * Shared infrastructure of one cell (one AWS account): the private network every tenant's functions and database live
 * in, the DB subnet group and `(family, tier)` parameter groups its tenant databases share, and region-wide settings.
 * The first cell also holds the Amazon Managed Grafana workspace and, with more than one cell, the CloudWatch
 * cross-account observability sink that every other cell's platform links to. Tenant stacks find the network by tag and
 * the DB groups by name (no cross-stack state), so changing a tenant never touches this stack's state.
 */
export class PlatformStack extends TerraformStack {
  readonly cell: CellModel;
  readonly aws: AwsContext;
  readonly network: PrivateNetwork;
  readonly databaseGroups: SharedDatabaseGroups;
  readonly grafana?: GrafanaWorkspace;

  constructor(scope: Construct, props: PlatformStackProps) {
    const { fleet } = props;
    const cell = props.cell ?? fleet.cells[0]!;
    super(scope, cell.platformStackName);
    this.cell = cell;
    addBackendAndProvider(this, {
      stackName: cell.platformStackName,
      state: fleet.state,
      region: cell.region,
      tags: fleet.tags,
      assumeRoleArn: cell.deployRoleArn,
    });
    this.aws = new AwsContext(this, 'account', { region: cell.region });

    this.network = new PrivateNetwork(this, 'network', {
      network: fleet.network,
      region: cell.region,
      namePrefix: fleet.prefix,
    });
    this.databaseGroups = new SharedDatabaseGroups(this, 'database-groups', {
      subnetGroupName: cell.dbSubnetGroupName,
      subnetIds: this.network.privateSubnets.map((subnet) => subnet.id),
      parameterGroups: cell.parameterGroups,
    });
    new ApiGatewayLogging(this, 'api-gateway-logging', {
      aws: this.aws,
      roleName: `${fleet.prefix}-apigateway-cloudwatch`,
    });

    const sink = fleet.observability.crossAccountSink;
    if (cell.hostsObservability) {
      // The Grafana workspace publishes its URL and provider token to the SSM parameters named in fleet.observability;
      // the observability stack reads them with data sources, so it plans without this stack's state.
      this.grafana = new GrafanaWorkspace(this, 'grafana', {
        aws: this.aws,
        observability: fleet.observability,
        namePrefix: fleet.prefix,
        crossAccountObservability: sink !== undefined,
      });
      if (sink !== undefined) {
        new MonitoringSink(this, 'cross-account-observability', {
          sinkName: sink.name,
          arnParameter: sink.arnParameter,
          sourceAccountIds: fleet.cells.filter((c) => !c.hostsObservability).map((c) => c.accountId!),
        });
      }
    } else if (sink !== undefined) {
      const monitoring = fleet.cells.find((c) => c.hostsObservability)!;
      const monitoringProvider = new AwsProvider(this, 'aws-monitoring', {
        alias: 'monitoring',
        region: monitoring.region,
        assumeRole: assumeRoleOf(monitoring.deployRoleArn, cell.platformStackName),
        defaultTags: [{ tags: { ...fleet.tags } }],
      });
      new SourceLink(this, 'cross-account-observability', { arnParameter: sink.arnParameter, monitoringProvider });
    }

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
  }
}
