/** The fleet defaults file, tenants/_fleet.yaml: region, naming, state, network, tiers, SLO and alert defaults. */
import { z } from 'zod';
import { allocatedStorageGb, backupRetentionDays, batchSize, batchingWindowSeconds, burstLimit, instanceClass, logRetentionDays, maxAllocatedStorageGb, maxConcurrency, maxReceiveCount, multiAz, rateLimitPerSecond, reservedConcurrency } from './fields';
import { contact } from './contacts';
import { QuotasSchema } from './quotas';
import { apiPoolSize, apiTimeoutSeconds, ingestPoolSize, ingestTimeoutSeconds, lambdaMemoryMb, pageOn, percent, quotaPerDay, ssoGroupIds } from './fields';


export const TierSchema = z
  .strictObject({
    database: z
      .strictObject({
        instanceClass,
        allocatedStorageGb,
        maxAllocatedStorageGb,
        multiAz,
        backupRetentionDays,
      })
      .describe('Database sizing of the tier.'),
    ingest: z
      .strictObject({
        memoryMb: lambdaMemoryMb,
        timeoutSeconds: ingestTimeoutSeconds,
        batchSize,
        batchingWindowSeconds,
        maxConcurrency,
        maxReceiveCount,
        poolSize: ingestPoolSize,
      })
      .describe('Ingest pipeline (SQS → Lambda → RDS) of the tier.'),
    api: z
      .strictObject({
        memoryMb: lambdaMemoryMb,
        timeoutSeconds: apiTimeoutSeconds,
        rateLimitPerSecond,
        burstLimit,
        quotaPerDay: quotaPerDay.optional().describe('Requests per day allowed per API key. Default: no quota.'),
        reservedConcurrency,
        poolSize: apiPoolSize,
      })
      .describe('HTTP API (API Gateway → Lambda → RDS) of the tier.'),
    logRetentionDays,
  })
  .describe('Sizing of one tier; tenants inherit every value unless they override it.');
export type TierManifest = z.infer<typeof TierSchema>;

export const sloDefaults = z
  .strictObject({
    windowDays: z
      .number()
      .int()
      .min(7)
      .max(90)
      .default(30)
      .describe('SLO window in days (7..90); burn-rate alert windows scale with it. Default: 30.'),
    availability: percent('Availability (1 − 5xx / requests)'),
    latency: z.strictObject({
      thresholdMs: z.number().int().min(1).max(29000).describe('A request slower than this (ms) counts as bad (1..29000).'),
      target: percent('Share of requests faster than thresholdMs'),
    }).describe('Latency SLO: share of API requests faster than a threshold.'),
    freshness: z.strictObject({
      withinSeconds: z
        .number()
        .int()
        .min(1)
        .max(86400)
        .describe('A record stored later than this many seconds after publish counts as stale (1..86400).'),
      target: percent('Share of records stored within withinSeconds'),
    }).describe('Freshness SLO: share of records stored within N seconds of publish.'),
    minEventsPerWindow: z
      .number()
      .int()
      .min(1)
      .max(1000000)
      .default(100)
      .describe('Minimum requests/records in an alert long window before it may fire. Default: 100.'),
  })
  .describe('Default SLOs; each tenant may override any objective.');

export const AlertRoutingSchema = z
  .strictObject({
    page: contact('Urgent alerts (fast burn): wakes a human.'),
    ticket: contact('Non-urgent alerts (slow burn): handled in working hours.'),
    pageOn: pageOn.default([]).describe(`${pageOn.description ?? ''} Default: none (every operational alarm opens a ticket).`),
  })
  .describe('Where alerts go, per severity.');

export const tagKey = z
  .string()
  .regex(/^[A-Za-z0-9 _.:/=+\-@]{1,128}$/, { message: 'is not a valid AWS tag key (1..128 of A-Z a-z 0-9 space _ . : / = + - @)' })
  .refine((k) => !/^(aws|flota):/i.test(k), { message: 'uses a reserved prefix (aws: and flota: are set by flota)' });
export const tagValue = z
  .string()
  .regex(/^[A-Za-z0-9 _.:/=+\-@]{0,256}$/, { message: 'is not a valid AWS tag value (0..256 of A-Z a-z 0-9 space _ . : / = + - @)' });
export const tags = z.record(tagKey, tagValue);

const regionName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'is not an AWS region name' });

/** Cell names become part of stack names (`platform-<cell>`): short, lowercase. */
export const CELL_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const CellSchema = z
  .strictObject({
    name: z
      .string()
      .regex(CELL_NAME_PATTERN, { message: 'must be lowercase letters/digits with single inner hyphens, starting with a letter' })
      .max(20)
      .describe('Cell name (1..20 characters); tenants name it in `cell`. Its platform stack is `platform-<name>` (`platform` for a cell named `default`).'),
    accountId: z
      .string()
      .regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' })
      .describe('AWS account (usually one member account of your AWS Organization) the cell deploys into.'),
    region: regionName.optional().describe("Region of the cell; must be the fleet's `region` (CloudWatch cross-account observability links accounts within one region: run one fleet per region). Default: `region`."),
    deployRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/, { message: 'is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)' })
      .describe("IAM role in the cell's account that the cell's stacks assume (Terraform AWS provider `assume_role`); it must trust the CI role."),
    quotas: QuotasSchema.optional().describe("This account's quotas. Default: the fleet's `quotas` (each at its AWS default unless declared)."),
  })
  .describe('One cell: an AWS account (and region) with its own platform stack and a share of the tenants.');
export type CellManifest = z.infer<typeof CellSchema>;

export const GRAFANA_AUTH_PROVIDERS = ['AWS_SSO', 'SAML'] as const;

export const FleetSchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'is not an AWS region name' })
      .describe('AWS region every stack deploys to, e.g. eu-west-1.'),
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
        message: 'must be lowercase letters/digits with single inner hyphens, starting with a letter',
      })
      .min(2)
      .max(20)
      .describe('Naming prefix of every physical AWS name (`<prefix>-<tenant>-…`). Counts against every name length limit.'),
    environment: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,15}$/, { message: 'must be 1..16 lowercase letters/digits, starting with a letter' })
      .describe('Environment name, e.g. prod; used as the API stage name and in tags.'),
    state: z
      .strictObject({
        bucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'is not a valid S3 bucket name' })
          .describe('S3 bucket holding every stack state.'),
        region: z
          .string()
          .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'is not an AWS region name' })
          .optional()
          .describe('Region of the state bucket. Default: `region`.'),
        keyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { message: 'is not an S3 key prefix (no leading/trailing slash)' })
          .default('flota')
          .describe('State key of a stack is `<keyPrefix>/<stackName>.tfstate`. Default: flota.'),
        useLockfile: z
          .boolean()
          .default(true)
          .describe('terraform ≥ 1.10 S3-native state locking (`use_lockfile`). Default: true.'),
        dynamodbTable: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'is not a DynamoDB table name' })
          .optional()
          .describe('Legacy DynamoDB lock table, only while migrating to use_lockfile. Default: none.'),
        encrypt: z.boolean().default(true).describe('Encrypt state at rest. Default: true.'),
        kmsKeyId: z.string().min(1).optional().describe('KMS key id/ARN for state encryption. Default: the bucket default key.'),
      })
      .describe('Terraform S3 backend shared by every stack (one state key per stack).'),
    network: z
      .strictObject({
        vpcCidr: z
          .string()
          .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(1[6-9]|2[0-4])$/, {
            message: 'must be an IPv4 CIDR with a prefix length of /16../24',
          })
          .default('10.64.0.0/16')
          .describe('VPC CIDR (/16../24). Private subnets are carved from it, 1/16th each. Default: 10.64.0.0/16.'),
        availabilityZoneCount: z
          .number()
          .int()
          .min(2)
          .max(6)
          .default(3)
          .describe('AZs with one private subnet each (2..6). Default: 3.'),
        interfaceEndpoints: z
          .array(z.enum(['sqs', 'sns', 'secretsmanager', 'logs', 'kms', 'monitoring', 'sts', 'ssm']))
          .min(1)
          .default(['sqs', 'sns', 'secretsmanager', 'logs', 'kms'])
          .describe(
            'AWS services the functions reach through interface VPC endpoints (no NAT). Default: sqs, sns, secretsmanager, logs, kms.',
          ),
      })
      .prefault({})
      .describe('Shared VPC of the platform stack. Default: every field at its default.'),
    tiers: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'tier names must be lowercase letters, digits and hyphens' }),
        TierSchema,
      )
      .refine((t) => Object.keys(t).length > 0, { message: 'defines no tier' })
      .describe('Tier table, e.g. bronze / silver / gold. A tenant names one and inherits its sizing.'),
    lambdaConcurrencyLimit: z
      .number()
      .int()
      .min(100)
      .max(1000000)
      .default(1000)
      .describe(
        "The account's regional Lambda concurrent-executions quota (100..1000000). Reserved concurrency of every tenant (ingest maxConcurrency + API reservedConcurrency + 1 migrate) must leave the 100 executions AWS keeps unreserved. Default: 1000 (the AWS default quota).",
      ),
    quotas: QuotasSchema.prefault({}),
    cells: z
      .array(CellSchema)
      .min(1)
      .max(50)
      .optional()
      .describe(
        'Cells: the AWS accounts the fleet spreads over once it outgrows one. Tenants name one in `cell` (default: the first). The first cell also hosts the shared Grafana workspace and the CloudWatch cross-account observability sink. Default: one implicit cell, the account the deploy credentials belong to, in `region`.',
      ),
    requiredTenantTags: z
      .array(z.string().min(1))
      .default(['cost-centre'])
      .describe('Tag keys every tenant must set (cost allocation). Default: [cost-centre].'),
    slo: sloDefaults,
    alerts: AlertRoutingSchema.describe('Default alert routing for tenants that name no contact.'),
    tags: tags.default({}).describe('Tags on every resource of the fleet. Default: none.'),
    observability: z
      .strictObject({
        grafanaVersion: z
          .enum(['10.4', '11.4'])
          .default('10.4')
          .describe('Amazon Managed Grafana workspace version. Default: 10.4.'),
        authenticationProviders: z
          .array(z.enum(GRAFANA_AUTH_PROVIDERS))
          .min(1)
          .default(['AWS_SSO'])
          .describe('Workspace sign-in (AWS_SSO = IAM Identity Center). Default: [AWS_SSO].'),
        runbookBaseUrl: z
          .url({ protocol: /^https$/, message: 'must be an https URL' })
          .describe('Alerts link `<runbookBaseUrl>/<slo>`.'),
        docsBaseUrl: z
          .url({ protocol: /^https$/, message: 'must be an https URL' })
          .optional()
          .describe(
            "Where this repository's files can be read in a browser, e.g. https://github.com/acme/flota/blob/main; operational alarms link `<docsBaseUrl>/docs/runbooks.md#<alarm>`. Default: the repository path `docs/runbooks.md#<alarm>`.",
          ),
        ssoGroups: z
          .strictObject({
            admin: ssoGroupIds('Admin'),
            editor: ssoGroupIds('Editor'),
            viewer: ssoGroupIds('Viewer'),
          })
          .default({})
          .describe(
            'Who may sign in to the workspace (AWS_SSO only): one aws_grafana_role_association per role that lists groups. Default: none (only the Terraform service account).',
          ),
      })
      .describe('Shared Amazon Managed Grafana and alerting.'),
  })
  .describe('Fleet defaults (tenants/_fleet.yaml): region, naming, state backend, network, tiers, default SLOs and routing.');
export type FleetDefaults = z.infer<typeof FleetSchema>;
