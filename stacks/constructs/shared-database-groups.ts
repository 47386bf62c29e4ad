import { Construct } from 'constructs';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { SharedParameterGroupModel } from '../../fleet/model/types';

export interface SharedDatabaseGroupsProps {
  readonly subnetGroupName: string;
  /** The cell's private subnets. */
  readonly subnetIds: string[];
  readonly parameterGroups: readonly SharedParameterGroupModel[];
}

/**
 * The DB subnet group and the `(family, tier)` DB parameter groups every tenant database of a cell shares. RDS allows
 * 50 of each per account and region by default; one per tenant capped a cell at 50 tenants (and 40 instances). Tenant
 * stacks name them (DatabaseModel.subnetGroupName / parameterGroup) without reading this stack's state; the platform stack
 * deploys first, so they exist before any tenant database.
 */
export class SharedDatabaseGroups extends Construct {
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroups: readonly DbParameterGroup[];

  constructor(scope: Construct, id: string, props: SharedDatabaseGroupsProps) {
    super(scope, id);
    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.subnetGroupName,
      description: 'Private subnets of every flota tenant database in this cell',
      subnetIds: props.subnetIds,
    });
    this.parameterGroups = props.parameterGroups.map(
      (group) =>
        new DbParameterGroup(this, `parameter-group-${group.tier}`, {
          name: group.name,
          family: group.family,
          description: `flota ${group.tier} tier: TLS only, explicit max_connections (connection budget)`,
          parameter: [
            { name: 'rds.force_ssl', value: '1' },
            // Static parameter: applies at the next reboot; the connection budget in the model is computed from it.
            { name: 'max_connections', value: String(group.maxConnections), applyMethod: 'pending-reboot' },
          ],
          // A tier's tenants keep using the group; a replacement must exist before the old one goes.
          lifecycle: { createBeforeDestroy: true },
        }),
    );
  }
}
