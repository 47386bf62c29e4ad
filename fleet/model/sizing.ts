/**
 * Sizing: a tenant's effective database / ingest / API settings (its tier's values with its own overrides on top), the
 * database's `max_connections`, and the connection budget that proves Lambda concurrency can never exhaust it.
 *
 * Worst case = ingest maxConcurrency × ingest pool + API reserved concurrency × API pool + migrate (1 container × 1)
 * and must stay ≤ floor(80 % × max_connections): the other 20 % is for superuser_reserved_connections, RDS monitoring,
 * humans running psql during an incident, and Lambda containers that linger a moment after their replacement started.
 */
import { INSTANCE_CLASS_MEMORY_GIB, type TenantManifest, type TierManifest } from '../manifest/schema';
import { sharedDbParameterGroupName } from './names';
import type { ConnectionBudgetModel } from './types';

/**
 * PostgreSQL on RDS: the current major (17) and the family the stacks deploy. `engineVersion` is the MAJOR only: with
 * auto minor version upgrades on, RDS moves the instance to new minors (17.6 → 17.7) in the maintenance window, and the
 * AWS provider treats a configured prefix of `engine_version_actual` as matching — so the next plan (and the nightly
 * drift diff) stays clean instead of trying to downgrade to a pinned minor.
 */
export const POSTGRES = { engineVersion: '17', parameterGroupFamily: 'postgres17', port: 5432 } as const;

/** Share of max_connections the functions may use. */
export const CONNECTION_BUDGET_FRACTION = 0.8;

/** CONNECTION_BUDGET_FRACTION as people read it in messages: "80 %". */
export const CONNECTION_BUDGET_PERCENT_TEXT = `${Math.round(CONNECTION_BUDGET_FRACTION * 100)} %`;

/**
 * The migrate function: one container at a time (reserved concurrency 1, so two deploys can never migrate at once)
 * holding one connection. Counted by the connection budget and by the account's reserved concurrency.
 */
export const MIGRATE_FUNCTION = { timeoutSeconds: 300, memoryMb: 256, reservedConcurrency: 1, poolSize: 1 } as const;

/** AWS rejects reserved concurrency that leaves fewer than this many executions unreserved in the account and region. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/** AWS: an SQS event source's visibility timeout should be ≥ 6 × the function timeout (plus the batching window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** RDS PostgreSQL default: LEAST({DBInstanceClassMemory/9531392}, 5000). */
const BYTES_PER_CONNECTION = 9531392;
const MAX_CONNECTIONS_CAP = 5000;
/**
 * DBInstanceClassMemory is the instance memory minus what RDS reserves for the OS and its agents; assume 75 % of the
 * nominal memory (conservative for every class in the table), so the value we set is one the instance can really hold.
 */
const USABLE_MEMORY_FRACTION = 0.75;

/** `max_connections` the parameter group sets for this instance class. Throws for an unknown class (the schema forbids it). */
export function maxConnectionsFor(instanceClass: string): number {
  const gib = INSTANCE_CLASS_MEMORY_GIB[instanceClass];
  if (gib === undefined) throw new Error(`unknown RDS instance class ${instanceClass}`);
  const usableBytes = gib * 1024 ** 3 * USABLE_MEMORY_FRACTION;
  return Math.min(Math.floor(usableBytes / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

/** A tenant's effective sizing: tier values with the tenant's overrides applied. */
export interface ResolvedSizing {
  readonly database: TierManifest['database'];
  readonly ingest: TierManifest['ingest'];
  readonly api: TierManifest['api'];
  readonly logRetentionDays: number;
}

export function resolveSizing(tier: TierManifest, tenant: Pick<TenantManifest, 'database' | 'ingest' | 'api' | 'logRetentionDays'>): ResolvedSizing {
  return {
    database: { ...tier.database, ...definedOnly(tenant.database) },
    ingest: { ...tier.ingest, ...definedOnly(tenant.ingest) },
    api: { ...tier.api, ...definedOnly(tenant.api) },
    logRetentionDays: tenant.logRetentionDays ?? tier.logRetentionDays,
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Worst-case connections of a tenant's functions against its database. */
export function connectionBudget(sizing: ResolvedSizing): ConnectionBudgetModel {
  const maxConnections = maxConnectionsFor(sizing.database.instanceClass);
  const budget = Math.floor(CONNECTION_BUDGET_FRACTION * maxConnections);
  const ingestMaxContainers = sizing.ingest.maxConcurrency;
  const ingestPoolSize = sizing.ingest.poolSize;
  const apiMaxContainers = sizing.api.reservedConcurrency;
  const apiPoolSize = sizing.api.poolSize;
  const migratePoolSize = MIGRATE_FUNCTION.reservedConcurrency * MIGRATE_FUNCTION.poolSize;
  return {
    maxConnections,
    budget,
    ingestMaxContainers,
    ingestPoolSize,
    apiMaxContainers,
    apiPoolSize,
    migratePoolSize,
    worstCase: ingestMaxContainers * ingestPoolSize + apiMaxContainers * apiPoolSize + migratePoolSize,
  };
}

/** The smallest instance class (by memory) of the same family whose budget fits `worstCase`, if any. */
export function smallestClassFitting(worstCase: number, currentClass: string): string | undefined {
  const family = currentClass.split('.').slice(0, 2).join('.');
  return Object.entries(INSTANCE_CLASS_MEMORY_GIB)
    .filter(([name]) => name.startsWith(`${family}.`))
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name)
    .find((name) => Math.floor(CONNECTION_BUDGET_FRACTION * maxConnectionsFor(name)) >= worstCase);
}

/**
 * SQS visibility timeout for a Lambda event source: AWS recommends ≥ 6 × the function timeout plus the batching window,
 * so a message is not redelivered while a (retried) invocation may still be processing it.
 */
export function visibilityTimeoutSeconds(ingestTimeoutSeconds: number, batchingWindowSeconds: number): number {
  return VISIBILITY_TIMEOUT_FACTOR * ingestTimeoutSeconds + batchingWindowSeconds;
}

/**
 * The database outage ingest rides out without dead-lettering a valid record. During an outage the ingest function fails
 * every batch (nothing is acknowledged before it is committed), so SQS receives each message again once per visibility
 * timeout; after `maxReceiveCount` receives it moves to the DLQ. A message first received when the outage starts is
 * therefore dead-lettered by any outage longer than `(maxReceiveCount − 1) × visibility timeout` — with SQS defaults for
 * bronze (5 receives, 180 s) that was 12 minutes. Rule `dead-letter-window` (fleet/model/rules.ts) requires that window
 * to cover this budget, which is longer than an RDS Multi-AZ failover (1–2 min), a minor-version upgrade or an instance
 * class change (~10–30 min) and the time to restore from a snapshot of a small database.
 */
export const INGEST_OUTAGE_BUDGET_SECONDS = 2 * 3600;

/** How long a message survives failing deliveries (a database outage) before SQS dead-letters it. */
export function deadLetterWindowSeconds(maxReceiveCount: number, visibilityTimeout: number): number {
  return (maxReceiveCount - 1) * visibilityTimeout;
}

/** The smallest maxReceiveCount whose dead-letter window covers `budgetSeconds`. */
export function minimumMaxReceiveCount(visibilityTimeout: number, budgetSeconds: number = INGEST_OUTAGE_BUDGET_SECONDS): number {
  return Math.ceil(budgetSeconds / visibilityTimeout) + 1;
}

/** Queue retention: 4 days gives a long weekend of outage before data ages out; the DLQ keeps 14 days (the SQS max). */
export const MESSAGE_RETENTION_SECONDS = 4 * 24 * 3600;
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** SNS caps a message at 256 KiB; leave room for the JSON envelope the API wraps around the body. */
export const API_MAX_BODY_BYTES = 240 * 1024;

/**
 * The DB parameter group a tenant uses. Its parameters are TLS-only plus `max_connections`, which follows from the
 * instance class; a tenant whose `max_connections` equals its tier's shares the cell's `(family, tier)` group (platform
 * stack), and only a tenant whose parameters differ (an instanceClass override) gets a group of its own. RDS allows
 * 50 parameter groups per account and region by default, so one per tenant would cap a cell at 50 tenants.
 */
export function dbParameterGroupFor(
  prefix: string,
  tierName: string,
  tier: TierManifest,
  sizing: ResolvedSizing,
  ownName: string,
): { readonly name: string; readonly shared: boolean } {
  const shared = maxConnectionsFor(sizing.database.instanceClass) === maxConnectionsFor(tier.database.instanceClass);
  return shared ? { name: sharedDbParameterGroupName(prefix, POSTGRES.parameterGroupFamily, tierName), shared } : { name: ownName, shared };
}

/** Reserved concurrency of one tenant: ingest (= its event source's maximum concurrency), API and migrate. */
export function reservedConcurrencyOf(sizing: { readonly ingest: { readonly maxConcurrency: number }; readonly api: { readonly reservedConcurrency: number } }): number {
  return sizing.ingest.maxConcurrency + sizing.api.reservedConcurrency + MIGRATE_FUNCTION.reservedConcurrency;
}
