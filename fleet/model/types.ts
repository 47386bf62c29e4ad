/**
 * The fleet model: what the manifest means, fully resolved (defaults applied, names derived, budgets computed).
 *
 * This is the contract between the manifest layer (which produces it) and everything downstream: cdktf constructs,
 * dashboards, alert rules, CLI commands and the local dev fleet. It is plain data: no cdktf, no YAML, no I/O.
 * Every name here derives from the tenant id (never from an index or file order), so renaming or reordering files
 * never replaces a resource.
 */

import type { OperationalAlarmId } from '../manifest/schema';

export type { OperationalAlarmId };

/** Tier names are defined by the fleet defaults file; the shipped fleet uses bronze | silver | gold. */
export type TierName = string;

/** Where a contact's secret value lives. Manifests only ever name secrets; they never contain them. */
export interface SecretReference {
  /** Secrets Manager secret name (or ARN). The synthesized output references it via a data source, never its value. */
  readonly secretName: string;
}

/** One alert destination. A tenant routes `page` and `ticket` severities separately. */
export type ContactModel =
  | { readonly kind: 'email'; readonly addresses: readonly string[] }
  | { readonly kind: 'slack'; readonly webhookUrl: SecretReference; readonly channel?: string }
  | { readonly kind: 'pagerduty'; readonly integrationKey: SecretReference }
  | { readonly kind: 'sns'; readonly topicArn: string };

export interface AlertRoutingModel {
  /** Urgent: a human is woken up (fast burn). */
  readonly page: ContactModel;
  /** Non-urgent: handled in working hours (slow burn). */
  readonly ticket: ContactModel;
}

/** Objective for a ratio SLI, as a fraction, e.g. 0.999 for 99.9 %. */
export interface SloObjectiveModel {
  /** Target as a fraction in (0, 1). */
  readonly target: number;
  /** 1 − target. */
  readonly errorBudget: number;
}

export interface SloModel {
  /** Length of the SLO window in days (30 by default); burn-rate windows scale with it. */
  readonly windowDays: number;
  /** availability = 1 − ServerErrors / Requests */
  readonly availability: SloObjectiveModel;
  /** latency = 1 − SlowRequests / Requests, where slow means > thresholdMs */
  readonly latency: SloObjectiveModel & { readonly thresholdMs: number };
  /** freshness = 1 − StaleRecords / RecordsIngested, where stale means stored more than withinSeconds after publish */
  readonly freshness: SloObjectiveModel & { readonly withinSeconds: number };
  /**
   * Minimum events (requests or records) in an alert's long window before it may fire, so a tenant with three requests
   * an hour does not page on one error.
   */
  readonly minEventsPerWindow: number;
}

export interface DatabaseModel {
  /** The PostgreSQL MAJOR version only (e.g. "17"): RDS applies minor upgrades itself (auto minor version upgrade). */
  readonly engineVersion: string;
  /** Parameter group family, e.g. "postgres17". */
  readonly parameterGroupFamily: string;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling. */
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  /** Name of the application database inside the instance. */
  readonly databaseName: string;
  readonly masterUsername: string;
  /** The `max_connections` value the parameter group sets explicitly (so the connection budget is exact). */
  readonly maxConnections: number;
  readonly port: number;
  /** The cell's shared DB subnet group (platform stack); tenant stacks create none. */
  readonly subnetGroupName: string;
  /**
   * The parameter group the instance uses: the cell's shared `(family, tier)` group (platform stack) when the tenant's
   * parameters equal its tier's, else the tenant's own group (names.dbParameterGroup), created by the tenant stack.
   */
  readonly parameterGroup: { readonly name: string; readonly shared: boolean };
}

/** Proof data that Lambda concurrency can never exhaust the database's connections. */
export interface ConnectionBudgetModel {
  readonly maxConnections: number;
  /** 80 % of maxConnections, rounded down: the ceiling the fleet's functions may use. */
  readonly budget: number;
  /** Worst-case concurrent ingest containers (= SQS event source maximum concurrency). */
  readonly ingestMaxContainers: number;
  readonly ingestPoolSize: number;
  /** Worst-case concurrent API containers (= the API function's reserved concurrency). */
  readonly apiMaxContainers: number;
  readonly apiPoolSize: number;
  /** The migrate function runs with reserved concurrency 1. */
  readonly migratePoolSize: number;
  /** ingestMaxContainers × ingestPoolSize + apiMaxContainers × apiPoolSize + migratePoolSize; always ≤ budget. */
  readonly worstCase: number;
}

export interface IngestModel {
  /** SQS → Lambda batch size. */
  readonly batchSize: number;
  /** Maximum batching window in seconds (0 = none). */
  readonly batchingWindowSeconds: number;
  /** Event source mapping maximum concurrency (2..1000). */
  readonly maxConcurrency: number;
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** ≥ 6 × timeoutSeconds, as AWS recommends for Lambda event sources. */
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly dlqRetentionSeconds: number;
}

export interface ApiModel {
  /** Steady-state requests per second (usage plan and stage throttle). */
  readonly rateLimitPerSecond: number;
  readonly burstLimit: number;
  /** Requests per day allowed per API key; undefined = no quota. */
  readonly quotaPerDay?: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Reserved concurrency of the API function: bounds DB connections. */
  readonly reservedConcurrency: number;
  /** Largest accepted request body in bytes (SNS caps a message at 256 KiB). */
  readonly maxBodyBytes: number;
}

/** Every physical AWS name a tenant stack creates, derived from the tenant id and validated against AWS limits. */
export interface TenantNamesModel {
  /** `${prefix}-${id}`: the base every other name starts from. */
  readonly base: string;
  readonly kmsAlias: string; // alias/<base>
  readonly topic: string; // ≤ 256
  readonly queue: string; // ≤ 80
  readonly deadLetterQueue: string; // ≤ 80
  readonly ingestFunction: string; // ≤ 64
  readonly apiFunction: string; // ≤ 64
  readonly migrateFunction: string; // ≤ 64
  readonly ingestRole: string; // ≤ 64
  readonly apiRole: string; // ≤ 64
  readonly migrateRole: string; // ≤ 64
  readonly apiGatewayRole?: string;
  readonly lambdaSecurityGroup: string; // ≤ 255
  readonly databaseSecurityGroup: string;
  /** RDS identifier: ≤ 63, starts with a letter, [a-z0-9-], no double hyphen, no trailing hyphen. */
  readonly dbInstance: string;
  readonly dbParameterGroup: string; // ≤ 255, starts with a letter
  readonly dbSubnetGroup: string; // ≤ 255
  readonly dbFinalSnapshot: string; // ≤ 255, starts with a letter
  readonly restApi: string;
  readonly apiStage: string;
  readonly usagePlan: string;
  readonly apiKey: string;
  /** Secrets Manager name under which the tenant's API key value is stored for clients and smoke tests. */
  readonly apiKeySecret: string;
  /** Secrets Manager name of the key that signs the API's pagination cursors (independent of database credentials). */
  readonly cursorKeySecret: string;
  readonly ingestLogGroup: string; // /aws/lambda/<ingestFunction>
  readonly apiLogGroup: string;
  readonly migrateLogGroup: string;
  readonly apiAccessLogGroup: string; // ≤ 512
}

export interface TenantModel {
  /** Immutable, DNS-safe id; equals the YAML file name without extension. */
  readonly id: string;
  readonly displayName: string;
  readonly owner: { readonly team: string; readonly email: string };
  readonly tier: TierName;
  /** Deploy wave (1 = first). */
  readonly wave: number;
  /** Name of the cell (CellModel.name) the tenant lives in. */
  readonly cell: string;
  /** Manifest file this tenant came from, relative to the repository root (for error messages and `flota changed`). */
  readonly sourceFile: string;
  /** cdktf stack name: `tenant-${id}`. */
  readonly stackName: string;
  readonly names: TenantNamesModel;
  readonly database: DatabaseModel;
  readonly ingest: IngestModel;
  readonly api: ApiModel;
  readonly connectionBudget: ConnectionBudgetModel;
  readonly slo: SloModel;
  readonly alerts: AlertRoutingModel;
  /** Operational alarms (fleet/model/ops-alarms.ts) that page for this tenant; the others open a ticket. Sorted. */
  readonly pageOn: readonly OperationalAlarmId[];
  readonly logRetentionDays: number;
  /** What the tenant accepts beyond the fleet-wide record schema (contract/record.ts). */
  readonly records: { readonly types: readonly string[] | null; readonly maxPayloadBytes: number };
  /** Tags applied to every resource of the tenant (fleet tags + tenant tags + flota:* tags). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface StateBackendModel {
  readonly bucket: string;
  readonly region: string;
  /** State key of a stack: `${keyPrefix}/${stackName}.tfstate`. */
  readonly keyPrefix: string;
  /** terraform ≥ 1.10 S3-native locking (`use_lockfile`). */
  readonly useLockfile: boolean;
  /** Legacy DynamoDB lock table, if still used during a migration to `use_lockfile`. */
  readonly dynamodbTable?: string;
  readonly encrypt: boolean;
  /** Optional KMS key for state encryption. */
  readonly kmsKeyId?: string;
}

export interface NetworkModel {
  readonly vpcCidr: string;
  /** Number of AZs (≥ 2) with one private subnet each. */
  readonly availabilityZoneCount: number;
  /** Private subnet CIDRs, one per AZ, derived from vpcCidr. */
  readonly privateSubnetCidrs: readonly string[];
  /** Tag key/value tenant stacks use to look the VPC and subnets up (no cross-stack state reference). */
  readonly lookupTag: { readonly key: string; readonly value: string };
  /** AWS services reached through interface VPC endpoints (short names, e.g. "sqs", "sns", "secretsmanager", "logs", "kms"). */
  readonly interfaceEndpoints: readonly string[];
}

export interface ObservabilityModel {
  /** cdktf stack name of the observability stack. */
  readonly stackName: string;
  readonly workspaceName: string;
  /**
   * IAM role the workspace assumes (CUSTOMER_MANAGED). The platform stack creates it with CloudWatch read access; the
   * observability stack attaches the SNS publish grant for the topics the manifest names, because that list changes
   * with tenant files and a tenant change deploys only its own stack and the observability stack.
   */
  readonly workspaceRoleName: string;
  readonly grafanaVersion: string;
  readonly authenticationProviders: readonly string[];
  /** SSM parameter names where the platform stack publishes the workspace URL and provider token (SecureString). */
  readonly workspaceUrlParameter: string;
  readonly workspaceTokenParameter: string;
  /** Fleet default routing used when a tenant names no contact. */
  readonly defaultAlerts: AlertRoutingModel;
  /** Base URL of runbooks; alert annotations link `${runbookBaseUrl}/${slo}`. */
  readonly runbookBaseUrl: string;
  /**
   * Where the operational alarms' runbooks are: `${runbooksUrl}#<alarm id>` (docs/runbooks.md of this repository, as a
   * browsable URL when the manifest sets `observability.docsBaseUrl`, else the repository path).
   */
  readonly runbooksUrl: string;
  /** Who may sign in to the workspace: one aws_grafana_role_association per role with groups (AWS_SSO). */
  readonly roleAssociations: readonly GrafanaRoleAssociationModel[];
  /**
   * CloudWatch cross-account observability (only with more than one cell): the first cell's account is the monitoring
   * account with an OAM sink; every other cell's platform stack links to it, so the one CloudWatch data source sees every
   * cell's metrics. The sink ARN is published to an SSM parameter in the monitoring account, read by the other cells.
   */
  readonly crossAccountSink?: { readonly name: string; readonly arnParameter: string };
}

export interface GrafanaRoleAssociationModel {
  readonly role: 'ADMIN' | 'EDITOR' | 'VIEWER';
  /** IAM Identity Center group ids, sorted, no duplicates. */
  readonly groupIds: readonly string[];
}

/** One shared DB parameter group of a cell: `(family, tier)`, TLS only, max_connections of the tier's instance class. */
export interface SharedParameterGroupModel {
  readonly name: string;
  readonly family: string;
  readonly tier: string;
  readonly maxConnections: number;
}

/**
 * A cell: one AWS account (and region) with its own platform stack. A fleet without `cells` has one implicit cell,
 * `default`, deployed with the CI credentials' own account (no assume role).
 */
export interface CellModel {
  readonly name: string;
  /** undefined for the implicit cell. */
  readonly accountId?: string;
  readonly region: string;
  /** Role the cell's stacks assume (provider assume_role); undefined for the implicit cell. */
  readonly deployRoleArn?: string;
  readonly platformStackName: string;
  /** The first cell: holds the Grafana workspace and the CloudWatch cross-account observability sink. */
  readonly hostsObservability: boolean;
  /** Effective account quotas (declared or AWS default), by quota key (fleet/manifest/schema/quotas.ts). */
  readonly quotas: Readonly<Record<string, number>>;
  readonly dbSubnetGroupName: string;
  /** Shared parameter groups its tenants use, sorted by name. */
  readonly parameterGroups: readonly SharedParameterGroupModel[];
}

export interface FleetModel {
  readonly region: string;
  /** Naming prefix for every physical name, e.g. "flota". */
  readonly prefix: string;
  readonly environment: string;
  readonly state: StateBackendModel;
  readonly network: NetworkModel;
  /** cdktf stack name of the first cell's platform stack (the only one without cells). */
  readonly platformStackName: string;
  /** Declared order; the first is the default cell and hosts observability. Always at least one. */
  readonly cells: readonly CellModel[];
  readonly observability: ObservabilityModel;
  /** Tags applied to shared (non-tenant) resources. */
  readonly tags: Readonly<Record<string, string>>;
  /** Sorted by id. */
  readonly tenants: readonly TenantModel[];
}
