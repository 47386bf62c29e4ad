/**
 * buildFleetModel: the validated manifest → the fleet model (types.ts). Pure: no I/O, no cdktf, no process.env.
 * Defaults are resolved here in one direction only: tenant value ?? tier value ?? fleet value.
 */
import { ANY_RECORD } from '../../contract/record';
import type { ContactManifest, FleetDefaults, Manifest, TenantSource } from '../manifest/schema';
import { declaredCells, effectiveQuotas, cellOfTenant, platformStackNameOf, PLATFORM_STACK_NAME_BASE } from './cells';
import { deriveTenantNames, sharedDbParameterGroupName, sharedDbSubnetGroupName } from './names';
import { errorBudget } from './slo-windows';
import {
  API_MAX_BODY_BYTES,
  connectionBudget,
  DLQ_RETENTION_SECONDS,
  maxConnectionsFor,
  MESSAGE_RETENTION_SECONDS,
  POSTGRES,
  dbParameterGroupFor,
  resolveSizing,
  visibilityTimeoutSeconds,
} from './sizing';
import type {
  AlertRoutingModel,
  CellModel,
  ContactModel,
  FleetModel,
  GrafanaRoleAssociationModel,
  NetworkModel,
  SloModel,
  SloObjectiveModel,
  TenantModel,
} from './types';

export const PLATFORM_STACK_NAME = PLATFORM_STACK_NAME_BASE;
export const OBSERVABILITY_STACK_NAME = 'observability';
export const MANAGED_BY_TAG = { key: 'flota:managed-by', value: 'flota' } as const;

/** The operational alarms' runbooks, relative to the repository root; each alarm is a section (`#<alarm id>`). */
export const RUNBOOKS_PATH = 'docs/runbooks.md';

const GRAFANA_ROLES = [
  ['admin', 'ADMIN'],
  ['editor', 'EDITOR'],
  ['viewer', 'VIEWER'],
] as const;

/** One association per role that lists groups (AWS_SSO sign-in). A group listed under two roles gets the higher one in Grafana. */
function roleAssociations(fleet: FleetDefaults): GrafanaRoleAssociationModel[] {
  const groups = fleet.observability.ssoGroups;
  const associations = GRAFANA_ROLES.flatMap(([key, role]) => {
    const ids = groups[key];
    return ids === undefined || ids.length === 0 ? [] : [{ role, groupIds: [...new Set(ids)].sort() }];
  });
  if (associations.length > 0 && !fleet.observability.authenticationProviders.includes('AWS_SSO')) {
    throw new Error('observability.ssoGroups needs AWS_SSO in observability.authenticationProviders (role associations are IAM Identity Center groups)');
  }
  return associations;
}

/** Stack name of a tenant: `tenant-<id>`. */
export function tenantStackName(id: string): string {
  return `tenant-${id}`;
}

export function buildFleetModel(manifest: Manifest): FleetModel {
  const { fleet } = manifest;
  const fleetTags: Record<string, string> = { ...fleet.tags, 'flota:environment': fleet.environment, [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value };
  const tenants = [...manifest.tenants]
    .sort((a, b) => (a.tenant.id < b.tenant.id ? -1 : a.tenant.id > b.tenant.id ? 1 : 0))
    .map((source) => buildTenant(fleet, source));
  return {
    region: fleet.region,
    prefix: fleet.prefix,
    environment: fleet.environment,
    state: {
      bucket: fleet.state.bucket,
      region: fleet.state.region ?? fleet.region,
      keyPrefix: fleet.state.keyPrefix,
      useLockfile: fleet.state.useLockfile,
      ...(fleet.state.dynamodbTable !== undefined ? { dynamodbTable: fleet.state.dynamodbTable } : {}),
      encrypt: fleet.state.encrypt,
      ...(fleet.state.kmsKeyId !== undefined ? { kmsKeyId: fleet.state.kmsKeyId } : {}),
    },
    network: buildNetwork(fleet),
    platformStackName: platformStackNameOf(declaredCells(fleet)[0]!.name),
    cells: buildCells(fleet, tenants),
    observability: {
      stackName: OBSERVABILITY_STACK_NAME,
      workspaceName: `${fleet.prefix}-${fleet.environment}`,
      workspaceRoleName: `${fleet.prefix}-grafana-workspace`,
      grafanaVersion: fleet.observability.grafanaVersion,
      authenticationProviders: [...fleet.observability.authenticationProviders],
      workspaceUrlParameter: `/${fleet.prefix}/${fleet.environment}/grafana/workspace-url`,
      workspaceTokenParameter: `/${fleet.prefix}/${fleet.environment}/grafana/service-account-token`,
      defaultAlerts: { page: contactModel(fleet.alerts.page), ticket: contactModel(fleet.alerts.ticket) },
      runbookBaseUrl: fleet.observability.runbookBaseUrl.replace(/\/+$/, ''),
      runbooksUrl: `${fleet.observability.docsBaseUrl === undefined ? '' : `${fleet.observability.docsBaseUrl.replace(/\/+$/, '')}/`}${RUNBOOKS_PATH}`,
      roleAssociations: roleAssociations(fleet),
      ...(declaredCells(fleet).length > 1
        ? { crossAccountSink: { name: `${fleet.prefix}-${fleet.environment}`, arnParameter: `/${fleet.prefix}/${fleet.environment}/observability/oam-sink-arn` } }
        : {}),
    },
    tags: sortKeys(fleetTags),
    tenants,
  };
}

function buildTenant(fleet: FleetDefaults, source: TenantSource): TenantModel {
  const t = source.tenant;
  const tier = fleet.tiers[t.tier];
  if (tier === undefined) throw new Error(`${source.file}: tier ${t.tier} is not defined (validate the manifest first)`);
  const sizing = resolveSizing(tier, t);
  const names = deriveTenantNames(fleet.prefix, t.id, fleet.environment);
  const quotaPerDay = sizing.api.quotaPerDay;
  const parameterGroup = dbParameterGroupFor(fleet.prefix, t.tier, tier, sizing, names.dbParameterGroup);
  return {
    id: t.id,
    displayName: t.name,
    owner: { team: t.owner.team, email: t.owner.email },
    tier: t.tier,
    wave: t.wave,
    cell: cellOfTenant(fleet, t.cell),
    sourceFile: source.file,
    stackName: tenantStackName(t.id),
    names,
    database: {
      engineVersion: POSTGRES.engineVersion,
      parameterGroupFamily: POSTGRES.parameterGroupFamily,
      instanceClass: sizing.database.instanceClass,
      allocatedStorageGb: sizing.database.allocatedStorageGb,
      maxAllocatedStorageGb: sizing.database.maxAllocatedStorageGb,
      multiAz: sizing.database.multiAz,
      backupRetentionDays: sizing.database.backupRetentionDays,
      databaseName: 'flota',
      masterUsername: 'flota_admin',
      maxConnections: maxConnectionsFor(sizing.database.instanceClass),
      port: POSTGRES.port,
      subnetGroupName: sharedDbSubnetGroupName(fleet.prefix),
      parameterGroup,
    },
    ingest: {
      batchSize: sizing.ingest.batchSize,
      batchingWindowSeconds: sizing.ingest.batchingWindowSeconds,
      maxConcurrency: sizing.ingest.maxConcurrency,
      maxReceiveCount: sizing.ingest.maxReceiveCount,
      timeoutSeconds: sizing.ingest.timeoutSeconds,
      memoryMb: sizing.ingest.memoryMb,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(sizing.ingest.timeoutSeconds, sizing.ingest.batchingWindowSeconds),
      messageRetentionSeconds: MESSAGE_RETENTION_SECONDS,
      dlqRetentionSeconds: DLQ_RETENTION_SECONDS,
    },
    api: {
      rateLimitPerSecond: sizing.api.rateLimitPerSecond,
      burstLimit: sizing.api.burstLimit,
      ...(quotaPerDay !== undefined ? { quotaPerDay } : {}),
      timeoutSeconds: sizing.api.timeoutSeconds,
      memoryMb: sizing.api.memoryMb,
      reservedConcurrency: sizing.api.reservedConcurrency,
      maxBodyBytes: API_MAX_BODY_BYTES,
    },
    connectionBudget: connectionBudget(sizing),
    slo: buildSlo(fleet, t.slo),
    alerts: buildAlerts(fleet, t.alerts),
    pageOn: [...new Set(t.alerts?.pageOn ?? fleet.alerts.pageOn)].sort(),
    logRetentionDays: sizing.logRetentionDays,
    records: {
      types: t.records?.types !== undefined ? [...t.records.types] : ANY_RECORD.types,
      maxPayloadBytes: t.records?.maxPayloadBytes ?? ANY_RECORD.maxPayloadBytes,
    },
    tags: sortKeys({
      ...fleet.tags,
      ...t.tags,
      'flota:environment': fleet.environment,
      'flota:tenant': t.id,
      'flota:tier': t.tier,
      'flota:owner': t.owner.team,
      [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value,
    }),
  };
}

function buildCells(fleet: FleetDefaults, tenants: readonly TenantModel[]): CellModel[] {
  return declaredCells(fleet).map((cell, index) => {
    const mine = tenants.filter((t) => t.cell === cell.name);
    const tiers = [...new Set(mine.filter((t) => t.database.parameterGroup.shared).map((t) => t.tier))].sort();
    return {
      name: cell.name,
      ...(cell.accountId !== undefined ? { accountId: cell.accountId } : {}),
      region: cell.region ?? fleet.region,
      ...(cell.deployRoleArn !== undefined ? { deployRoleArn: cell.deployRoleArn } : {}),
      platformStackName: platformStackNameOf(cell.name),
      hostsObservability: index === 0,
      quotas: effectiveQuotas(fleet, index),
      dbSubnetGroupName: sharedDbSubnetGroupName(fleet.prefix),
      parameterGroups: tiers.map((tier) => ({
        name: sharedDbParameterGroupName(fleet.prefix, POSTGRES.parameterGroupFamily, tier),
        family: POSTGRES.parameterGroupFamily,
        tier,
        maxConnections: maxConnectionsFor(fleet.tiers[tier]!.database.instanceClass),
      })),
    };
  });
}

/** Percent → fraction, rounded so 99.9 becomes exactly 0.999 and its budget exactly 0.001. */
export function objective(percent: number): SloObjectiveModel {
  const target = round(percent / 100);
  return { target, errorBudget: errorBudget(target) };
}

function round(x: number): number {
  return Number(x.toFixed(10));
}

function buildSlo(fleet: FleetDefaults, s: TenantSource['tenant']['slo']): SloModel {
  const d = fleet.slo;
  return {
    windowDays: d.windowDays,
    availability: objective(s?.availability ?? d.availability),
    latency: { ...objective(s?.latency?.target ?? d.latency.target), thresholdMs: s?.latency?.thresholdMs ?? d.latency.thresholdMs },
    freshness: {
      ...objective(s?.freshness?.target ?? d.freshness.target),
      withinSeconds: s?.freshness?.withinSeconds ?? d.freshness.withinSeconds,
    },
    minEventsPerWindow: s?.minEventsPerWindow ?? d.minEventsPerWindow,
  };
}

function buildAlerts(fleet: FleetDefaults, a: TenantSource['tenant']['alerts']): AlertRoutingModel {
  return {
    page: contactModel(a?.page ?? fleet.alerts.page),
    ticket: contactModel(a?.ticket ?? fleet.alerts.ticket),
  };
}

/** The manifest's one-key contact → the model's tagged union. */
export function contactModel(c: ContactManifest): ContactModel {
  if (c.email !== undefined) return { kind: 'email', addresses: [...c.email.addresses] };
  if (c.slack !== undefined) {
    return {
      kind: 'slack',
      webhookUrl: { secretName: c.slack.webhookUrlSecret },
      ...(c.slack.channel !== undefined ? { channel: c.slack.channel } : {}),
    };
  }
  if (c.pagerduty !== undefined) return { kind: 'pagerduty', integrationKey: { secretName: c.pagerduty.integrationKeySecret } };
  if (c.sns !== undefined) return { kind: 'sns', topicArn: c.sns.topicArn };
  throw new Error('contact names no destination (validate the manifest first)');
}

function buildNetwork(fleet: FleetDefaults): NetworkModel {
  const { vpcCidr, availabilityZoneCount, interfaceEndpoints } = fleet.network;
  return {
    vpcCidr,
    availabilityZoneCount,
    privateSubnetCidrs: privateSubnets(vpcCidr, availabilityZoneCount),
    lookupTag: { key: 'flota:network', value: `${fleet.prefix}-${fleet.environment}` },
    interfaceEndpoints: [...interfaceEndpoints],
  };
}

/** Carves `count` subnets of 1/16th of the VPC each (a /16 gives /20s), from the start of the range. */
export function privateSubnets(vpcCidr: string, count: number): string[] {
  const [address, bitsText] = vpcCidr.split('/') as [string, string];
  const bits = Number(bitsText);
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const subnetBits = bits + 4;
  const size = 2 ** (32 - subnetBits);
  const network = base - (base % 2 ** (32 - bits));
  return Array.from({ length: count }, (_, i) => `${toDotted(network + i * size)}/${subnetBits}`);
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
