/**
 * Validation rules that need values the model derives: AWS names and their limits, the database connection budget,
 * SQS batching, storage ceilings and the account's Lambda concurrency. They run on manifest files that passed the schema
 * (fleet/manifest/loader.ts) and report at the field that can fix them; fleet/index.ts runs them before building the
 * model, so the model is only ever built from a valid manifest. Codes are listed with every other rule in
 * fleet/manifest/rules.ts.
 */
import { DATABASE_TIMEOUTS_MS, minimumFunctionTimeoutMs } from '../../contract/database';
import type { ManifestError } from '../manifest/errors';
import { errorAt, q, type CheckedFile } from '../manifest/rules';
import { QUOTAS, quotaCodeText, type FleetDefaults, type TenantManifest, type TierManifest } from '../manifest/schema';
import { secretLookupName } from './alert-routing';
import { cellOfTenant, declaredCells, effectiveQuota, effectiveQuotas } from './cells';
import { checkTenantNames, deriveTenantNames, maxTenantIdLength } from './names';
import { cellFootprintFromManifest, cellUsage, perTenantCost, tenantFootprintFromManifest, tenantRoom, type TenantFootprint } from './quotas';
import {
  CONNECTION_BUDGET_PERCENT_TEXT,
  connectionBudget,
  deadLetterWindowSeconds,
  INGEST_OUTAGE_BUDGET_SECONDS,
  MIGRATE_FUNCTION,
  minimumMaxReceiveCount,
  resolveSizing,
  smallestClassFitting,
  reservedConcurrencyOf,
  UNRESERVED_CONCURRENCY_MINIMUM,
  visibilityTimeoutSeconds,
  type ResolvedSizing,
} from './sizing';
import type { ConnectionBudgetModel } from './types';

/** Every model rule over the fleet file and the tenant files that passed the schema. */
export function checkDerivedRules(fleet: CheckedFile<FleetDefaults>, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  return [...checkFleet(fleet), ...checkTenantDerivations(fleet.data, tenants), ...checkAccountConcurrency(fleet, tenants), ...checkCellQuotas(fleet, tenants)];
}

// ---------------------------------------------------------------------------------------------------------------------
// Sizing rules, shared by the fleet tiers and tenant overrides
// ---------------------------------------------------------------------------------------------------------------------

interface SizingProblem {
  readonly code: 'connection-budget' | 'batch-window' | 'storage-ceiling' | 'statement-timeout' | 'dead-letter-window';
  /** Fields (relative to the tier / tenant root) that could fix it, most likely first. */
  readonly fields: readonly string[];
  readonly message: string;
  readonly fix: string;
}

function sizingProblems(sizing: ResolvedSizing): SizingProblem[] {
  const problems: SizingProblem[] = [];
  const b = connectionBudget(sizing);
  if (b.worstCase > b.budget) {
    const fixes: string[] = [];
    const ingestRoom = Math.floor((b.budget - b.migratePoolSize - b.apiMaxContainers * b.apiPoolSize) / b.ingestPoolSize);
    if (ingestRoom >= 2) fixes.push(`lower ingest.maxConcurrency to ≤ ${ingestRoom}`);
    const apiRoom = Math.floor((b.budget - b.migratePoolSize - b.ingestMaxContainers * b.ingestPoolSize) / b.apiPoolSize);
    if (apiRoom >= 1) fixes.push(`lower api.reservedConcurrency to ≤ ${apiRoom}`);
    const larger = smallestClassFitting(b.worstCase, sizing.database.instanceClass);
    if (larger !== undefined) fixes.push(`set database.instanceClass: ${larger}`);
    problems.push({
      code: 'connection-budget',
      fields: ['ingest.maxConcurrency', 'api.reservedConcurrency', 'database.instanceClass'],
      message:
        `worst-case ${b.worstCase} database connections (ingest ${b.ingestMaxContainers} × ${b.ingestPoolSize} + api ` +
        `${b.apiMaxContainers} × ${b.apiPoolSize} + migrate ${b.migratePoolSize}) exceed the budget of ${b.budget} ` +
        `(${CONNECTION_BUDGET_PERCENT_TEXT} of max_connections ${b.maxConnections} on ${sizing.database.instanceClass})`,
      fix: fixes.length > 0 ? fixes.join(', or ') : 'lower ingest.maxConcurrency and api.reservedConcurrency',
    });
  }
  if (sizing.ingest.batchSize > 10 && sizing.ingest.batchingWindowSeconds < 1) {
    problems.push({
      code: 'batch-window',
      fields: ['ingest.batchSize', 'ingest.batchingWindowSeconds'],
      message: `batchSize ${sizing.ingest.batchSize} needs a batching window: SQS allows more than 10 records per batch only with batchingWindowSeconds ≥ 1`,
      fix: 'set ingest.batchingWindowSeconds to 1 or more, or ingest.batchSize to 10 or less',
    });
  }
  if (sizing.database.maxAllocatedStorageGb < sizing.database.allocatedStorageGb) {
    problems.push({
      code: 'storage-ceiling',
      fields: ['database.maxAllocatedStorageGb', 'database.allocatedStorageGb'],
      message: `maxAllocatedStorageGb ${sizing.database.maxAllocatedStorageGb} is below allocatedStorageGb ${sizing.database.allocatedStorageGb}`,
      fix: `set database.maxAllocatedStorageGb to at least ${sizing.database.allocatedStorageGb}`,
    });
  }
  for (const fn of ['api', 'ingest'] as const) {
    const timeoutMs = sizing[fn].timeoutSeconds * 1000;
    const needed = minimumFunctionTimeoutMs(fn);
    if (timeoutMs < needed) {
      const { connect, statement, margin } = DATABASE_TIMEOUTS_MS;
      problems.push({
        code: 'statement-timeout',
        fields: [`${fn}.timeoutSeconds`],
        message:
          `the ${fn} function's timeout of ${sizing[fn].timeoutSeconds} s does not cover its database wait (connect ${seconds(connect)} + ` +
          `statement ${seconds(statement[fn])} + ${seconds(margin)} to answer): a slow query would end as an invisible Lambda timeout ` +
          `instead of a counted ${fn === 'api' ? '503' : 'failed batch'}`,
        fix: `raise ${fn}.timeoutSeconds to at least ${Math.ceil(needed / 1000)}`,
      });
    }
  }
  const visibility = visibilityTimeoutSeconds(sizing.ingest.timeoutSeconds, sizing.ingest.batchingWindowSeconds);
  const window = deadLetterWindowSeconds(sizing.ingest.maxReceiveCount, visibility);
  if (window < INGEST_OUTAGE_BUDGET_SECONDS) {
    problems.push({
      code: 'dead-letter-window',
      fields: ['ingest.maxReceiveCount', 'ingest.timeoutSeconds'],
      message:
        `maxReceiveCount ${sizing.ingest.maxReceiveCount} dead-letters valid records after a database outage of ${duration(window)} ` +
        `((${sizing.ingest.maxReceiveCount} − 1) receives × visibility timeout ${visibility} s), shorter than the ${duration(INGEST_OUTAGE_BUDGET_SECONDS)} outage budget`,
      fix: `set ingest.maxReceiveCount to at least ${minimumMaxReceiveCount(visibility)}`,
    });
  }
  return problems;
}

/** 720 → "12 min", 7200 → "2 h", 4500 → "75 min". */
function duration(totalSeconds: number): string {
  if (totalSeconds % 3600 === 0) return `${totalSeconds / 3600} h`;
  if (totalSeconds % 60 === 0) return `${totalSeconds / 60} min`;
  return `${totalSeconds} s`;
}

const seconds = (ms: number): string => `${ms / 1000} s`;

const split = (field: string) => field.split('.');

// ---------------------------------------------------------------------------------------------------------------------
// Fleet file
// ---------------------------------------------------------------------------------------------------------------------

function checkFleet(fleet: CheckedFile<FleetDefaults>): ManifestError[] {
  const errors: ManifestError[] = [];
  const maxId = maxTenantIdLength(fleet.data.prefix, fleet.data.environment);
  if (maxId < 1) {
    errors.push(
      errorAt(fleet, ['prefix'], 'value', {
        code: 'name-too-long',
        message: 'leaves no room for a tenant id in the derived AWS names (IAM role names allow 64 characters)',
        got: q(fleet.data.prefix),
        fix: 'use a shorter prefix',
      }),
    );
  }
  for (const [tierName, tier] of Object.entries(fleet.data.tiers)) {
    for (const p of sizingProblems(resolveSizing(tier, {}))) {
      const field = p.fields[0]!;
      const path = ['tiers', tierName, ...split(field)];
      errors.push(
        errorAt(fleet, path, 'value', {
          code: p.code,
          message: `tier ${tierName}: ${p.message}`,
          got: q(fleet.valueAt(path) as number),
          fix: p.fix.replace(/(ingest|api|database)\./g, `tiers.${tierName}.$1.`),
        }),
      );
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------------
// Tenant files
// ---------------------------------------------------------------------------------------------------------------------

/** Derived names and sizing of every tenant whose tier exists (an unknown tier is reported by the manifest rules). */
function checkTenantDerivations(fleet: FleetDefaults, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const errors: ManifestError[] = [];
  const maxId = maxTenantIdLength(fleet.prefix, fleet.environment);
  for (const t of tenants) {
    const { data } = t;
    if (maxId >= 1) {
      const violations = checkTenantNames(deriveTenantNames(fleet.prefix, data.id, fleet.environment));
      const tooLong = violations.filter((v) => v.kind === 'too-long');
      if (tooLong.length > 0) {
        const worst = tooLong.reduce((a, b) => (a.name.length - a.rule.maxLength >= b.name.length - b.rule.maxLength ? a : b));
        const others = tooLong.length - 1;
        errors.push(
          errorAt(t, ['id'], 'value', {
            code: 'name-too-long',
            message:
              `makes the ${worst.rule.resource} ${q(worst.name)} ${worst.name.length} characters long, over the limit of ${worst.rule.maxLength}` +
              (others > 0 ? ` (and ${others} more derived name${others === 1 ? '' : 's'} too long)` : ''),
            got: `${q(data.id)} (${data.id.length} characters)`,
            fix: `shorten the id to at most ${maxId} characters (the prefix ${q(fleet.prefix)} counts against every name)`,
          }),
        );
      }
      for (const v of violations.filter((x) => x.kind === 'pattern')) {
        errors.push(
          errorAt(t, ['id'], 'value', {
            code: 'name-pattern',
            message: `makes the ${v.rule.resource} ${q(v.name)}, which AWS rejects: ${v.rule.patternText}`,
            got: q(data.id),
            fix: 'choose an id (or a prefix in _fleet.yaml) that yields a valid name',
          }),
        );
      }
    }

    const tier: TierManifest | undefined = fleet.tiers[data.tier];
    if (tier === undefined) continue;

    // Sizing problems the tier itself has are reported once, on _fleet.yaml; here only those the tenant's overrides cause.
    const tierProblems = new Set(sizingProblems(resolveSizing(tier, {})).map((p) => p.code));
    for (const p of sizingProblems(resolveSizing(tier, data))) {
      const overridden = p.fields.find((field) => t.valueAt(split(field)) !== undefined);
      if (overridden === undefined && tierProblems.has(p.code)) continue;
      const field = overridden ?? 'tier';
      errors.push(
        errorAt(t, split(field), 'value', {
          code: p.code,
          message: p.message,
          got: renderGot(t.valueAt(split(field))),
          fix: p.fix,
        }),
      );
    }
  }
  return errors;
}

function renderGot(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}


// ---------------------------------------------------------------------------------------------------------------------
// Whole fleet
// ---------------------------------------------------------------------------------------------------------------------

export { UNRESERVED_CONCURRENCY_MINIMUM };

/**
 * Reserved concurrency summed over each cell must fit that account's Lambda quota (else deploying its last tenants fails).
 * Reported here rather than by quota-exceeded because its fix also names the tenants that reserve the most.
 */
function checkAccountConcurrency(fleet: CheckedFile<FleetDefaults>, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const errors: ManifestError[] = [];
  const cells = declaredCells(fleet.data);
  const explicit = fleet.data.cells !== undefined;
  cells.forEach((cell, index) => {
    const reserved = tenants
      .filter((t) => fleet.data.tiers[t.data.tier] !== undefined && cellOfTenant(fleet.data, t.data.cell) === cell.name)
      .map((t) => ({ id: t.data.id, reserved: reservedConcurrencyOf(resolveSizing(fleet.data.tiers[t.data.tier]!, t.data)) }));
    const total = reserved.reduce((sum, r) => sum + r.reserved, 0);
    const quota = effectiveQuota(fleet.data, index, 'lambdaConcurrentExecutions', fleet.valueAt(['lambdaConcurrencyLimit']) !== undefined);
    const available = quota.value - UNRESERVED_CONCURRENCY_MINIMUM;
    if (total <= available) return;
    const largest = [...reserved]
      .sort((a, b) => b.reserved - a.reserved || (a.id < b.id ? -1 : 1))
      .slice(0, 3)
      .map((r) => `${r.id} ${r.reserved}`);
    const field = quota.declaredAt?.join('.') ?? (explicit ? `cells.${index}.quotas.lambdaConcurrentExecutions` : 'lambdaConcurrencyLimit');
    errors.push(
      errorAt(fleet, quota.declaredAt ?? (explicit ? ['cells', index, 'name'] : []), quota.declaredAt !== undefined || explicit ? 'value' : 'key', {
        code: 'account-concurrency',
        message:
          `${explicit ? `cell ${cell.name}: ` : ''}the ${explicit ? 'cell' : 'fleet'} reserves ${total} concurrent executions (ingest maxConcurrency + API reserved concurrency + ${MIGRATE_FUNCTION.reservedConcurrency} migrate, ${reserved.length} tenants), ` +
          `more than the ${available} a quota of ${quota.value} leaves after the ${UNRESERVED_CONCURRENCY_MINIMUM} AWS keeps unreserved`,
        got: String(quota.value),
        fix: `raise the Lambda concurrent-executions quota (Service Quotas lambda L-B99A9384${explicit ? `, account ${cell.accountId}` : ''}) to at least ${total + UNRESERVED_CONCURRENCY_MINIMUM} and set ${field}, or lower ingest.maxConcurrency / api.reservedConcurrency (largest: ${largest.join(', ')})`,
      }),
    );
  });
  return errors;
}

/**
 * Every cell's usage of every account quota (fleet/model/quotas.ts) must fit the quota `_fleet.yaml` declares (the AWS
 * default unless declared). Placement is explicit — a tenant stays in the cell it names (default: the first) because
 * moving it replaces every resource — so a cell that is full is an error naming the cell, the quota, the increase to
 * request (when AWS can raise it) and the cells with room.
 */
function checkCellQuotas(fleet: CheckedFile<FleetDefaults>, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const cells = declaredCells(fleet.data);
  const names = new Set(cells.map((c) => c.name));
  const footprints = tenants
    .map((t) => tenantFootprintFromManifest(fleet.data, t.data))
    .filter((f): f is TenantFootprint => f !== undefined && names.has(f.cell));
  const explicit = fleet.data.cells !== undefined;
  const state = cells.map((cell, index) => {
    const footprint = cellFootprintFromManifest(fleet.data, index);
    const quotas = effectiveQuotas(fleet.data, index);
    const usage = cellUsage(footprint, footprints);
    return { cell, index, footprint, quotas, usage, room: tenantRoom(footprint, usage, quotas) };
  });
  const errors: ManifestError[] = [];
  for (const { cell, index, footprint, quotas, usage } of state) {
    for (const q of QUOTAS) {
      // account-concurrency reports the Lambda quota with the tenants that reserve the most
      if (q.key === 'lambdaConcurrentExecutions' || usage[q.key] <= quotas[q.key]) continue;
      const declared = effectiveQuota(fleet.data, index, q.key).declaredAt;
      const where = explicit ? `cell ${cell.name} (account ${cell.accountId}, ${cell.region ?? fleet.data.region})` : `the account (${fleet.data.region})`;
      const setPath = declared?.join('.') ?? (explicit ? `cells.${index}.quotas.${q.key}` : `quotas.${q.key}`);
      const cost = perTenantCost(q, footprint);
      const move = cost === undefined ? undefined : Math.ceil((usage[q.key] - quotas[q.key]) / cost);
      const withRoom = state.filter((o) => o.index !== index && o.room > 0).map((o) => `${o.cell.name} has room for ${o.room}`);
      const moveText =
        move === undefined
          ? undefined
          : `move ${move} tenant${move === 1 ? '' : 's'} to another cell with \`cell:\` in their files${withRoom.length > 0 ? ` (${withRoom.join(', ')})` : ' (add a cell to _fleet.yaml `cells`: no cell has room)'}`;
      const request = q.adjustable
        ? `request an increase of ${quotaCodeText(q)} to at least ${usage[q.key]} in ${explicit ? `account ${cell.accountId} ${cell.region ?? fleet.data.region}` : fleet.data.region} (Service Quotas) and set ${setPath}: ${usage[q.key]}`
        : undefined;
      errors.push(
        errorAt(fleet, declared ?? (explicit ? ['cells', index, 'name'] : []), declared !== undefined || explicit ? 'value' : 'key', {
          code: 'quota-exceeded',
          message:
            `${where} is full: its ${usageSubject(footprints, cell.name)}need ${usage[q.key]} ${q.unit} of "${q.name}" (${quotaCodeText(q)}; ${q.counts}), ` +
            `over the quota of ${quotas[q.key]}${q.adjustable ? '' : ', which AWS cannot raise'}`,
          got: String(quotas[q.key]),
          fix: [request, moveText].filter((x): x is string => x !== undefined).join(', or ') || `lower what the cell's tenants use of ${q.name}`,
        }),
      );
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------------
// Change against what is deployed (flota validate --base REF)
// ---------------------------------------------------------------------------------------------------------------------

/** What the transition rule needs of the deployed fleet: each tenant's connection budget. */
export type DeployedBudgets = ReadonlyMap<string, ConnectionBudgetModel>;

/**
 * The connection budget must hold WHILE a change rolls out, not only before and after it. `max_connections` is a static
 * parameter: a new value (from a new instance class) applies at the instance's next reboot, and the class change itself
 * waits for the maintenance window (applyImmediately: false). Lambda reserved concurrency and the event source's maximum
 * concurrency apply the moment Terraform updates them. So between the two, the NEW worst case runs against the OLD
 * max_connections; a change is safe only when that fits the old budget. If not, it must be deployed in two steps:
 * first the instance class (concurrency unchanged), then — after the reboot — the concurrency.
 */
export function checkConnectionTransitions(
  fleet: CheckedFile<FleetDefaults>,
  tenants: readonly CheckedFile<TenantManifest>[],
  deployed: DeployedBudgets,
): ManifestError[] {
  const errors: ManifestError[] = [];
  for (const t of tenants) {
    const before = deployed.get(t.data.id);
    const tier = fleet.data.tiers[t.data.tier];
    if (before === undefined || tier === undefined) continue; // a new tenant starts with its final max_connections
    const sizing = resolveSizing(tier, t.data);
    const after = connectionBudget(sizing);
    // Within the old budget, or no higher max_connections to wait for (then the budget rule itself reports it).
    if (after.worstCase <= before.budget || after.maxConnections <= before.maxConnections) continue;
    const field = ['ingest.maxConcurrency', 'api.reservedConcurrency', 'database.instanceClass'].find((f) => t.valueAt(split(f)) !== undefined) ?? 'tier';
    errors.push(
      errorAt(t, split(field), 'value', {
        code: 'connection-transition',
        message:
          `raises worst-case database connections from ${before.worstCase} to ${after.worstCase} at once (Lambda concurrency applies immediately), ` +
          `but max_connections stays ${before.maxConnections} (budget ${before.budget}) until the instance reboots into ${after.maxConnections}`,
        got: renderGot(t.valueAt(split(field))),
        fix:
          `deploy it in two steps: first change only database.instanceClass to ${sizing.database.instanceClass} (keep ingest.maxConcurrency ` +
          `${before.ingestMaxContainers} and api.reservedConcurrency ${before.apiMaxContainers}), merge and let the instance reboot ` +
          '(maintenance window, or `aws rds reboot-db-instance`), then raise the concurrency in a second change',
      }),
    );
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------------
// Contact secrets in AWS (flota validate --aws)
// ---------------------------------------------------------------------------------------------------------------------

/** One place the manifest names a contact secret. */
export interface ContactSecretReference {
  readonly secret: string;
  /** The tenant whose routing uses it; undefined for the fleet defaults in _fleet.yaml. */
  readonly tenantId?: string;
  readonly severity: 'page' | 'ticket';
  readonly file: CheckedFile<unknown>;
  readonly path: readonly string[];
}

const CONTACT_SECRET_FIELDS = [
  ['slack', 'webhookUrlSecret'],
  ['pagerduty', 'integrationKeySecret'],
] as const;

/** Every contact secret the fleet file and the tenant files name, where they name it. */
export function contactSecretReferences(fleet: CheckedFile<FleetDefaults>, tenants: readonly CheckedFile<TenantManifest>[]): ContactSecretReference[] {
  const references: ContactSecretReference[] = [];
  const collect = (file: CheckedFile<unknown>, alerts: Partial<Record<'page' | 'ticket', unknown>> | undefined, tenantId?: string) => {
    for (const severity of ['page', 'ticket'] as const) {
      const contact = alerts?.[severity] as Record<string, Record<string, unknown> | undefined> | undefined;
      for (const [kind, field] of CONTACT_SECRET_FIELDS) {
        const secret = contact?.[kind]?.[field];
        if (typeof secret === 'string') {
          references.push({ secret, severity, file, path: ['alerts', severity, kind, field], ...(tenantId === undefined ? {} : { tenantId }) });
        }
      }
    }
  };
  collect(fleet, fleet.data.alerts);
  for (const t of tenants) collect(t, t.data.alerts, t.data.id);
  return references;
}

/**
 * Reports each reference to a secret in `missing` at the field that names it, saying what it costs: a tenant's
 * alerts of that severity go to the fleet default contact until the secret exists (the observability stack still
 * plans); a fleet default's missing secret fails the observability plan (it is the fallback).
 */
export function checkContactSecrets(
  fleet: CheckedFile<FleetDefaults>,
  tenants: readonly CheckedFile<TenantManifest>[],
  missing: ReadonlySet<string>,
): ManifestError[] {
  return contactSecretReferences(fleet, tenants)
    .filter((r) => missing.has(r.secret))
    .map((r) =>
      errorAt(r.file, r.path, 'value', {
        code: 'missing-secret',
        message:
          `names a secret that does not exist in Secrets Manager (${fleet.data.region}): ` +
          (r.tenantId === undefined
            ? `the fleet-default ${r.severity} contact has no fallback, so the observability stack cannot plan`
            : `until it does, tenant ${r.tenantId}'s ${r.severity} alerts go to the fleet-default ${r.severity} contact`),
        got: q(r.secret),
        fix: `create it (aws secretsmanager create-secret --region ${fleet.data.region} --name ${secretLookupName(r.secret)} --secret-string '<value>') or name the secret that exists`,
      }),
    );
}

function usageSubject(footprints: readonly TenantFootprint[], cell: string): string {
  const n = footprints.filter((f) => f.cell === cell).length;
  return `${n} tenant${n === 1 ? '' : 's'} `;
}

