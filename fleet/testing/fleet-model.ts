/**
 * A small, self-contained FleetModel factory for construct and stack tests.
 *
 * Construct tests must not depend on the manifest layer (a broken YAML file should fail the manifest tests, not every
 * construct test), so they build models here. Fleet-wide policy tests use the real shipped manifest via `loadFleet()`.
 * Names follow the same derivation as the model builder: everything starts from `${prefix}-${id}`.
 */
import { MIGRATE_FUNCTION, minimumMaxReceiveCount, visibilityTimeoutSeconds } from '../model/sizing';
import type { FleetModel, TenantModel } from '../model/types';

export interface TestTenantOptions {
  readonly tier?: 'bronze' | 'silver' | 'gold';
  readonly multiAz?: boolean;
  readonly quotaPerDay?: number;
  /** records.types: null (the default) accepts any type. */
  readonly recordTypes?: readonly string[] | null;
  /** records.maxPayloadBytes. Default: 204800 (the fleet-wide limit). */
  readonly maxPayloadBytes?: number;
  /** Cell name. Default: `default` (the implicit cell). */
  readonly cell?: string;
  /** A parameter group of its own instead of the tier's shared one. Default: false. */
  readonly ownParameterGroup?: boolean;
}

const PREFIX = 'flota';

export function testTenant(id: string, options: TestTenantOptions = {}): TenantModel {
  const base = `${PREFIX}-${id}`;
  const tier = options.tier ?? 'silver';
  const ingestTimeout = 30;
  return {
    id,
    displayName: `Tenant ${id}`,
    owner: { team: `team-${id}`, email: `${id}@example.com` },
    tier,
    wave: 1,
    cell: options.cell ?? 'default',
    sourceFile: `tenants/${id}.yaml`,
    stackName: `tenant-${id}`,
    names: {
      base,
      kmsAlias: `alias/${base}`,
      topic: `${base}-records`,
      queue: `${base}-ingest`,
      deadLetterQueue: `${base}-ingest-dlq`,
      ingestFunction: `${base}-ingest`,
      apiFunction: `${base}-api`,
      migrateFunction: `${base}-migrate`,
      ingestRole: `${base}-ingest`,
      apiRole: `${base}-api`,
      migrateRole: `${base}-migrate`,
      lambdaSecurityGroup: `${base}-lambda`,
      databaseSecurityGroup: `${base}-db`,
      dbInstance: base,
      dbParameterGroup: `${base}-pg17`,
      dbSubnetGroup: `${base}-db`,
      dbFinalSnapshot: `${base}-final`,
      restApi: `${base}-api`,
      apiStage: 'v1',
      usagePlan: `${base}-plan`,
      apiKey: `${base}-key`,
      apiKeySecret: `${PREFIX}/${id}/api-key`,
      cursorKeySecret: `${PREFIX}/${id}/cursor-key`,
      ingestLogGroup: `/aws/lambda/${base}-ingest`,
      apiLogGroup: `/aws/lambda/${base}-api`,
      migrateLogGroup: `/aws/lambda/${base}-migrate`,
      apiAccessLogGroup: `/aws/apigateway/${base}-access`,
    },
    database: {
      engineVersion: '17',
      parameterGroupFamily: 'postgres17',
      instanceClass: tier === 'gold' ? 'db.m7g.large' : 'db.t4g.medium',
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      multiAz: options.multiAz ?? tier === 'gold',
      backupRetentionDays: 7,
      databaseName: 'flota',
      masterUsername: 'flota_admin',
      maxConnections: 200,
      port: 5432,
      subnetGroupName: `${PREFIX}-db-subnets`,
      parameterGroup: options.ownParameterGroup === true ? { name: `${base}-pg17`, shared: false } : { name: `${PREFIX}-postgres17-tier-${tier}`, shared: true },
    },
    ingest: {
      batchSize: 25,
      batchingWindowSeconds: 2,
      maxConcurrency: 5,
      maxReceiveCount: minimumMaxReceiveCount(visibilityTimeoutSeconds(ingestTimeout, 0)),
      timeoutSeconds: ingestTimeout,
      memoryMb: 512,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(ingestTimeout, 0),
      messageRetentionSeconds: 4 * 24 * 3600,
      dlqRetentionSeconds: 14 * 24 * 3600,
    },
    api: {
      rateLimitPerSecond: 50,
      burstLimit: 100,
      quotaPerDay: options.quotaPerDay,
      timeoutSeconds: 10,
      memoryMb: 512,
      reservedConcurrency: 10,
      maxBodyBytes: 262144,
    },
    connectionBudget: {
      maxConnections: 200,
      budget: 160,
      ingestMaxContainers: 5,
      ingestPoolSize: 2,
      apiMaxContainers: 10,
      apiPoolSize: 2,
      migratePoolSize: MIGRATE_FUNCTION.poolSize,
      worstCase: 31,
    },
    slo: {
      windowDays: 30,
      availability: { target: 0.999, errorBudget: 0.001 },
      latency: { target: 0.99, errorBudget: 0.01, thresholdMs: 300 },
      freshness: { target: 0.99, errorBudget: 0.01, withinSeconds: 60 },
      minEventsPerWindow: 100,
    },
    alerts: {
      page: { kind: 'email', addresses: [`${id}-oncall@example.com`] },
      ticket: { kind: 'email', addresses: [`${id}@example.com`] },
    },
    pageOn: [],
    logRetentionDays: 30,
    records: { types: options.recordTypes ?? null, maxPayloadBytes: options.maxPayloadBytes ?? 204800 },
    tags: { 'cost-centre': `cc-${id}`, 'flota:tenant': id, 'flota:managed-by': 'flota' },
  };
}

export function testFleet(ids: readonly string[] = ['acme', 'globex']): FleetModel {
  return {
    region: 'eu-west-1',
    prefix: PREFIX,
    environment: 'test',
    state: {
      bucket: 'flota-test-tfstate',
      region: 'eu-west-1',
      keyPrefix: 'flota/test',
      useLockfile: true,
      encrypt: true,
    },
    network: {
      vpcCidr: '10.40.0.0/16',
      availabilityZoneCount: 2,
      privateSubnetCidrs: ['10.40.0.0/20', '10.40.16.0/20'],
      lookupTag: { key: 'flota:network', value: 'flota-test' },
      interfaceEndpoints: ['sqs', 'sns', 'secretsmanager', 'logs', 'kms'],
    },
    platformStackName: 'platform',
    cells: [
      {
        name: 'default',
        region: 'eu-west-1',
        platformStackName: 'platform',
        hostsObservability: true,
        quotas: {},
        dbSubnetGroupName: `${PREFIX}-db-subnets`,
        parameterGroups: [{ name: `${PREFIX}-postgres17-tier-silver`, family: 'postgres17', tier: 'silver', maxConnections: 200 }],
      },
    ],
    observability: {
      stackName: 'observability',
      workspaceName: 'flota-test',
      workspaceRoleName: 'flota-grafana-workspace',
      grafanaVersion: '10.4',
      authenticationProviders: ['AWS_SSO'],
      workspaceUrlParameter: '/flota/test/grafana/url',
      workspaceTokenParameter: '/flota/test/grafana/token',
      defaultAlerts: {
        page: { kind: 'email', addresses: ['sre@example.com'] },
        ticket: { kind: 'email', addresses: ['sre@example.com'] },
      },
      runbookBaseUrl: 'https://runbooks.example.com/flota',
      runbooksUrl: 'docs/runbooks.md',
      roleAssociations: [],
    },
    tags: { 'flota:managed-by': 'flota', 'flota:environment': 'test' },
    tenants: [...ids].sort().map((id) => testTenant(id)),
  };
}

