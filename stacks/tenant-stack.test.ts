import { testFleet, testTenant } from '../fleet/testing/fleet-model';
import { testBundles } from './testing/test-bundles';
import {
  asList,
  onlyResource,
  policiesOf,
  resourceAt,
  readable,
  resourcesOf,
  synthesizeToTemp,
  type StackJson,
  type SynthesizedFleet,
} from './testing/synth';
import type { FleetModel } from '../fleet/model/types';
import { sloRuleGroups } from '../fleet/model/slo-rules';
import { migrationsChecksum } from '../functions/migrations';
import { MigrateInputSchema } from '../functions/migrate/handler';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fleet: FleetModel = {
  ...testFleet(),
  tenants: [
    testTenant('acme', { tier: 'gold', quotaPerDay: 100000, recordTypes: ['order.created', 'order.payment.*', 'flota.smoke'], maxPayloadBytes: 65536 }),
    testTenant('globex', { tier: 'bronze', ownParameterGroup: true }),
  ],
};
let synthesized: SynthesizedFleet;
let stack: StackJson;
const tenant = fleet.tenants[0]!;

beforeAll(() => {
  synthesized = synthesizeToTemp({ fleet, bundles: testBundles(), migrationsChecksum: migrationsChecksum() });
  stack = synthesized.stacks['tenant-acme']!;
});
afterAll(() => synthesized.cleanup());

/** An access-log line as API Gateway writes it with `format`: $context variables filled in, JSON. */
function accessLogLine(format: string, values: { status: number; integrationStatus?: number }): Record<string, unknown> {
  const filled = format
    .replace('$context.status', String(values.status))
    .replace('$context.integration.integrationStatus', String(values.integrationStatus ?? '-'));
  return JSON.parse(filled) as Record<string, unknown>;
}

/**
 * CloudWatch Logs JSON filter patterns of the two forms the metric filters use ("Filter pattern syntax", CloudWatch Logs
 * user guide): `{ $.field = * }` matches when the field exists, `{ $.field >= n }` compares a numeric field.
 */
function matchesJsonPattern(pattern: string, event: Record<string, unknown>): boolean {
  const exists = /^\{ \$\.(\w+) = \* \}$/.exec(pattern);
  if (exists) return event[exists[1]!] !== undefined;
  const numeric = /^\{ \$\.(\w+) >= (\d+) \}$/.exec(pattern);
  if (numeric) return typeof event[numeric[1]!] === 'number' && (event[numeric[1]!] as number) >= Number(numeric[2]);
  throw new Error(`pattern form not modelled: ${pattern}`);
}

function statementsOfRole(roleSuffix: string) {
  const policy = resourceAt(stack, 'aws_iam_role_policy', `${roleSuffix}/policy`);
  return (JSON.parse(policy['policy'] as string) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] })
    .Statement;
}

describe('TenantStack', () => {
  test('stores its state under its own key with S3-native locking and encryption', () => {
    expect(stack.terraform.backend.s3).toEqual({
      bucket: 'flota-test-tfstate',
      key: 'flota/test/tenant-acme.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  test('tags everything through provider default_tags with the tenant tags', () => {
    expect(stack.provider.aws[0]).toMatchObject({ region: 'eu-west-1', default_tags: [{ tags: tenant.tags }] });
  });

  test('finds the platform network by tag, never through another stack state', () => {
    expect(Object.values(stack.data?.['aws_vpc'] ?? {})[0]).toMatchObject({ tags: { 'flota:network': 'flota-test' } });
    expect(stack.data?.['terraform_remote_state']).toBeUndefined();
  });

  describe('KMS key', () => {
    test('rotates, waits 30 days before deletion and has the alias from the model', () => {
      expect(onlyResource(stack, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      expect(onlyResource(stack, 'aws_kms_alias')).toMatchObject({ name: 'alias/flota-acme' });
    });

    test('lets CloudWatch Logs use it only for the tenant log groups', () => {
      const key = onlyResource(stack, 'aws_kms_key');
      const statements = JSON.parse(key['policy'] as string).Statement as { Sid: string; Condition: unknown }[];
      const logs = statements.find((s) => s.Sid === 'CloudWatchLogsEncryptsTenantLogGroups')!;
      const arns = (logs.Condition as Record<string, Record<string, string[]>>)['ArnEquals']![
        'kms:EncryptionContext:aws:logs:arn'
      ]!;
      expect(arns).toHaveLength(4);
      expect(arns.every((arn) => arn.includes(':log-group:') && arn.includes('flota-acme'))).toBe(true);
    });
  });

  describe('messaging', () => {
    test('encrypts topic, queue and DLQ with the tenant key', () => {
      const keyRef = expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/);
      expect(onlyResource(stack, 'aws_sns_topic')).toMatchObject({ name: 'flota-acme-records', kms_master_key_id: keyRef });
      for (const queue of Object.values(resourcesOf(stack, 'aws_sqs_queue'))) {
        expect(queue).toMatchObject({ kms_master_key_id: keyRef });
      }
    });

    test('redrives to the DLQ after maxReceiveCount and sets visibility to ≥ 6 × the ingest timeout', () => {
      const queue = resourceAt(stack, 'aws_sqs_queue', 'messaging/queue');
      expect(queue['visibility_timeout_seconds']).toBeGreaterThanOrEqual(6 * tenant.ingest.timeoutSeconds);
      expect(JSON.parse(queue['redrive_policy'] as string)).toEqual({
        deadLetterTargetArn: expect.stringMatching(/^\$\{aws_sqs_queue\.messaging_dead-letter-queue_.+\.arn\}$/),
        maxReceiveCount: tenant.ingest.maxReceiveCount,
      });
      const allow = onlyResource(stack, 'aws_sqs_queue_redrive_allow_policy');
      expect(JSON.parse(allow['redrive_allow_policy'] as string)).toMatchObject({ redrivePermission: 'byQueue' });
    });

    test('lets only the tenant topic send to the queue', () => {
      const policy = resourceAt(stack, 'aws_sqs_queue_policy', 'messaging/queue-policy');
      const allow = JSON.parse(policy['policy'] as string).Statement.find((s: { Effect: string }) => s.Effect === 'Allow');
      expect(allow).toMatchObject({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': expect.stringMatching(/^\$\{aws_sns_topic\.messaging_topic_.+\.arn\}$/) } },
      });
    });

    test('subscribes the queue with raw message delivery', () => {
      expect(onlyResource(stack, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'sqs', raw_message_delivery: true });
    });
  });

  describe('ingest', () => {
    test('reports batch item failures and takes batching and concurrency from the model', () => {
      expect(onlyResource(stack, 'aws_lambda_event_source_mapping')).toMatchObject({
        function_response_types: ['ReportBatchItemFailures'],
        batch_size: tenant.ingest.batchSize,
        maximum_batching_window_in_seconds: tenant.ingest.batchingWindowSeconds,
        scaling_config: { maximum_concurrency: tenant.ingest.maxConcurrency },
      });
    });

    test('may consume only its own queue', () => {
      const consume = statementsOfRole('ingest').find((s) => s.Sid === 'ConsumeOwnQueue')!;
      expect(consume.Action).toEqual([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ChangeMessageVisibility',
      ]);
      expect(consume.Resource).toMatch(/^\$\{aws_sqs_queue\.messaging_queue_.+\.arn\}$/);
    });
  });

  describe('functions', () => {
    test('run nodejs22.x on arm64 in the VPC with the shared bundle and its hash', () => {
      const functions = Object.values(resourcesOf(stack, 'aws_lambda_function'));
      expect(functions).toHaveLength(3);
      for (const fn of functions) {
        expect(fn).toMatchObject({
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
          filename: expect.stringMatching(/^assets\/.+\/(ingest|api|migrate)\.zip$/),
          source_code_hash: expect.any(String),
          vpc_config: { subnet_ids: expect.stringContaining('data.aws_subnets.') },
        });
      }
    });

    test('api function has the reserved concurrency of the model and the telemetry env', () => {
      const api = resourceAt(stack, 'aws_lambda_function', 'api/function');
      expect(api['reserved_concurrent_executions']).toBe(tenant.api.reservedConcurrency);
      expect((api['environment'] as { variables: Record<string, string> }).variables).toMatchObject({
        FLOTA_TENANT_ID: 'acme',
        FLOTA_DB_POOL_SIZE: String(tenant.connectionBudget.apiPoolSize),
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        POWERTOOLS_SERVICE_NAME: 'api',
        POWERTOOLS_METRICS_NAMESPACE: 'Flota',
      });
    });

    test("ingest and api get the tenant's record policy; migrate does not need it", () => {
      const env = (of: StackJson, fn: string) =>
        (resourceAt(of, 'aws_lambda_function', `${fn}/function`)['environment'] as { variables: Record<string, string> }).variables;
      for (const fn of ['ingest', 'api']) {
        expect(env(stack, fn)).toMatchObject({
          FLOTA_MAX_PAYLOAD_BYTES: '65536',
          FLOTA_RECORD_TYPES: '["order.created","order.payment.*","flota.smoke"]',
        });
        expect(JSON.parse(env(stack, fn)['FLOTA_RECORD_TYPES']!)).toEqual(tenant.records.types);
        // globex sets no records.types: any type, so no FLOTA_RECORD_TYPES at all, and the fleet-wide payload limit.
        const globex = env(synthesized.stacks['tenant-globex']!, fn);
        expect(globex['FLOTA_MAX_PAYLOAD_BYTES']).toBe('204800');
        expect(globex).not.toHaveProperty('FLOTA_RECORD_TYPES');
      }
      expect(env(stack, 'migrate')).not.toHaveProperty('FLOTA_MAX_PAYLOAD_BYTES');
      expect(env(stack, 'migrate')).not.toHaveProperty('FLOTA_RECORD_TYPES');
    });

    test('log groups are KMS-encrypted with the model retention', () => {
      const groups = Object.values(resourcesOf(stack, 'aws_cloudwatch_log_group'));
      expect(groups.map((g) => g['name']).sort()).toEqual(
        [tenant.names.apiAccessLogGroup, tenant.names.apiLogGroup, tenant.names.ingestLogGroup, tenant.names.migrateLogGroup].sort(),
      );
      for (const group of groups) {
        expect(group).toMatchObject({ retention_in_days: tenant.logRetentionDays, kms_key_id: expect.stringContaining('aws_kms_key.') });
      }
    });

    test('migrate runs on deploy and again when the migrations checksum or the database changes', () => {
      const invocation = onlyResource(stack, 'aws_lambda_invocation');
      expect(invocation).toMatchObject({
        triggers: { migrations: migrationsChecksum(), database: expect.stringContaining('aws_db_instance.') },
      });
    });

    test("migrate input satisfies the migrate handler's strict input schema", () => {
      const input = JSON.parse(onlyResource(stack, 'aws_lambda_invocation')['input'] as string);
      expect(MigrateInputSchema.parse(input)).toEqual({ action: 'migrate', checksum: migrationsChecksum() });
    });
  });

  describe('deploy ordering and drift', () => {
    const address = (type: string, pathSuffix: string): string => {
      const [id] = Object.entries(resourcesOf(stack, type)).find(([, r]) =>
        (r['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path?.endsWith(pathSuffix),
      )!;
      return `${type}.${id}`;
    };

    test('the api and ingest functions and the event source mapping wait for the migration invocation', () => {
      const migration = address('aws_lambda_invocation', 'migrate-invocation');
      for (const fn of ['api', 'ingest']) {
        expect(resourceAt(stack, 'aws_lambda_function', `${fn}/function`)['depends_on']).toContain(migration);
      }
      expect(onlyResource(stack, 'aws_lambda_event_source_mapping')['depends_on']).toContain(migration);
      // …and the migration itself never waits for them (no cycle): it needs only the migrate function and the database.
      expect(resourceAt(stack, 'aws_lambda_function', 'migrate/function')['depends_on']).not.toContain(migration);
    });

    test('the API deployment trigger hashes every attribute of the proxy resource, every method and every integration', () => {
      const deployment = onlyResource(stack, 'aws_api_gateway_deployment');
      const trigger = (deployment['triggers'] as Record<string, string>)['redeployment']!;
      const hashed = [...trigger.matchAll(/aws_api_gateway_[a-z_]+\.[A-Za-z0-9_-]+/g)].map(([m]) => m).sort();
      const expected = ['aws_api_gateway_resource', 'aws_api_gateway_method', 'aws_api_gateway_integration', 'aws_api_gateway_gateway_response']
        .flatMap((type) => Object.keys(resourcesOf(stack, type)).map((id) => `${type}.${id}`))
        .sort();
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(hashed).toEqual(expected);
      // Whole resources (every attribute), not ids or a constant: `${sha1(jsonencode([aws_api_gateway_method.x, …]))}`.
      expect(trigger).toMatch(/^\$\{sha1\(jsonencode\(\[aws_api_gateway_[^\]]+\]\)\)\}$/);
      expect(trigger).not.toMatch(/\.(id|arn)\b/);
    });

    test('engine_version is the major only, with auto minor upgrades, so a minor upgrade is no drift', () => {
      const instance = onlyResource(stack, 'aws_db_instance');
      expect(instance['engine_version']).toBe('17');
      expect(instance['auto_minor_version_upgrade']).toBe(true);
      // The provider keeps a configured prefix of engine_version_actual: "17" matches 17.6 and 17.7 alike.
      // The tenant's parameter group (shared per tier in the platform stack, or its own) is of the same major family.
      expect(tenant.database.parameterGroupFamily).toBe(`postgres${instance['engine_version'] as string}`);
      expect(instance['parameter_group_name']).toBe(tenant.database.parameterGroup.name);
    });

    test("ingest reserves its event source's maximum concurrency, so another tenant's backlog cannot starve it", () => {
      const ingest = resourceAt(stack, 'aws_lambda_function', 'ingest/function');
      const mapping = onlyResource(stack, 'aws_lambda_event_source_mapping');
      expect(ingest['reserved_concurrent_executions']).toBe(tenant.ingest.maxConcurrency);
      expect((mapping['scaling_config'] as { maximum_concurrency: number }).maximum_concurrency).toBe(ingest['reserved_concurrent_executions']);
      for (const t of fleet.tenants) {
        const other = resourceAt(synthesized.stacks[t.stackName]!, 'aws_lambda_function', 'ingest/function');
        expect(other['reserved_concurrent_executions']).toBe(t.ingest.maxConcurrency);
      }
    });
  });

  describe('database least privilege', () => {
    const env = (fn: string) =>
      (resourceAt(stack, 'aws_lambda_function', `${fn}/function`)['environment'] as { variables: Record<string, string> }).variables;
    const statementsReferencing = (text: string) =>
      policiesOf('tenant-acme', stack)
        .filter((p) => p.type === 'aws_iam_role_policy')
        .flatMap((p) => p.statements.filter((st) => JSON.stringify(st).includes(text)).map((st) => ({ policy: p.id, sid: st.Sid, action: st.Action })));

    test('the instance accepts IAM database authentication', () => {
      expect(onlyResource(stack, 'aws_db_instance')['iam_database_authentication_enabled']).toBe(true);
    });

    test('api and ingest connect as their own db role with IAM auth; rds-db:connect is scoped to exactly that db user', () => {
      expect(env('api')).toMatchObject({ FLOTA_DB_USER: 'flota_api' });
      expect(env('ingest')).toMatchObject({ FLOTA_DB_USER: 'flota_ingest' });
      for (const [fn, user] of [['api', 'flota_api'], ['ingest', 'flota_ingest']] as const) {
        expect(env(fn)).not.toHaveProperty('FLOTA_DB_SECRET_ARN');
        const connect = statementsOfRole(fn).filter((st) => asList(st.Action as string | string[]).includes('rds-db:connect'));
        expect(connect).toEqual([
          expect.objectContaining({
            Resource: expect.stringMatching(new RegExp(`^arn:\\$\\{data\\.aws_partition\\..+\\.partition\\}:rds-db:eu-west-1:\\$\\{data\\.aws_caller_identity\\..+\\.account_id\\}:dbuser:\\$\\{aws_db_instance\\..+\\.resource_id\\}/${user}$`)),
          }),
        ]);
      }
      expect(statementsReferencing('rds-db:')).toHaveLength(2);
    });

    test('the master secret is read only by migrate (env and IAM)', () => {
      expect(env('migrate')).toMatchObject({ FLOTA_DB_SECRET_ARN: expect.stringContaining('master_user_secret') });
      expect(env('migrate')).not.toHaveProperty('FLOTA_DB_USER');
      const readers = statementsReferencing('master_user_secret');
      expect(readers).toEqual([expect.objectContaining({ sid: 'ReadDatabaseMasterSecret', action: 'secretsmanager:GetSecretValue' })]);
      expect(readers[0]!.policy).toMatch(/^migrate_policy_/);
    });

    test('cursor keys come from a dedicated KMS-encrypted secret only the API reads, generated at apply and never reverted', () => {
      const secret = resourceAt(stack, 'aws_secretsmanager_secret', 'cursor-key/secret');
      expect(secret).toMatchObject({ name: tenant.names.cursorKeySecret, kms_key_id: expect.stringContaining('aws_kms_key.') });
      expect(env('api')['FLOTA_CURSOR_SECRET_ARN']).toMatch(/^\$\{aws_secretsmanager_secret\.cursor-key_secret_.+\.arn\}$/);
      expect(env('api')).not.toHaveProperty('FLOTA_CURSOR_SECRET');
      const readers = statementsReferencing('aws_secretsmanager_secret.cursor-key_secret');
      expect(readers).toEqual([expect.objectContaining({ sid: 'ReadCursorKeySecret', action: 'secretsmanager:GetSecretValue' })]);
      expect(readers[0]!.policy).toMatch(/^api_policy_/);
      const version = resourceAt(stack, 'aws_secretsmanager_secret_version', 'cursor-key/initial-version');
      expect(version['secret_string']).toMatch(/^\$\{data\.aws_secretsmanager_random_password\..+\.random_password\}$/);
      expect(version['lifecycle']).toEqual({ ignore_changes: ['secret_string'] });
    });
  });

  describe('database', () => {
    test('is private, encrypted with the tenant key, TLS-only, backed up and protected from deletion', () => {
      expect(onlyResource(stack, 'aws_db_instance')).toMatchObject({
        identifier: tenant.names.dbInstance,
        engine: 'postgres',
        engine_version: tenant.database.engineVersion,
        publicly_accessible: false,
        storage_encrypted: true,
        storage_type: 'gp3',
        kms_key_id: expect.stringContaining('aws_kms_key.'),
        manage_master_user_password: true,
        master_user_secret_kms_key_id: expect.stringContaining('aws_kms_key.'),
        multi_az: true,
        backup_retention_period: tenant.database.backupRetentionDays,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: tenant.names.dbFinalSnapshot,
        copy_tags_to_snapshot: true,
      });
    });

    test("uses the cell's shared subnet group and its tier's shared parameter group (platform stack), creating neither", () => {
      expect(onlyResource(stack, 'aws_db_instance')).toMatchObject({
        db_subnet_group_name: 'flota-db-subnets',
        parameter_group_name: 'flota-postgres17-tier-gold',
      });
      expect(resourcesOf(stack, 'aws_db_subnet_group')).toEqual({});
      expect(resourcesOf(stack, 'aws_db_parameter_group')).toEqual({});
    });

    test('a tenant whose parameters differ from its tier gets a TLS-only parameter group of its own', () => {
      const globex = synthesized.stacks['tenant-globex']!;
      expect(onlyResource(globex, 'aws_db_instance')['parameter_group_name']).toMatch(/^\$\{aws_db_parameter_group\./);
      expect(onlyResource(globex, 'aws_db_parameter_group')).toMatchObject({ name: 'flota-globex-pg17' });
      expect(onlyResource(globex, 'aws_db_parameter_group')['parameter']).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'rds.force_ssl', value: '1' }),
          expect.objectContaining({ name: 'max_connections', value: String(fleet.tenants[1]!.database.maxConnections) }),
        ]),
      );
      expect(resourcesOf(globex, 'aws_db_subnet_group')).toEqual({});
    });

    test("accepts connections only from the tenant's function security group", () => {
      const ingress = Object.values(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule'));
      expect(ingress).toEqual([
        expect.objectContaining({
          from_port: 5432,
          to_port: 5432,
          referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.functions-security-group\.id\}$/),
        }),
      ]);
      expect(ingress[0]!['cidr_ipv4']).toBeUndefined();
    });
  });

  describe('HTTP API', () => {
    test('requires an API key on every method', () => {
      const methods = Object.values(resourcesOf(stack, 'aws_api_gateway_method'));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) expect(method['api_key_required']).toBe(true);
    });

    test('throttles and applies the quota of the model through the usage plan and the stage', () => {
      expect(onlyResource(stack, 'aws_api_gateway_usage_plan')).toMatchObject({
        throttle_settings: { rate_limit: tenant.api.rateLimitPerSecond, burst_limit: tenant.api.burstLimit },
        quota_settings: { limit: 100000, period: 'DAY' },
      });
      expect(onlyResource(stack, 'aws_api_gateway_method_settings')).toMatchObject({
        method_path: '*/*',
        settings: { throttling_rate_limit: tenant.api.rateLimitPerSecond, throttling_burst_limit: tenant.api.burstLimit },
      });
    });

    test('defaults to no quota when the model sets none', () => {
      const globex = synthesized.stacks['tenant-globex']!;
      expect(onlyResource(globex, 'aws_api_gateway_usage_plan')['quota_settings']).toBeUndefined();
    });

    test('writes JSON access logs with the tenant and a numeric status', () => {
      const stage = onlyResource(stack, 'aws_api_gateway_stage');
      const settings = stage['access_log_settings'] as { format: string; destination_arn: string };
      expect(settings.format).toContain('"status":$context.status,');
      expect(accessLogLine(settings.format, { status: 200 })).toMatchObject({ service: 'api', tenant: 'acme', requestId: '$context.requestId', status: 200 });
      expect(settings.destination_arn).toContain('aws_cloudwatch_log_group.');
    });

    describe('availability SLI: what API Gateway answered, including failures the function never saw', () => {
      const format = () => (onlyResource(stack, 'aws_api_gateway_stage')['access_log_settings'] as { format: string }).format;
      const filters = () =>
        Object.values(resourcesOf(stack, 'aws_cloudwatch_log_metric_filter')).map(
          (f) => f as unknown as { log_group_name: string; pattern: string; metric_transformation: { name: string; namespace: string; value: string; dimensions: Record<string, string> } },
        );

      test('two metric filters on the access log emit GatewayRequests and GatewayServerErrors under [Service, Tenant]', () => {
        expect(filters().map((f) => [f.metric_transformation.name, f.pattern])).toEqual([
          ['GatewayRequests', '{ $.status = * }'],
          ['GatewayServerErrors', '{ $.status >= 500 }'],
        ]);
        for (const f of filters()) {
          expect(f.log_group_name).toContain('aws_cloudwatch_log_group.');
          expect(f.metric_transformation).toMatchObject({ namespace: 'Flota', value: '1', dimensions: { Service: '$.service', Tenant: '$.tenant' } });
        }
      });

      test('a Lambda throttle (500), function error or init crash (502) and integration timeout (504) make availability fall and page; the function metrics saw none of them', () => {
        // One hour of traffic: 1,000 requests, 2 % failing in API Gateway/Lambda before or around the handler.
        const lines = [
          ...Array.from({ length: 980 }, () => accessLogLine(format(), { status: 200 })),
          ...Array.from({ length: 8 }, () => accessLogLine(format(), { status: 500, integrationStatus: 429 })), // Lambda throttled the function
          ...Array.from({ length: 8 }, () => accessLogLine(format(), { status: 502, integrationStatus: 200 })), // crash / init error
          ...Array.from({ length: 4 }, () => accessLogLine(format(), { status: 504 })), // integration timeout
        ];
        const count = (metricName: string) => {
          const filter = filters().find((f) => f.metric_transformation.name === metricName)!;
          return lines.filter((line) => matchesJsonPattern(filter.pattern, line)).length;
        };
        expect([count('GatewayServerErrors'), count('GatewayRequests')]).toEqual([20, 1000]);

        const rule = sloRuleGroups(fleet).flatMap((g) => g.rules).find((r) => r.sli === 'availability' && r.window.id === 'page-1h' && r.tenantIds.includes('acme'))!;
        expect(rule.queries.map((q) => [q.namespace, q.metricName, q.dimensions])).toEqual([
          ['Flota', 'GatewayServerErrors', { Service: 'api', Tenant: '*' }],
          ['Flota', 'GatewayRequests', { Service: 'api', Tenant: '*' }],
        ]);
        const shortShare = 0.1; // the failures continue into the newest 5 minutes
        const g = (rule.stages.find((st) => st.refId === 'G')!.model.expression as string)
          .replace(/\$C/g, String(count('GatewayServerErrors')))
          .replace(/\$D/g, String(count('GatewayRequests')))
          .replace(/\$E/g, String(count('GatewayServerErrors') * shortShare))
          .replace(/\$F/g, String(count('GatewayRequests') * shortShare));
        expect(g).toMatch(/^[0-9.()<>=&/ e+-]+$/);
        expect(Boolean(new Function(`return (${g});`)())).toBe(true); // 2 % ≥ 14.4 × the 0.1 % budget
        // The handler never ran for the throttled requests and answered nothing for the crashed or timed-out ones: an SLI on
        // its own ServerErrors / Requests would have read 0 errors in 980 requests.
      });
    });

    test("API Gateway's own 4XX/5XX (and 403/429 specifics) are JSON in the API's documented error shape", () => {
      const responses = Object.values(resourcesOf(stack, 'aws_api_gateway_gateway_response'));
      const byType = Object.fromEntries(responses.map((r) => [r['response_type'] as string, r]));
      expect(Object.keys(byType)).toEqual(expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'INVALID_API_KEY', 'ACCESS_DENIED', 'THROTTLED', 'QUOTA_EXCEEDED']));
      expect(byType['INVALID_API_KEY']!['status_code']).toBe('403');
      expect(byType['THROTTLED']!).toMatchObject({ status_code: '429', response_parameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
      expect(byType['QUOTA_EXCEEDED']!['status_code']).toBe('429');
      const documented = readFileSync(join(__dirname, '..', 'docs', 'api.md'), 'utf8');
      for (const response of responses) {
        expect(response['rest_api_id']).toMatch(/^\$\{aws_api_gateway_rest_api\./);
        expect((response['response_parameters'] as Record<string, string>)['gatewayresponse.header.Content-Type']).toBe("'application/json'");
        const template = (response['response_templates'] as Record<string, string>)['application/json']!;
        // What API Gateway renders: $context.error.messageString is the JSON-quoted message, $context.requestId the id.
        const rendered = template.replaceAll('$context.error.messageString', JSON.stringify('Limit "Exceeded"')).replaceAll('$context.requestId', 'req-1');
        const body = JSON.parse(rendered) as { error: Record<string, unknown> };
        expect(body).toEqual({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: 'Limit "Exceeded"', requestId: 'req-1' } });
        expect(documented).toContain(`\`${body.error['code'] as string}\``);
      }
    });

    test('stores the generated API key in a KMS-encrypted secret, never in the synthesized output', () => {
      expect(onlyResource(stack, 'aws_api_gateway_api_key')['value']).toBeUndefined();
      expect(resourceAt(stack, 'aws_secretsmanager_secret', 'http-api/api-key-secret')).toMatchObject({
        name: tenant.names.apiKeySecret,
        kms_key_id: expect.stringContaining('aws_kms_key.'),
      });
      expect(resourceAt(stack, 'aws_secretsmanager_secret_version', 'http-api/api-key-secret-value')['secret_string']).toMatch(
        /^\$\{aws_api_gateway_api_key\..+\.value\}$/,
      );
    });
  });

  test('every role statement names at least one resource', () => {
    for (const policy of policiesOf('tenant-acme', stack).filter((p) => p.type === 'aws_iam_role_policy')) {
      for (const statement of policy.statements) expect(asList(statement.Resource).length).toBeGreaterThan(0);
    }
  });

  test('snapshot (review aid)', () => {
    expect(readable(stack)).toMatchSnapshot();
  });
});
