import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { DB_ROLE } from '../contract/database';
import { FUNCTION_ENV, METRICS_NAMESPACE, SERVICE } from '../contract/telemetry';
import type { FunctionBundles } from './assets/bundle';
import { MIGRATE_FUNCTION } from '../fleet/model/sizing';
import type { CellModel, FleetModel, TenantModel } from '../fleet/model/types';
import { AwsContext } from './constructs/aws-context';
import { NetworkLookup } from './constructs/network-lookup';
import { addBackendAndProvider } from './constructs/stack-backend';
import { TenantApi } from './constructs/tenant-api';
import { TenantCursorKey } from './constructs/tenant-cursor-key';
import { TenantDatabase } from './constructs/tenant-database';
import { TenantFunction } from './constructs/tenant-function';
import { TenantKey } from './constructs/tenant-key';
import { TenantMessaging } from './constructs/tenant-messaging';

export interface TenantStackProps {
  readonly fleet: FleetModel;
  readonly tenant: TenantModel;
  /** The tenant's cell: its account (provider assume_role) and region. Default: the fleet's first cell. */
  readonly cell?: CellModel;
  /** The shared function zips (built once per synth). */
  readonly bundles: FunctionBundles;
  /** Changes when the SQL migrations change: re-runs the migrate function on deploy. */
  readonly migrationsChecksum: string;
}

/** RDS CA bundle shipped in the Lambda Node.js runtime: lets `pg` verify the database certificate. */
const RDS_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/**
 * One tenant's isolated pipeline (one state file = one blast radius): KMS key, SNS → SQS (+ DLQ) → ingest Lambda → RDS
 * PostgreSQL, and an API-key-protected REST API backed by the API Lambda. It references nothing outside itself except
 * the platform network, which it looks up by tag.
 */
export class TenantStack extends TerraformStack {
  readonly key: TenantKey;
  readonly messaging: TenantMessaging;
  readonly database: TenantDatabase;
  readonly ingest: TenantFunction;
  readonly api: TenantFunction;
  readonly migrate: TenantFunction;
  readonly httpApi: TenantApi;

  constructor(scope: Construct, props: TenantStackProps) {
    const { fleet, tenant, bundles } = props;
    const { names } = tenant;
    const cell = props.cell ?? fleet.cells.find((c) => c.name === tenant.cell) ?? fleet.cells[0]!;
    super(scope, tenant.stackName);
    addBackendAndProvider(this, {
      stackName: tenant.stackName,
      state: fleet.state,
      region: cell.region,
      tags: tenant.tags,
      assumeRoleArn: cell.deployRoleArn,
    });
    const aws = new AwsContext(this, 'account', { region: cell.region });
    const network = new NetworkLookup(this, 'network', { lookupTag: fleet.network.lookupTag });

    this.key = new TenantKey(this, 'key', {
      aws,
      alias: names.kmsAlias,
      description: `flota tenant ${tenant.id}: queue, topic, database, secrets and logs`,
      logGroupNames: [names.ingestLogGroup, names.apiLogGroup, names.migrateLogGroup, names.apiAccessLogGroup],
      topicArn: aws.arn('sns', names.topic),
    });
    const keyArn = this.key.arn;

    this.messaging = new TenantMessaging(this, 'messaging', {
      aws,
      topicName: names.topic,
      queueName: names.queue,
      deadLetterQueueName: names.deadLetterQueue,
      keyArn,
      ingest: tenant.ingest,
    });

    // The functions' security group: HTTPS to the VPC endpoints and PostgreSQL to this tenant's database, nothing else.
    const functionsSecurityGroup = new SecurityGroup(this, 'functions-security-group', {
      name: names.lambdaSecurityGroup,
      description: `flota tenant ${tenant.id}: Lambda functions`,
      vpcId: network.vpcId,
    });
    this.database = new TenantDatabase(this, 'database', {
      database: tenant.database,
      names,
      vpcId: network.vpcId,
      clientSecurityGroupId: functionsSecurityGroup.id,
      keyArn,
    });
    new VpcSecurityGroupEgressRule(this, 'functions-egress-endpoints', {
      securityGroupId: functionsSecurityGroup.id,
      description: 'HTTPS to the AWS service VPC endpoints',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: network.vpcCidrBlock,
    });
    new VpcSecurityGroupEgressRule(this, 'functions-egress-database', {
      securityGroupId: functionsSecurityGroup.id,
      description: "PostgreSQL to the tenant's database",
      ipProtocol: 'tcp',
      fromPort: tenant.database.port,
      toPort: tenant.database.port,
      referencedSecurityGroupId: this.database.securityGroup.id,
    });

    const budget = tenant.connectionBudget;
    /**
     * How a function reaches the database. `role` (API, ingest): its own PostgreSQL role with IAM database
     * authentication — no secret at all, `rds-db:connect` as that db user only. `master` (migrate alone): the
     * RDS-managed master secret, to create the roles and run the migrations as their owner.
     */
    const databaseEnv = (service: string, poolSize: number, login: { role: string } | 'master'): Record<string, string> => ({
      [FUNCTION_ENV.tenantId]: tenant.id,
      ...(login === 'master' ? { [FUNCTION_ENV.dbSecretArn]: this.database.masterSecretArn } : { [FUNCTION_ENV.dbUser]: login.role }),
      [FUNCTION_ENV.dbHost]: this.database.instance.address,
      [FUNCTION_ENV.dbPort]: String(tenant.database.port),
      [FUNCTION_ENV.dbName]: tenant.database.databaseName,
      [FUNCTION_ENV.dbPoolSize]: String(poolSize),
      NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE,
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    });
    const connectAs = (role: string) => ({
      Sid: 'ConnectAsOwnDatabaseRole',
      Effect: 'Allow' as const,
      Action: 'rds-db:connect',
      Resource: this.database.dbUserArn(aws, role),
    });
    // The tenant's record policy (manifest `records`), enforced by both functions: the API on POST, ingest per record.
    const recordPolicyEnv: Record<string, string> = {
      [FUNCTION_ENV.maxPayloadBytes]: String(tenant.records.maxPayloadBytes),
      ...(tenant.records.types !== null ? { [FUNCTION_ENV.recordTypes]: JSON.stringify(tenant.records.types) } : {}),
    };
    const cursorKey = new TenantCursorKey(this, 'cursor-key', { secretName: names.cursorKeySecret, keyArn });
    const common = {
      aws,
      keyArn,
      logRetentionDays: tenant.logRetentionDays,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [functionsSecurityGroup.id],
    };

    this.migrate = new TenantFunction(this, 'migrate', {
      ...common,
      functionName: names.migrateFunction,
      roleName: names.migrateRole,
      logGroupName: names.migrateLogGroup,
      bundle: bundles.migrate,
      timeoutSeconds: MIGRATE_FUNCTION.timeoutSeconds,
      memoryMb: MIGRATE_FUNCTION.memoryMb,
      reservedConcurrency: MIGRATE_FUNCTION.reservedConcurrency,
      environment: databaseEnv('migrate', budget.migratePoolSize, 'master'),
      statements: [
        {
          Sid: 'ReadDatabaseMasterSecret',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: this.database.masterSecretArn,
        },
        { Sid: 'DecryptWithTenantKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
      ],
    });
    // Runs the migrations on deploy: again whenever the migrations change or the database is replaced. The function
    // refuses to run if the checksum differs from the migrations bundled in its code (stale bundle). The API and ingest
    // functions and the event source mapping depend on it: new code is deployed, and the queue drained into the
    // database, only after the schema it needs exists (a failed migration stops the deploy before they change).
    const migration = new LambdaInvocation(this, 'migrate-invocation', {
      functionName: this.migrate.function.functionName,
      input: JSON.stringify({ action: 'migrate', checksum: props.migrationsChecksum }),
      triggers: { migrations: props.migrationsChecksum, database: this.database.instance.address },
    });

    this.ingest = new TenantFunction(this, 'ingest', {
      ...common,
      functionName: names.ingestFunction,
      roleName: names.ingestRole,
      logGroupName: names.ingestLogGroup,
      bundle: bundles.ingest,
      timeoutSeconds: tenant.ingest.timeoutSeconds,
      memoryMb: tenant.ingest.memoryMb,
      // Reserved = the event source's maximum concurrency: the tenant's ingest can always scale to it, whatever another
      // tenant's backlog does to the account's unreserved pool (and never beyond it: the connection budget holds).
      reservedConcurrency: tenant.ingest.maxConcurrency,
      dependsOn: [migration],
      environment: {
        ...databaseEnv(SERVICE.ingest, budget.ingestPoolSize, { role: DB_ROLE.ingest }),
        [FUNCTION_ENV.freshnessThresholdSeconds]: String(tenant.slo.freshness.withinSeconds),
        ...recordPolicyEnv,
      },
      statements: [
        {
          Sid: 'ConsumeOwnQueue',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
          Resource: this.messaging.queue.arn,
        },
        connectAs(DB_ROLE.ingest),
        { Sid: 'DecryptWithTenantKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
      ],
    });
    new LambdaEventSourceMapping(this, 'ingest-event-source', {
      eventSourceArn: this.messaging.queue.arn,
      functionName: this.ingest.function.arn,
      batchSize: tenant.ingest.batchSize,
      maximumBatchingWindowInSeconds: tenant.ingest.batchingWindowSeconds,
      // A poison record is reported individually and retried/dead-lettered alone; it never blocks its batch.
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: tenant.ingest.maxConcurrency },
      dependsOn: [migration],
    });

    this.api = new TenantFunction(this, 'api', {
      ...common,
      functionName: names.apiFunction,
      roleName: names.apiRole,
      logGroupName: names.apiLogGroup,
      bundle: bundles.api,
      timeoutSeconds: tenant.api.timeoutSeconds,
      memoryMb: tenant.api.memoryMb,
      reservedConcurrency: tenant.api.reservedConcurrency,
      dependsOn: [migration],
      environment: {
        ...databaseEnv(SERVICE.api, budget.apiPoolSize, { role: DB_ROLE.api }),
        [FUNCTION_ENV.cursorSecretArn]: cursorKey.arn,
        [FUNCTION_ENV.topicArn]: this.messaging.topic.arn,
        [FUNCTION_ENV.latencyThresholdMs]: String(tenant.slo.latency.thresholdMs),
        [FUNCTION_ENV.maxBodyBytes]: String(tenant.api.maxBodyBytes),
        ...recordPolicyEnv,
      },
      statements: [
        { Sid: 'PublishToOwnTopic', Effect: 'Allow', Action: 'sns:Publish', Resource: this.messaging.topic.arn },
        connectAs(DB_ROLE.api),
        { Sid: 'ReadCursorKeySecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: cursorKey.arn },
        {
          Sid: 'EncryptWithTenantKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: keyArn,
        },
      ],
    });

    this.httpApi = new TenantApi(this, 'http-api', {
      api: tenant.api,
      tenantId: tenant.id,
      names,
      functionInvokeArn: this.api.function.invokeArn,
      functionName: this.api.function.functionName,
      keyArn,
      logRetentionDays: tenant.logRetentionDays,
    });

    new TerraformOutput(this, 'api_url', { value: this.httpApi.invokeUrl });
    new TerraformOutput(this, 'api_key_secret_name', { value: names.apiKeySecret });
    new TerraformOutput(this, 'topic_arn', { value: this.messaging.topic.arn });
    new TerraformOutput(this, 'queue_url', { value: this.messaging.queue.url });
    new TerraformOutput(this, 'dead_letter_queue_url', { value: this.messaging.deadLetterQueue.url });
  }
}
