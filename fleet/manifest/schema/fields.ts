/**
 * Field schemas shared by the fleet defaults file and tenant files: ids, sizing fields, record policy fields. Each carries
 * the description (with its default) that the generated JSON Schemas and tenants/REFERENCE.md show.
 */
import { z } from 'zod';
import { MAX_PAYLOAD_BYTES, MAX_RECORD_TYPE_LENGTH, MAX_RECORD_TYPES } from '../../../contract/record';
import { MAX_TENANT_ID_LENGTH, TENANT_ID_PATTERN, TENANT_ID_RULE_TEXT } from '../../../contract/tenant-id';

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

export { TENANT_ID_PATTERN };

export const tenantId = z
  .string()
  .regex(TENANT_ID_PATTERN, { message: `must be DNS-safe: ${TENANT_ID_RULE_TEXT}` })
  .max(MAX_TENANT_ID_LENGTH)
  .describe(
    'Immutable tenant id; must equal the file name without `.yaml`. Every AWS name of the tenant derives from it, so changing it replaces (and would destroy) every resource: add a new tenant instead. DNS-safe: `[a-z][a-z0-9-]*`, no `--`, no trailing hyphen; the maximum length depends on the naming prefix (see rule `name-too-long`).',
  );

/**
 * Operational alarms (fleet/model/ops-alarms.ts) by id. Ids are API (alert labels, runbook anchors in docs/runbooks.md,
 * `alerts.pageOn`): never rename one.
 */
export const OPERATIONAL_ALARM_IDS = [
  'dlq-not-empty',
  'oldest-message-age',
  'db-storage-low',
  'db-cpu-high',
  'db-connections-high',
  'migrate-failing',
] as const;
export type OperationalAlarmId = (typeof OPERATIONAL_ALARM_IDS)[number];

/** Operational alarms that page; every other one opens a ticket. */
export const pageOn = z
  .array(z.enum(OPERATIONAL_ALARM_IDS))
  .max(OPERATIONAL_ALARM_IDS.length)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) {
        ctx.addIssue({ code: 'custom', path: [index], message: `names "${id}" twice`, params: { flota: CUSTOM_CODE.duplicateEntry, fix: 'remove one of the two entries' } });
      }
    });
  })
  .describe(
    `Operational alarms that page instead of opening a ticket (${OPERATIONAL_ALARM_IDS.join(', ')}; see docs/runbooks.md).`,
  );

/**
 * IAM Identity Center (Identity Store) group id: a UUID, optionally prefixed by 10 hex digits and a hyphen
 * (Identity Store API reference, GroupId pattern).
 */
export const SSO_GROUP_ID_PATTERN = /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
export const ssoGroupIds = (role: string) =>
  z
    .array(
      z.string().superRefine((value, ctx) => {
        if (SSO_GROUP_ID_PATTERN.test(value)) return;
        ctx.addIssue({
          code: 'custom',
          message: 'is not an IAM Identity Center group id',
          params: {
            flota: CUSTOM_CODE.invalidFormat,
            fix: 'use the group id (a UUID such as 9067d3c1-5081-70f3-1e4b-0e4d8a1b2c3d, from IAM Identity Center → Groups), not its display name',
          },
        });
      }),
    )
    .min(1)
    .max(100)
    .optional()
    .describe(`IAM Identity Center group ids whose members sign in to Grafana as ${role} (1..100). Default: none.`);

/** Literal secrets that must never appear in a manifest (only Secrets Manager names may). */

export const percent = (what: string) =>
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
export const logRetentionDays = z
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

export const instanceClass = z.enum(INSTANCE_CLASSES).describe('RDS instance class (PostgreSQL 17). Sets `max_connections`.');
export const allocatedStorageGb = z.number().int().min(20).max(65536).describe('Initial gp3 storage in GiB (20..65536).');
export const maxAllocatedStorageGb = z
  .number()
  .int()
  .min(20)
  .max(65536)
  .describe('Storage autoscaling ceiling in GiB; must be ≥ allocatedStorageGb.');
export const multiAz = z.boolean().describe('Run a synchronous standby in a second AZ.');
export const backupRetentionDays = z.number().int().min(1).max(35).describe('Automated backup retention in days (1..35).');

export const lambdaMemoryMb = z.number().int().min(128).max(10240).describe('Lambda memory in MB (128..10240).');
export const batchSize = z
  .number()
  .int()
  .min(1)
  .max(10000)
  .describe('Records per SQS → Lambda batch (1..10000); above 10 requires batchingWindowSeconds ≥ 1.');
export const batchingWindowSeconds = z
  .number()
  .int()
  .min(0)
  .max(300)
  .describe('Maximum batching window in seconds (0..300); 0 = invoke as soon as records arrive.');
export const maxConcurrency = z
  .number()
  .int()
  .min(2)
  .max(1000)
  .describe('SQS event source maximum concurrency (2..1000): the most ingest containers at once.');
export const maxReceiveCount = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe('Receives before a message moves to the dead-letter queue (1..1000).');
export const ingestTimeoutSeconds = z
  .number()
  .int()
  .min(1)
  .max(900)
  .describe('Ingest function timeout in seconds (1..900). The queue visibility timeout becomes 6 × this + the batching window.');
export const ingestPoolSize = z
  .number()
  .int()
  .min(1)
  .max(2)
  .describe('Database connections per ingest container (1..2): one batch is one transaction.');
export const rateLimitPerSecond = z
  .number()
  .min(1)
  .max(10000)
  .describe('Steady-state API requests per second (usage plan and stage throttle; 1..10000).');
export const burstLimit = z.number().int().min(1).max(5000).describe('API token-bucket burst (1..5000); should be ≥ the rate.');
export const quotaPerDay = z.number().int().min(1).max(1_000_000_000).describe('Requests per day allowed per API key (1..1000000000).');
export const apiTimeoutSeconds = z
  .number()
  .int()
  .min(1)
  .max(29)
  .describe('API function timeout in seconds (1..29: API Gateway integrations time out at 29 s).');
export const reservedConcurrency = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe('Reserved concurrency of the API function (1..1000): bounds its database connections.');
export const apiPoolSize = z.number().int().min(2).max(4).describe('Database connections per API container (2..4).');

/**
 * One `records.types` entry: a record type, or a prefix match ending in `*`. Beyond its length, the entry is checked
 * here (not with a regex) so each mistake gets its own message; the JSON Schema carries the equivalent pattern for editors.
 */
export const recordTypeEntry = z
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

export const recordTypes = z
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

export const maxPayloadBytes = z
  .number()
  .int()
  .min(1)
  .max(MAX_PAYLOAD_BYTES)
  .describe(
    `Largest accepted record payload in bytes of its JSON (1..${MAX_PAYLOAD_BYTES}); lowers the fleet-wide limit for this tenant. Default: ${MAX_PAYLOAD_BYTES}.`,
  );

