/** One tenant file, tenants/<id>.yaml: identity, owner, tier and per-tenant overrides of the tier's values. */
import { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from '../../../contract/record';
import { contact, emailAddress } from './contacts';
import { LOG_RETENTION_DAYS, MAX_DEPLOY_WAVES, pageOn, allocatedStorageGb, apiTimeoutSeconds, backupRetentionDays, batchSize, batchingWindowSeconds, burstLimit, ingestTimeoutSeconds, instanceClass, lambdaMemoryMb, logRetentionDays, maxAllocatedStorageGb, maxConcurrency, maxPayloadBytes, maxReceiveCount, multiAz, percent, quotaPerDay, rateLimitPerSecond, recordTypes, reservedConcurrency, tenantId } from './fields';
import { tags, type FleetDefaults } from './fleet';


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
    cell: z
      .string()
      .min(1)
      .optional()
      .describe('A cell defined in `_fleet.yaml` `cells`. Moving a tenant to another cell replaces every resource (a new account): never change it for a deployed tenant. Default: the first cell.'),
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
        pageOn: pageOn.optional().describe(`${pageOn.description ?? ''} Replaces the fleet list. Default: \`alerts.pageOn\` of _fleet.yaml.`),
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
