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
import { migrationsChecksum } from '../functions/migrations';
import { MigrateInputSchema } from '../functions/migrate/handler';

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

    test('writes JSON access logs', () => {
      const stage = onlyResource(stack, 'aws_api_gateway_stage');
      const settings = stage['access_log_settings'] as { format: string; destination_arn: string };
      expect(JSON.parse(settings.format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(settings.destination_arn).toContain('aws_cloudwatch_log_group.');
    });

    test('stores the generated API key in a KMS-encrypted secret, never in the synthesized output', () => {
      expect(onlyResource(stack, 'aws_api_gateway_api_key')['value']).toBeUndefined();
      expect(onlyResource(stack, 'aws_secretsmanager_secret')).toMatchObject({
        name: tenant.names.apiKeySecret,
        kms_key_id: expect.stringContaining('aws_kms_key.'),
      });
      expect(onlyResource(stack, 'aws_secretsmanager_secret_version')['secret_string']).toMatch(
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
