/**
 * What a cell uses of each account quota (fleet/manifest/schema/quotas.ts), from what its stacks create. Pure: the
 * validation rule (rules.ts), `flota validate`'s increase list and `flota quotas` all count with these functions, so
 * they can never disagree.
 */
import { QUOTAS, type FleetDefaults, type QuotaDefinition, type QuotaKey, type TenantManifest } from '../manifest/schema';
import { cellOfTenant, declaredCells } from './cells';
import type { CellModel, FleetModel } from './types';
import { deriveTenantNames } from './names';
import { dbParameterGroupFor, reservedConcurrencyOf, resolveSizing, UNRESERVED_CONCURRENCY_MINIMUM } from './sizing';

/** What one tenant adds to its cell's usage. */
export interface TenantFootprint {
  readonly id: string;
  readonly cell: string;
  /** The DB parameter group it uses: a shared `(family, tier)` group or its own. */
  readonly parameterGroup: string;
  readonly maxAllocatedStorageGb: number;
  /** API reserved concurrency + the migrate function's 1. */
  readonly reservedConcurrency: number;
}

/** The shape of a cell's platform, as far as quotas care. */
export interface CellFootprint {
  readonly name: string;
  readonly availabilityZoneCount: number;
  readonly interfaceEndpointCount: number;
  /** The first cell also holds the Grafana workspace (one more IAM role). */
  readonly hostsObservability: boolean;
}

/** IAM roles a tenant stack creates: ingest, API and migrate function roles. */
export const IAM_ROLES_PER_TENANT = 3;
/** Security groups per tenant: the functions' and the database's. */
export const SECURITY_GROUPS_PER_TENANT = 2;

/** Usage of every quota by one cell. */
export function cellUsage(cell: CellFootprint, tenants: readonly TenantFootprint[]): Record<QuotaKey, number> {
  const mine = tenants.filter((t) => t.cell === cell.name);
  const n = mine.length;
  return {
    rdsDbInstances: n,
    // one shared subnet group in the platform stack
    rdsDbSubnetGroups: 1,
    rdsParameterGroups: new Set(mine.map((t) => t.parameterGroup)).size,
    rdsTotalStorageGb: mine.reduce((sum, t) => sum + t.maxAllocatedStorageGb, 0),
    lambdaConcurrentExecutions: mine.reduce((sum, t) => sum + t.reservedConcurrency, 0) + UNRESERVED_CONCURRENCY_MINIMUM,
    lambdaVpcNetworkInterfaces: (n + cell.interfaceEndpointCount) * cell.availabilityZoneCount,
    // + the endpoints' group and the VPC's default group
    vpcSecurityGroups: SECURITY_GROUPS_PER_TENANT * n + 2,
    apiGatewayRegionalApis: n,
    apiGatewayUsagePlans: n,
    apiGatewayApiKeys: n,
    // + API Gateway's CloudWatch logging role (every cell) and the Grafana workspace role (first cell)
    iamRoles: IAM_ROLES_PER_TENANT * n + 1 + (cell.hostsObservability ? 1 : 0),
  };
}

/** How much of a quota one more (typical) tenant takes; undefined when it does not grow per tenant. */
export function perTenantCost(q: QuotaDefinition, cell: CellFootprint): number | undefined {
  switch (q.key) {
    case 'rdsDbInstances':
    case 'apiGatewayRegionalApis':
    case 'apiGatewayUsagePlans':
    case 'apiGatewayApiKeys':
      return 1;
    case 'vpcSecurityGroups':
      return SECURITY_GROUPS_PER_TENANT;
    case 'iamRoles':
      return IAM_ROLES_PER_TENANT;
    case 'lambdaVpcNetworkInterfaces':
      return cell.availabilityZoneCount;
    default:
      return undefined;
  }
}

/** How many more tenants a cell can take before any count-based quota is exceeded. */
export function tenantRoom(cell: CellFootprint, usage: Record<QuotaKey, number>, quotas: Record<QuotaKey, number>): number {
  let room = Number.POSITIVE_INFINITY;
  for (const q of QUOTAS) {
    const cost = perTenantCost(q, cell);
    if (cost === undefined) continue;
    room = Math.min(room, Math.floor((quotas[q.key] - usage[q.key]) / cost));
  }
  return Math.max(0, room);
}

export interface QuotaIncrease {
  readonly cell: string;
  readonly quota: QuotaDefinition;
  /** The AWS default a new account starts with. */
  readonly from: number;
  /** The value the manifest declares (what to request). */
  readonly to: number;
  readonly usage: number;
}

/** Quotas a new account must have raised before the first deploy: every declared value above the AWS default. */
export function quotaIncreases(cell: string, quotas: Record<QuotaKey, number>, usage: Record<QuotaKey, number>): QuotaIncrease[] {
  return QUOTAS.filter((q) => quotas[q.key] > q.awsDefault).map((q) => ({ cell, quota: q, from: q.awsDefault, to: quotas[q.key], usage: usage[q.key] }));
}

/** A tenant's footprint from its manifest (tier resolved), as the validation rules see it before the model exists. */
export function tenantFootprintFromManifest(fleet: FleetDefaults, tenant: TenantManifest): TenantFootprint | undefined {
  const tier = fleet.tiers[tenant.tier];
  if (tier === undefined) return undefined;
  const sizing = resolveSizing(tier, tenant);
  const names = deriveTenantNames(fleet.prefix, tenant.id, fleet.environment);
  return {
    id: tenant.id,
    cell: cellOfTenant(fleet, tenant.cell),
    parameterGroup: dbParameterGroupFor(fleet.prefix, tenant.tier, tier, sizing, names.dbParameterGroup).name,
    maxAllocatedStorageGb: sizing.database.maxAllocatedStorageGb,
    reservedConcurrency: reservedConcurrencyOf(sizing),
  };
}

/** A cell's platform shape from the manifest. */
export function cellFootprintFromManifest(fleet: FleetDefaults, cellIndex: number): CellFootprint {
  return {
    name: declaredCells(fleet)[cellIndex]!.name,
    availabilityZoneCount: fleet.network.availabilityZoneCount,
    interfaceEndpointCount: fleet.network.interfaceEndpoints.length,
    hostsObservability: cellIndex === 0,
  };
}

/** One row of `flota quotas`: a cell's usage of a quota against the value the manifest declares. */
export interface QuotaUsageRow {
  readonly quota: QuotaDefinition;
  readonly usage: number;
  /** Effective value (declared, or the AWS default). */
  readonly value: number;
}

export interface CellQuotaReport {
  readonly cell: CellModel;
  readonly tenants: number;
  readonly rows: readonly QuotaUsageRow[];
  /** Declared values above the AWS default: the increases a new account needs before the first deploy. */
  readonly increases: readonly QuotaIncrease[];
}

/** Usage vs quota of every cell of a (valid) fleet model. */
export function fleetQuotaReport(model: FleetModel): CellQuotaReport[] {
  const footprints: TenantFootprint[] = model.tenants.map((t) => ({
    id: t.id,
    cell: t.cell,
    parameterGroup: t.database.parameterGroup.name,
    maxAllocatedStorageGb: t.database.maxAllocatedStorageGb,
    reservedConcurrency: reservedConcurrencyOf(t),
  }));
  return model.cells.map((cell) => {
    const usage = cellUsage(
      {
        name: cell.name,
        availabilityZoneCount: model.network.availabilityZoneCount,
        interfaceEndpointCount: model.network.interfaceEndpoints.length,
        hostsObservability: cell.hostsObservability,
      },
      footprints,
    );
    const quotas = Object.fromEntries(QUOTAS.map((q) => [q.key, cell.quotas[q.key] ?? q.awsDefault])) as Record<QuotaKey, number>;
    return {
      cell,
      tenants: footprints.filter((f) => f.cell === cell.name).length,
      rows: QUOTAS.map((q) => ({ quota: q, usage: usage[q.key], value: quotas[q.key] })),
      increases: quotaIncreases(cell.name, quotas, usage),
    };
  });
}

/** `cell default (eu-west-1)` / `cell eu-2 (account 123456789012, eu-west-1)`. */
export function cellLabel(cell: CellModel): string {
  return `cell ${cell.name} (${cell.accountId !== undefined ? `account ${cell.accountId}, ` : 'the deploy account, '}${cell.region})`;
}
