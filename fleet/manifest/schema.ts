/**
 * The manifest schema: the single source of truth for what `tenants/*.yaml` may contain.
 *
 * Types (`FleetDefaults`, `TenantManifest`), the JSON Schemas editors use (`tenants/*.schema.json`) and the field reference
 * (`tenants/REFERENCE.md`) are all generated from these zod schemas (see generate.ts). Every optional field documents its
 * default in its description, which is what the generated reference shows.
 *
 * Rules that need more than one field or more than one file (connection budget, derived AWS name lengths, duplicate ids,
 * unknown tier) live in rules.ts, because they need the resolved values, not just the shape.
 */
import { z } from 'zod';
import { MAX_PAYLOAD_BYTES, MAX_RECORD_TYPE_LENGTH, MAX_RECORD_TYPES } from '../../contract/record';

/** Error codes carried by custom zod issues so the loader can map them to stable rule codes. */
export const CUSTOM_CODE = {
  secretLiteral: 'secret-literal',
  invalidFormat: 'invalid-format',
  oneContact: 'invalid-contact',
  missingField: 'missing-field',
  duplicateEntry: 'duplicate-entry',
} as const;

// ---------------------------------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------------------------------

/** DNS-safe tenant id: lowercase letters, digits and single hyphens; starts with a letter, ends with a letter or digit. */
export const TENANT_ID_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

const tenantId = z
  .string()
  .regex(TENANT_ID_PATTERN, {
    message:
      'must be DNS-safe: lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  })
  .max(63)
  .describe(
    'Immutable tenant id; must equal the file name without `.yaml`. Every AWS name of the tenant derives from it, so changing it replaces (and would destroy) every resource: add a new tenant instead. DNS-safe: `[a-z][a-z0-9-]*`, no `--`, no trailing hyphen; the maximum length depends on the naming prefix (see rule `name-too-long`).',
  );

/** Literal secrets that must never appear in a manifest (only Secrets Manager names may). */
export const SECRET_LITERAL_PATTERNS: readonly { readonly pattern: RegExp; readonly looksLike: string }[] = [
  { pattern: /hooks\.slack\.com/i, looksLike: 'a Slack webhook URL' },
  { pattern: /^https?:\/\//i, looksLike: 'a URL' },
  { pattern: /^xox[abpors]-/i, looksLike: 'a Slack token' },
  { pattern: /^[0-9a-f]{32}$/i, looksLike: 'a 32-hex-digit PagerDuty integration key' },
  { pattern: /^-----BEGIN /, looksLike: 'a PEM key' },
];

/** Secrets Manager secret names: 1..512 of [A-Za-z0-9/_+=.@-] (or a full secret ARN). */
export const SECRET_NAME_PATTERN = /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A Secrets Manager secret NAME. Anything that looks like the secret's value is rejected with code `secret-literal`. */
function secretName(what: string, example: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const literal = SECRET_LITERAL_PATTERNS.find((p) => p.pattern.test(value));
      if (literal !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `looks like ${literal.looksLike}, i.e. the secret itself`,
          params: {
            flota: CUSTOM_CODE.secretLiteral,
            redact: true,
            fix: `name the Secrets Manager secret that holds ${what}, never its value, e.g. "${example}"; rotate the leaked value`,
          },
        });
        return;
      }
      if (!SECRET_NAME_PATTERN.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: 'is not a valid Secrets Manager secret name',
          params: {
            flota: CUSTOM_CODE.invalidFormat,
            fix: `use 1..512 characters of A-Z a-z 0-9 / _ + = . @ -, e.g. "${example}"`,
          },
        });
      }
    })
    .describe(`Name (or ARN) of the AWS Secrets Manager secret that holds ${what}. Never the value itself.`);
}

const emailAddress = z.email({ message: 'is not an email address' });

const emailContact = z.strictObject({
  addresses: z.array(emailAddress).min(1).max(20).describe('Recipients (1..20). Delivered through an SNS email subscription.'),
});
const slackContact = z.strictObject({
  webhookUrlSecret: secretName('the Slack incoming-webhook URL', 'flota/<team>/slack-webhook'),
  channel: z
    .string()
    .regex(/^#?[a-z0-9._-]{1,80}$/, { message: 'is not a Slack channel name' })
    .optional()
    .describe("Channel shown in the contact point (informational; the webhook decides). Default: the webhook's own channel."),
});
const pagerdutyContact = z.strictObject({
  integrationKeySecret: secretName('the PagerDuty Events v2 integration key', 'flota/<team>/pagerduty-integration-key'),
});
const snsContact = z.strictObject({
  topicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { message: 'is not an SNS topic ARN' })
    .describe('ARN of an existing SNS topic, e.g. arn:aws:sns:eu-west-1:123456789012:oncall.'),
});

export const CONTACT_KINDS = ['email', 'slack', 'pagerduty', 'sns'] as const;

/** Exactly one of email | slack | pagerduty | sns. */
export const ContactSchema = z
  .strictObject({
    email: emailContact.optional().describe('Email the team.'),
    slack: slackContact.optional().describe('Post to Slack through an incoming webhook whose URL is stored in Secrets Manager.'),
    pagerduty: pagerdutyContact.optional().describe('Open PagerDuty incidents with an integration key stored in Secrets Manager.'),
    sns: snsContact.optional().describe('Publish to an existing SNS topic you own.'),
  })
  .superRefine((contact, ctx) => {
    const kinds = CONTACT_KINDS.filter((k) => contact[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: kinds.length === 0 ? 'names no contact' : `names ${kinds.length} contacts (${kinds.join(', ')})`,
        params: {
          flota: CUSTOM_CODE.oneContact,
          fix: `give exactly one of ${CONTACT_KINDS.join(' | ')}; route the other severity under the sibling key`,
        },
      });
    }
  })
  .meta(contactMeta('One alert destination: exactly one of `email`, `slack`, `pagerduty`, `sns`.'));
export type ContactManifest = z.infer<typeof ContactSchema>;

/** JSON Schema keywords that tell editors a contact has exactly one key (zod expresses it as a refinement). */
function contactMeta(description: string) {
  return { description, minProperties: 1, maxProperties: 1 };
}
/** The contact schema with a use-specific description (keeps the one-key JSON Schema hint). */
const contact = (description: string) => ContactSchema.meta(contactMeta(description));

const percent = (what: string) =>
  z.number().min(50).max(99.999).describe(`${what}, as a target in percent (50..99.999), e.g. 99.9.`);

/** CloudWatch Logs accepts only these retention periods (days). */
/**
 * Deploy waves a tenant may use. The deploy workflow has one job per wave (.github/workflows/deploy.yml: wave-1..wave-3),
 * so a larger wave would never be deployed; raising this needs a new wave job too.
 */
export const MAX_DEPLOY_WAVES = 3;

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const logRetentionDays = z
  .literal(LOG_RETENTION_DAYS)
  .describe(`CloudWatch Logs retention in days; one of ${LOG_RETENTION_DAYS.join(', ')}.`);

/**
 * RDS instance classes flota knows the memory of (GiB, nominal). The memory sets `max_connections`, which the connection
 * budget depends on, so an unknown class is an error rather than a guess.
 */
export const INSTANCE_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = {
  'db.t4g.micro': 1,
  'db.t4g.small': 2,
  'db.t4g.medium': 4,
  'db.t4g.large': 8,
  'db.t4g.xlarge': 16,
  'db.t4g.2xlarge': 32,
  'db.t3.micro': 1,
  'db.t3.small': 2,
  'db.t3.medium': 4,
  'db.t3.large': 8,
  'db.t3.xlarge': 16,
  'db.t3.2xlarge': 32,
  'db.m7g.large': 8,
  'db.m7g.xlarge': 16,
  'db.m7g.2xlarge': 32,
  'db.m7g.4xlarge': 64,
  'db.m7g.8xlarge': 128,
  'db.m6g.large': 8,
  'db.m6g.xlarge': 16,
  'db.m6g.2xlarge': 32,
  'db.m6g.4xlarge': 64,
  'db.m6i.large': 8,
  'db.m6i.xlarge': 16,
  'db.m6i.2xlarge': 32,
  'db.m6i.4xlarge': 64,
  'db.r7g.large': 16,
  'db.r7g.xlarge': 32,
  'db.r7g.2xlarge': 64,
  'db.r7g.4xlarge': 128,
  'db.r7g.8xlarge': 256,
  'db.r6g.large': 16,
  'db.r6g.xlarge': 32,
  'db.r6g.2xlarge': 64,
  'db.r6g.4xlarge': 128,
  'db.r6i.large': 16,
  'db.r6i.xlarge': 32,
  'db.r6i.2xlarge': 64,
  'db.r6i.4xlarge': 128,
};
export const INSTANCE_CLASSES = Object.keys(INSTANCE_CLASS_MEMORY_GIB) as [string, ...string[]];

const instanceClass = z.enum(INSTANCE_CLASSES).describe('RDS instance class (PostgreSQL 17). Sets `max_connections`.');
const allocatedStorageGb = z.number().int().min(20).max(65536).describe('Initial gp3 storage in GiB (20..65536).');
const maxAllocatedStorageGb = z
  .number()
  .int()
  .min(20)
  .max(65536)
  .describe('Storage autoscaling ceiling in GiB; must be ≥ allocatedStorageGb.');
const multiAz = z.boolean().describe('Run a synchronous standby in a second AZ.');
const backupRetentionDays = z.number().int().min(1).max(35).describe('Automated backup retention in days (1..35).');

const lambdaMemoryMb = z.number().int().min(128).max(10240).describe('Lambda memory in MB (128..10240).');
const batchSize = z
  .number()
  .int()
  .min(1)
  .max(10000)
  .describe('Records per SQS → Lambda batch (1..10000); above 10 requires batchingWindowSeconds ≥ 1.');
const batchingWindowSeconds = z
  .number()
  .int()
  .min(0)
  .max(300)
  .describe('Maximum batching window in seconds (0..300); 0 = invoke as soon as records arrive.');
const maxConcurrency = z
  .number()
  .int()
  .min(2)
  .max(1000)
  .describe('SQS event source maximum concurrency (2..1000): the most ingest containers at once.');
const maxReceiveCount = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe('Receives before a message moves to the dead-letter queue (1..1000).');
const ingestTimeoutSeconds = z
  .number()
  .int()
  .min(1)
  .max(900)
  .describe('Ingest function timeout in seconds (1..900). The queue visibility timeout becomes 6 × this + the batching window.');
const ingestPoolSize = z
  .number()
  .int()
  .min(1)
  .max(2)
  .describe('Database connections per ingest container (1..2): one batch is one transaction.');
const rateLimitPerSecond = z
  .number()
  .min(1)
  .max(10000)
  .describe('Steady-state API requests per second (usage plan and stage throttle; 1..10000).');
const burstLimit = z.number().int().min(1).max(5000).describe('API token-bucket burst (1..5000); should be ≥ the rate.');
const quotaPerDay = z.number().int().min(1).max(1_000_000_000).describe('Requests per day allowed per API key (1..1000000000).');
const apiTimeoutSeconds = z
  .number()
  .int()
  .min(1)
  .max(29)
  .describe('API function timeout in seconds (1..29: API Gateway integrations time out at 29 s).');
const reservedConcurrency = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe('Reserved concurrency of the API function (1..1000): bounds its database connections.');
const apiPoolSize = z.number().int().min(2).max(4).describe('Database connections per API container (2..4).');

/**
 * One `records.types` entry: a record type, or a prefix match ending in `*`. Beyond its length, the entry is checked
 * here (not with a regex) so each mistake gets its own message; the JSON Schema carries the equivalent pattern for editors.
 */
const recordTypeEntry = z
  .string()
  .min(1)
  .max(MAX_RECORD_TYPE_LENGTH)
  .superRefine((entry, ctx) => {
    const problem = (message: string, fix: string) =>
      ctx.addIssue({ code: 'custom', message, params: { flota: CUSTOM_CODE.invalidFormat, fix } });
    if (entry.includes('\0')) {
      problem('must not contain a NUL character', 'remove the NUL (\\0) character');
    } else if (/\s/.test(entry)) {
      problem('must not contain whitespace', 'write the type without spaces, tabs or line breaks, e.g. "order.created"');
    } else if (entry === '*') {
      problem("'*' alone would accept every type", 'omit records.types to accept any type');
    } else if (entry.slice(0, -1).includes('*')) {
      problem(
        `'*' is allowed only at the end of an entry (a prefix match such as "order.*")`,
        `keep one '*' as the last character (e.g. "order.*" accepts "order.created"), or list each type in full`,
      );
    }
  })
  .meta({ pattern: '^[^\\s\\u0000*]+\\*?$' })
  .describe(
    `A record type (1..${MAX_RECORD_TYPE_LENGTH} characters, no whitespace), or a prefix ending in \`*\`: \`order.*\` accepts \`order.created\`.`,
  );

const recordTypes = z
  .array(recordTypeEntry)
  .min(1)
  .max(MAX_RECORD_TYPES)
  .superRefine((types, ctx) => {
    const first = new Map<string, number>();
    types.forEach((entry, i) => {
      const earlier = first.get(entry);
      if (earlier === undefined) {
        first.set(entry, i);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        message: `is already listed as records.types.${earlier}`,
        path: [i],
        params: { flota: CUSTOM_CODE.duplicateEntry, fix: 'remove one of the two entries' },
      });
    });
  })
  .meta({ uniqueItems: true })
  .describe(
    `Record types the tenant accepts (1..${MAX_RECORD_TYPES} entries, no duplicates); an entry ending in \`*\` is a prefix match (\`order.*\` accepts \`order.created\`). The ingest and API functions refuse any other type. Default: any type.`,
  );

const maxPayloadBytes = z
  .number()
  .int()
  .min(1)
  .max(MAX_PAYLOAD_BYTES)
  .describe(
    `Largest accepted record payload in bytes of its JSON (1..${MAX_PAYLOAD_BYTES}); lowers the fleet-wide limit for this tenant. Default: ${MAX_PAYLOAD_BYTES}.`,
  );

// ---------------------------------------------------------------------------------------------------------------------
// Fleet defaults: tenants/_fleet.yaml
// ---------------------------------------------------------------------------------------------------------------------

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

const sloDefaults = z
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
  })
  .describe('Where alerts go, per severity.');

const tagKey = z
  .string()
  .regex(/^[A-Za-z0-9 _.:/=+\-@]{1,128}$/, { message: 'is not a valid AWS tag key (1..128 of A-Z a-z 0-9 space _ . : / = + - @)' })
  .refine((k) => !/^(aws|flota):/i.test(k), { message: 'uses a reserved prefix (aws: and flota: are set by flota)' });
const tagValue = z
  .string()
  .regex(/^[A-Za-z0-9 _.:/=+\-@]{0,256}$/, { message: 'is not a valid AWS tag value (0..256 of A-Z a-z 0-9 space _ . : / = + - @)' });
const tags = z.record(tagKey, tagValue);

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
        "The account's regional Lambda concurrent-executions quota (100..1000000). Reserved concurrency of every tenant (API + 1 migrate) must leave the 100 executions AWS keeps unreserved. Default: 1000 (the AWS default quota).",
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
      })
      .describe('Shared Amazon Managed Grafana and alerting.'),
  })
  .describe('Fleet defaults (tenants/_fleet.yaml): region, naming, state backend, network, tiers, default SLOs and routing.');
export type FleetDefaults = z.infer<typeof FleetSchema>;

// ---------------------------------------------------------------------------------------------------------------------
// One tenant: tenants/<id>.yaml
// ---------------------------------------------------------------------------------------------------------------------

/** A tier field a tenant may override: same constraints, optional, documented as inheriting the tier's value. */
function fromTier<T extends z.ZodType>(schema: T, field: string) {
  return schema.optional().describe(`${schema.description ?? ''} Default: the tier's \`${field}\`.`.trim());
}

export const TenantSchema = z
  .strictObject({
    id: tenantId,
    name: z.string().min(1).max(100).describe('Display name shown in dashboards and alerts (1..100 characters).'),
    owner: z
      .strictObject({
        team: z
          .string()
          .regex(/^[a-z][a-z0-9-]{0,62}$/, { message: 'must be a lowercase team slug (letters, digits, hyphens)' })
          .describe('Owning team slug, e.g. payments-platform; becomes the `flota:owner` tag.'),
        email: emailAddress.describe('Team mailbox for ownership questions.'),
      })
      .describe('Who owns the tenant.'),
    tier: z
      .string()
      .min(1)
      .describe('A tier defined in `_fleet.yaml` `tiers` (the shipped fleet: bronze, silver, gold).'),
    wave: z
      .number()
      .int()
      .min(1)
      .max(MAX_DEPLOY_WAVES)
      .default(1)
      .describe(`Deploy wave (1..${MAX_DEPLOY_WAVES}; 1 deploys first, each wave waits for the previous one). Default: 1.`),
    database: z
      .strictObject({
        instanceClass: fromTier(instanceClass, 'database.instanceClass'),
        allocatedStorageGb: fromTier(allocatedStorageGb, 'database.allocatedStorageGb'),
        maxAllocatedStorageGb: fromTier(maxAllocatedStorageGb, 'database.maxAllocatedStorageGb'),
        multiAz: fromTier(multiAz, 'database.multiAz'),
        backupRetentionDays: fromTier(backupRetentionDays, 'database.backupRetentionDays'),
      })
      .optional()
      .describe("Database overrides. Default: the tier's database."),
    ingest: z
      .strictObject({
        batchSize: fromTier(batchSize, 'ingest.batchSize'),
        batchingWindowSeconds: fromTier(batchingWindowSeconds, 'ingest.batchingWindowSeconds'),
        maxConcurrency: fromTier(maxConcurrency, 'ingest.maxConcurrency'),
        maxReceiveCount: fromTier(maxReceiveCount, 'ingest.maxReceiveCount'),
        timeoutSeconds: fromTier(ingestTimeoutSeconds, 'ingest.timeoutSeconds'),
        memoryMb: fromTier(lambdaMemoryMb, 'ingest.memoryMb'),
      })
      .optional()
      .describe("Ingest overrides. Default: the tier's ingest."),
    api: z
      .strictObject({
        rateLimitPerSecond: fromTier(rateLimitPerSecond, 'api.rateLimitPerSecond'),
        burstLimit: fromTier(burstLimit, 'api.burstLimit'),
        quotaPerDay: fromTier(quotaPerDay, 'api.quotaPerDay'),
        reservedConcurrency: fromTier(reservedConcurrency, 'api.reservedConcurrency'),
        timeoutSeconds: fromTier(apiTimeoutSeconds, 'api.timeoutSeconds'),
        memoryMb: fromTier(lambdaMemoryMb, 'api.memoryMb'),
      })
      .optional()
      .describe("API overrides. Default: the tier's api."),
    slo: z
      .strictObject({
        availability: percent('Availability').optional().describe('Availability target in percent (50..99.999). Default: `slo.availability` of _fleet.yaml.'),
        latency: z
          .strictObject({
            thresholdMs: z
              .number()
              .int()
              .min(1)
              .max(29000)
              .optional()
              .describe('Slow-request threshold in ms (1..29000). Default: `slo.latency.thresholdMs` of _fleet.yaml.'),
            target: percent('Latency')
              .optional()
              .describe('Share of requests faster than thresholdMs, percent (50..99.999). Default: `slo.latency.target` of _fleet.yaml.'),
          })
          .optional()
          .describe('Latency SLO. Default: the fleet latency SLO.'),
        freshness: z
          .strictObject({
            withinSeconds: z
              .number()
              .int()
              .min(1)
              .max(86400)
              .optional()
              .describe('Stale threshold in seconds (1..86400). Default: `slo.freshness.withinSeconds` of _fleet.yaml.'),
            target: percent('Freshness')
              .optional()
              .describe('Share of records stored in time, percent (50..99.999). Default: `slo.freshness.target` of _fleet.yaml.'),
          })
          .optional()
          .describe('Freshness SLO. Default: the fleet freshness SLO.'),
        minEventsPerWindow: z
          .number()
          .int()
          .min(1)
          .max(1000000)
          .optional()
          .describe('Minimum events before an alert may fire. Default: `slo.minEventsPerWindow` of _fleet.yaml.'),
      })
      .optional()
      .describe('SLO overrides. Default: the fleet SLOs (`slo` in _fleet.yaml).'),
    alerts: z
      .strictObject({
        page: contact('Urgent alerts. Default: `alerts.page` of _fleet.yaml.').optional(),
        ticket: contact('Non-urgent alerts. Default: `alerts.ticket` of _fleet.yaml.').optional(),
      })
      .optional()
      .describe('Alert routing. Default: the fleet routing (`alerts` in _fleet.yaml).'),
    logRetentionDays: logRetentionDays.optional().describe(`CloudWatch Logs retention in days (${LOG_RETENTION_DAYS.join(', ')}). Default: the tier's \`logRetentionDays\`.`),
    records: z
      .strictObject({
        types: recordTypes.optional(),
        maxPayloadBytes: maxPayloadBytes.optional(),
      })
      .optional()
      .describe(
        `What the tenant accepts beyond the fleet-wide record schema (docs/functions.md): its record types and a lower payload limit. Default: any type, payloads up to ${MAX_PAYLOAD_BYTES} bytes.`,
      ),
    tags: tags.describe(
      'Tags on every resource of the tenant; must include every key of `requiredTenantTags` (cost-centre by default). Keys starting with aws: or flota: are reserved.',
    ),
  })
  .describe('One tenant (tenants/<id>.yaml). Only id, name, owner, tier and tags are required; everything else inherits.');
export type TenantManifest = z.infer<typeof TenantSchema>;

/** A validated tenant together with the file it came from. */
export interface TenantSource {
  /** Path relative to the working directory, as printed in errors. */
  readonly file: string;
  readonly tenant: TenantManifest;
}

/** The whole validated manifest: fleet defaults plus every tenant, sorted by id. */
export interface Manifest {
  readonly fleetFile: string;
  readonly fleet: FleetDefaults;
  readonly tenants: readonly TenantSource[];
}
