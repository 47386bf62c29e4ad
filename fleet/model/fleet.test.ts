import * as path from 'node:path';
import { loadFleet, loadManifest } from '..';
import type { Manifest } from '../manifest/schema';
import { buildFleetModel, objective, privateSubnets } from '.';
import { ManifestValidationError } from '../manifest/errors';
import { shippedTenantCount } from '../testing/shipped-fleet';

const ROOT = path.resolve(__dirname, '..', '..');
const GOOD = 'fleet/manifest/fixtures/good';

function manifestOf(dir: string): Manifest {
  const result = loadManifest(dir, { cwd: ROOT });
  if (!result.ok) throw new Error(`fixture ${dir} is invalid`);
  return result.manifest;
}

describe('buildFleetModel: a tenant that relies on defaults', () => {
  const fleet = buildFleetModel(manifestOf(`${GOOD}/minimal`));
  const alpha = fleet.tenants[0]!;

  test('derives every physical name from the prefix and the id', () => {
    expect(alpha.names).toEqual({
      base: 'flota-alpha',
      kmsAlias: 'alias/flota-alpha',
      topic: 'flota-alpha-records',
      queue: 'flota-alpha-ingest',
      deadLetterQueue: 'flota-alpha-ingest-dlq',
      ingestFunction: 'flota-alpha-ingest',
      apiFunction: 'flota-alpha-api',
      migrateFunction: 'flota-alpha-migrate',
      ingestRole: 'flota-alpha-ingest-role',
      apiRole: 'flota-alpha-api-role',
      migrateRole: 'flota-alpha-migrate-role',
      lambdaSecurityGroup: 'flota-alpha-lambda',
      databaseSecurityGroup: 'flota-alpha-db',
      dbInstance: 'flota-alpha-db',
      dbParameterGroup: 'flota-alpha-postgres17',
      dbSubnetGroup: 'flota-alpha-db-subnets',
      dbFinalSnapshot: 'flota-alpha-db-final',
      restApi: 'flota-alpha-api',
      apiStage: 'test',
      usagePlan: 'flota-alpha-usage-plan',
      apiKey: 'flota-alpha-api-key',
      apiKeySecret: 'flota/alpha/api-key',
      cursorKeySecret: 'flota/alpha/cursor-key',
      ingestLogGroup: '/aws/lambda/flota-alpha-ingest',
      apiLogGroup: '/aws/lambda/flota-alpha-api',
      migrateLogGroup: '/aws/lambda/flota-alpha-migrate',
      apiAccessLogGroup: '/aws/apigateway/flota-alpha',
    });
    expect(alpha.stackName).toBe('tenant-alpha');
    expect(alpha.sourceFile).toBe(`${GOOD}/minimal/alpha.yaml`);
  });

  test('defaults to the tier sizing, PostgreSQL 17 and max_connections from the instance memory', () => {
    expect(alpha.database).toEqual({
      engineVersion: '17',
      parameterGroupFamily: 'postgres17',
      instanceClass: 'db.t4g.micro',
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      multiAz: false,
      backupRetentionDays: 7,
      databaseName: 'flota',
      masterUsername: 'flota_admin',
      // floor(1 GiB × 0.75 / 9531392) = 84
      maxConnections: 84,
      port: 5432,
      // one subnet group per cell and one parameter group per (family, tier), both in the platform stack
      subnetGroupName: 'flota-db-subnets',
      parameterGroup: { name: 'flota-postgres17-tier-bronze', shared: true },
    });
    expect(alpha.ingest).toEqual({
      batchSize: 10,
      batchingWindowSeconds: 0,
      maxConcurrency: 5,
      maxReceiveCount: 41,
      timeoutSeconds: 30,
      memoryMb: 256,
      visibilityTimeoutSeconds: 180,
      messageRetentionSeconds: 345600,
      dlqRetentionSeconds: 1209600,
    });
    expect(alpha.api).toEqual({ rateLimitPerSecond: 50, burstLimit: 100, quotaPerDay: 1000000, timeoutSeconds: 10, memoryMb: 256, reservedConcurrency: 5, maxBodyBytes: 245760 });
    expect(alpha.logRetentionDays).toBe(30);
    expect(alpha.wave).toBe(1);
  });

  test('accepts any record type and payloads up to the fleet-wide limit when the tenant sets no records policy', () => {
    expect(alpha.records).toEqual({ types: null, maxPayloadBytes: 204800 });
  });

  test('computes the connection budget: 5 × 2 + 5 × 2 + 1 = 21 ≤ floor(0.8 × 84) = 67', () => {
    expect(alpha.connectionBudget).toEqual({
      maxConnections: 84,
      budget: 67,
      ingestMaxContainers: 5,
      ingestPoolSize: 2,
      apiMaxContainers: 5,
      apiPoolSize: 2,
      migratePoolSize: 1,
      worstCase: 21,
    });
  });

  test('defaults to the fleet SLOs and alert routing', () => {
    expect(alpha.slo).toEqual({
      windowDays: 30,
      availability: { target: 0.995, errorBudget: 0.005 },
      latency: { target: 0.99, errorBudget: 0.01, thresholdMs: 500 },
      freshness: { target: 0.99, errorBudget: 0.01, withinSeconds: 60 },
      minEventsPerWindow: 100,
    });
    expect(alpha.alerts).toEqual({
      page: { kind: 'pagerduty', integrationKey: { secretName: 'flota/platform/pagerduty-integration-key' } },
      ticket: { kind: 'email', addresses: ['platform-sre@example.com'] },
    });
    expect(fleet.observability.defaultAlerts).toEqual(alpha.alerts);
  });

  test('tags every tenant resource with fleet tags, tenant tags and flota:* tags', () => {
    expect(alpha.tags).toEqual({
      'cost-centre': 'CC-1',
      'flota:environment': 'test',
      'flota:managed-by': 'flota',
      'flota:owner': 'data',
      'flota:tenant': 'alpha',
      'flota:tier': 'bronze',
    });
  });

  test('builds the shared parts: state backend, network, observability', () => {
    expect(fleet.state).toEqual({ bucket: 'flota-terraform-state-test', region: 'eu-west-1', keyPrefix: 'flota', useLockfile: true, encrypt: true });
    expect(fleet.network).toEqual({
      vpcCidr: '10.64.0.0/16',
      availabilityZoneCount: 3,
      privateSubnetCidrs: ['10.64.0.0/20', '10.64.16.0/20', '10.64.32.0/20'],
      lookupTag: { key: 'flota:network', value: 'flota-test' },
      interfaceEndpoints: ['sqs', 'sns', 'secretsmanager', 'logs', 'kms'],
    });
    expect(fleet.platformStackName).toBe('platform');
    expect(fleet.observability).toMatchObject({
      stackName: 'observability',
      workspaceName: 'flota-test',
      workspaceRoleName: 'flota-grafana-workspace',
      grafanaVersion: '10.4',
      authenticationProviders: ['AWS_SSO'],
      workspaceUrlParameter: '/flota/test/grafana/workspace-url',
      workspaceTokenParameter: '/flota/test/grafana/service-account-token',
      runbookBaseUrl: 'https://runbooks.example.com/slo',
    });
    expect(fleet.tags).toEqual({ 'flota:environment': 'test', 'flota:managed-by': 'flota' });
  });
});

describe('buildFleetModel: a tenant that overrides', () => {
  const fleet = buildFleetModel(manifestOf(`${GOOD}/overrides`));
  const orders = fleet.tenants.find((t) => t.id === 'orders')!;
  const billing = fleet.tenants.find((t) => t.id === 'billing')!;

  test('sorts tenants by id', () => {
    expect(fleet.tenants.map((t) => t.id)).toEqual(['billing', 'orders']);
  });

  test('takes every override over the tier value', () => {
    expect(orders.database).toMatchObject({ instanceClass: 'db.t4g.large', allocatedStorageGb: 100, maxAllocatedStorageGb: 400, multiAz: true, backupRetentionDays: 21, maxConnections: 675 });
    expect(orders.ingest).toMatchObject({ batchSize: 200, batchingWindowSeconds: 5, maxConcurrency: 60, maxReceiveCount: 28, timeoutSeconds: 45, memoryMb: 1024 });
    expect(orders.api).toMatchObject({ rateLimitPerSecond: 300, burstLimit: 600, quotaPerDay: 5000000, reservedConcurrency: 30, timeoutSeconds: 20, memoryMb: 768 });
    expect(orders.logRetentionDays).toBe(365);
    expect(orders.wave).toBe(2);
  });

  test('takes the records policy from the tenant, types in manifest order, and defaults what it leaves out', () => {
    expect(orders.records).toEqual({ types: ['order.created', 'order.payment.*', 'flota.smoke'], maxPayloadBytes: 65536 });
    expect(billing.records).toEqual({ types: null, maxPayloadBytes: 204800 });
  });

  test('sets the visibility timeout to 6 × the ingest timeout plus the batching window', () => {
    expect(orders.ingest.visibilityTimeoutSeconds).toBe(6 * 45 + 5);
  });

  test('leaves quotaPerDay out when neither the tier nor the tenant sets one', () => {
    const minimal = manifestOf(`${GOOD}/minimal`);
    const onSilver: Manifest = { ...minimal, tenants: minimal.tenants.map((t) => ({ ...t, tenant: { ...t.tenant, tier: 'silver' } })) };
    const api = buildFleetModel(onSilver).tenants[0]!.api;
    expect('quotaPerDay' in api).toBe(false);
    expect(orders.api.quotaPerDay).toBe(5000000);
  });

  test('overrides SLO objectives one by one and keeps the rest from the fleet', () => {
    expect(orders.slo).toEqual({
      windowDays: 30,
      availability: { target: 0.9995, errorBudget: 0.0005 },
      latency: { target: 0.995, errorBudget: 0.005, thresholdMs: 250 },
      freshness: { target: 0.999, errorBudget: 0.001, withinSeconds: 15 },
      minEventsPerWindow: 500,
    });
  });

  test('maps each contact kind and falls back per severity', () => {
    expect(orders.alerts).toEqual({
      page: { kind: 'slack', webhookUrl: { secretName: 'flota/commerce/slack-webhook' }, channel: '#commerce-oncall' },
      ticket: { kind: 'sns', topicArn: 'arn:aws:sns:eu-west-1:123456789012:commerce-tickets' },
    });
    expect(billing.alerts).toEqual({
      page: { kind: 'pagerduty', integrationKey: { secretName: 'flota/platform/pagerduty-integration-key' } },
      ticket: { kind: 'email', addresses: ['billing@example.com', 'finance@example.com'] },
    });
  });

  test('lets tenant tags add to the fleet tags but never replace flota:* tags', () => {
    expect(orders.tags).toMatchObject({ 'cost-centre': 'CC-1030', product: 'checkout', 'flota:tenant': 'orders', 'flota:owner': 'commerce', 'flota:tier': 'silver' });
  });
});

describe('helpers', () => {
  test('objective turns percent into exact fractions', () => {
    expect(objective(99.9)).toEqual({ target: 0.999, errorBudget: 0.001 });
    expect(objective(99.95)).toEqual({ target: 0.9995, errorBudget: 0.0005 });
  });

  test('privateSubnets carves /20s from a /16 and /28s from a /24', () => {
    expect(privateSubnets('10.0.0.0/16', 2)).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(privateSubnets('192.168.4.0/24', 3)).toEqual(['192.168.4.0/28', '192.168.4.16/28', '192.168.4.32/28']);
  });
});

describe('loadFleet', () => {
  test('loads the shipped fleet: every tenant file, sorted, with a mix of tiers and waves', () => {
    const fleet = loadFleet('tenants', { cwd: ROOT });
    expect(fleet.tenants).toHaveLength(shippedTenantCount());
    const ids = fleet.tenants.map((t) => t.id);
    expect(ids).toEqual([...ids].sort());
    const count = (tier: string) => fleet.tenants.filter((t) => t.tier === tier).length;
    expect([count('gold'), count('silver'), count('bronze')].every((n) => n >= 10)).toBe(true);
    expect(count('gold') + count('silver') + count('bronze')).toBe(fleet.tenants.length);
    expect(new Set(fleet.tenants.map((t) => t.wave))).toEqual(new Set([1, 2, 3]));
    expect(new Set(fleet.tenants.map((t) => t.alerts.page.kind))).toEqual(new Set(['pagerduty', 'slack']));
    expect(new Set(fleet.tenants.map((t) => t.alerts.ticket.kind))).toEqual(new Set(['email', 'slack', 'sns']));
    expect(fleet.tenants.every((t) => t.tags['cost-centre'] !== undefined)).toBe(true);
  });

  test('keeps the number of distinct SLO classes modest (alerting cost scales with it)', () => {
    const fleet = loadFleet('tenants', { cwd: ROOT });
    const classes = new Set(fleet.tenants.map((t) => JSON.stringify(t.slo)));
    expect(classes.size).toBeLessThanOrEqual(6);
  });

  test('throws ManifestValidationError carrying every error for an invalid directory', () => {
    let thrown: unknown;
    try {
      loadFleet('fleet/manifest/fixtures/bad/out-of-range', { cwd: ROOT });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ManifestValidationError);
    expect((thrown as ManifestValidationError).errors).toHaveLength(9);
  });
});

describe('buildFleetModel: operational alarm paging and Grafana sign-in', () => {
  const minimal = buildFleetModel(manifestOf(`${GOOD}/minimal`));
  const overrides = buildFleetModel(manifestOf(`${GOOD}/overrides`));

  test('operational alarms open tickets unless alerts.pageOn names them (tenant list replaces the fleet list)', () => {
    expect(minimal.tenants.map((t) => t.pageOn)).toEqual(minimal.tenants.map(() => []));
    expect(overrides.tenants.find((t) => t.id === 'orders')!.pageOn).toEqual(['dlq-not-empty', 'migrate-failing']);
    expect(overrides.tenants.find((t) => t.id === 'billing')!.pageOn).toEqual([]);
  });

  test('one role association per role that lists SSO groups (sorted), none without groups', () => {
    expect(minimal.observability.roleAssociations).toEqual([]);
    expect(overrides.observability.roleAssociations).toEqual([
      { role: 'ADMIN', groupIds: ['9067d3c1-5081-70f3-1e4b-0e4d8a1b2c01'] },
      { role: 'VIEWER', groupIds: ['9067d3c1-5081-70f3-1e4b-0e4d8a1b2c02', '9067d3c1-5081-70f3-1e4b-0e4d8a1b2c03'] },
    ]);
  });

  test('SSO groups need AWS_SSO sign-in', () => {
    const manifest = manifestOf(`${GOOD}/overrides`);
    const samlOnly: Manifest = { ...manifest, fleet: { ...manifest.fleet, observability: { ...manifest.fleet.observability, authenticationProviders: ['SAML'] } } };
    expect(() => buildFleetModel(samlOnly)).toThrow(/ssoGroups needs AWS_SSO/);
  });

  test('operational runbooks: the repository path, or a browsable URL under observability.docsBaseUrl', () => {
    expect(minimal.observability.runbooksUrl).toBe('docs/runbooks.md');
    expect(loadFleet(path.join(ROOT, 'tenants')).observability.runbooksUrl).toMatch(/^https:\/\/.+\/docs\/runbooks\.md$/);
  });
});
