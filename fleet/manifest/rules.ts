/**
 * The validation rules, as a table (stable code → what it checks), and the checks that need more than one field or more
 * than one file. Shape checks (types, ranges, enums, unknown keys) come from the zod schema and are mapped to the
 * schema-level codes by the loader; everything here runs only on files that passed the schema.
 *
 * Each rule has a failing fixture in fixtures/bad/<code>/ and a test asserting its exact message.
 */
import type { ManifestError } from './errors';
import type { FleetDefaults, TenantManifest, TierManifest } from './schema';
import { checkTenantNames, deriveTenantNames, maxTenantIdLength } from '../model/names';
import { connectionBudget, resolveSizing, smallestClassFitting, type ResolvedSizing } from '../model/sizing';

export interface RuleDefinition {
  readonly code: string;
  /** One line: what the rule rejects. */
  readonly title: string;
}

/** Every rule, in the order `flota validate` documents them. Codes are API: never rename one. */
export const RULES = [
  { code: 'unreadable-file', title: 'A manifest file or the tenants directory cannot be read (permissions, a directory named *.yaml, missing directory).' },
  { code: 'missing-fleet-file', title: 'The tenants directory has no _fleet.yaml (fleet defaults).' },
  { code: 'empty-directory', title: 'The tenants directory has no tenant file.' },
  { code: 'yaml-syntax', title: 'The file is not valid YAML (bad indentation, unclosed quote, duplicate key, …).' },
  { code: 'unknown-key', title: 'A key the schema does not define (typo → "did you mean").' },
  { code: 'missing-field', title: 'A required field is absent.' },
  { code: 'wrong-type', title: 'A value of the wrong type (e.g. a quoted number, a list where a mapping belongs).' },
  { code: 'invalid-enum', title: 'A value outside its allowed set (instance class, log retention, Grafana version, …).' },
  { code: 'out-of-range', title: 'A number or length outside its range (SLO targets 50..99.999, batch size 1..10000, …).' },
  { code: 'invalid-format', title: 'A string that does not match its format (id, email, ARN, region, CIDR, secret name, tag key).' },
  { code: 'duplicate-entry', title: 'A list that names the same entry twice (records.types).' },
  { code: 'invalid-contact', title: 'An alert contact that names zero or several destinations instead of exactly one.' },
  { code: 'secret-literal', title: 'A *Secret field holding what looks like the secret itself (webhook URL, 32-hex key, token) instead of its Secrets Manager name.' },
  { code: 'file-name-mismatch', title: 'A tenant id that differs from its file name.' },
  { code: 'duplicate-id', title: 'Two files declaring the same tenant id.' },
  { code: 'unknown-tier', title: 'A tenant tier that _fleet.yaml does not define.' },
  { code: 'name-too-long', title: 'An id (with the prefix) that makes a derived AWS name exceed its length limit (Lambda 64, IAM role 64, RDS 63, SQS 80, …).' },
  { code: 'name-pattern', title: 'A derived AWS name that breaks its pattern (e.g. RDS identifiers must start with a letter and contain no "--").' },
  { code: 'missing-tag', title: 'A tenant without a tag _fleet.yaml requires (cost-centre by default).' },
  { code: 'connection-budget', title: 'Worst-case Lambda connections exceed 80 % of the database max_connections.' },
  { code: 'account-concurrency', title: "The fleet's reserved Lambda concurrency (API + migrate of every tenant) leaves fewer than the 100 unreserved executions AWS requires." },
  { code: 'batch-window', title: 'An SQS batch size above 10 without a batching window of at least 1 s.' },
  { code: 'storage-ceiling', title: 'A storage autoscaling ceiling below the allocated storage.' },
] as const satisfies readonly RuleDefinition[];

export type RuleCode = (typeof RULES)[number]['code'];

/** Where a field sits in its file; `key` points at the key, `value` at the value. */
export type Locate = (path: readonly (string | number)[], at: 'key' | 'value') => { line: number; col: number };

export interface CheckedFile<T> {
  readonly file: string;
  readonly data: T;
  readonly locate: Locate;
  /** The raw value at a path, for "got". */
  readonly valueAt: (path: readonly (string | number)[]) => unknown;
}

type ErrorBody = Pick<ManifestError, 'code' | 'message' | 'got' | 'fix'>;

function errorAt<T>(f: CheckedFile<T>, path: readonly (string | number)[], at: 'key' | 'value', body: ErrorBody): ManifestError {
  const { line, col } = f.locate(path, at);
  return { file: f.file, line, col, path: path.length === 0 ? '(file)' : path.join('.'), ...body };
}

const q = (s: string | number) => JSON.stringify(s);

/** Case-insensitive Levenshtein distance (for "did you mean"). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const row = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (s[i - 1] === t[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[t.length]!;
}

/** The closest candidate, if close enough to be a plausible typo. */
export function didYouMean(given: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(given, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(given.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Sizing rules, shared by the fleet tiers and tenant overrides
// ---------------------------------------------------------------------------------------------------------------------

interface SizingProblem {
  readonly code: 'connection-budget' | 'batch-window' | 'storage-ceiling';
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
        `(80 % of max_connections ${b.maxConnections} on ${sizing.database.instanceClass})`,
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
  return problems;
}

const split = (field: string) => field.split('.');

// ---------------------------------------------------------------------------------------------------------------------
// Fleet file
// ---------------------------------------------------------------------------------------------------------------------

export function checkFleet(fleet: CheckedFile<FleetDefaults>): ManifestError[] {
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

/** A tenant file's claimed identity, checked even when the rest of the file fails the schema. */
export interface TenantIdentity {
  readonly file: string;
  /** File name without extension. */
  readonly fileId: string;
  /** The `id` value, when it is a string. */
  readonly id: string;
  readonly locate: Locate;
}

/** file name = id, and no id declared twice. Runs on every parsed tenant file (schema-valid or not). */
export function checkIdentities(tenants: readonly TenantIdentity[]): ManifestError[] {
  const errors: ManifestError[] = [];
  const firstFileOfId = new Map<string, string>();
  // A file whose name matches its id owns that id; copies are reported against the other files.
  const ownersFirst = [...tenants].sort((a, b) => Number(a.id !== a.fileId) - Number(b.id !== b.fileId) || (a.file < b.file ? -1 : 1));
  for (const t of ownersFirst) {
    const self = { file: t.file, data: undefined, locate: t.locate, valueAt: () => t.id };
    if (t.id !== t.fileId) {
      errors.push(
        errorAt(self, ['id'], 'value', {
          code: 'file-name-mismatch',
          message: `does not match the file name ${q(t.file.split(/[\\/]/).pop()!)}`,
          got: q(t.id),
          fix: `rename the file to ${t.id}.yaml or set id: ${t.fileId} (ids are immutable once deployed)`,
        }),
      );
    }
    const first = firstFileOfId.get(t.id);
    if (first !== undefined) {
      errors.push(
        errorAt(self, ['id'], 'value', {
          code: 'duplicate-id',
          message: `is already used by ${first}`,
          got: q(t.id),
          fix: 'give each tenant its own id (and file); delete the copy if it is one',
        }),
      );
    } else {
      firstFileOfId.set(t.id, t.file);
    }
  }
  return errors;
}

/** Rules over every tenant that passed the schema and need the fleet defaults (tags, names, tier, sizing). */
export function checkTenants(fleet: FleetDefaults, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const errors: ManifestError[] = [];
  const maxId = maxTenantIdLength(fleet.prefix, fleet.environment);

  for (const t of tenants) {
    const { data } = t;

    for (const key of fleet.requiredTenantTags) {
      if (data.tags[key] === undefined) {
        errors.push(
          errorAt(t, ['tags'], 'key', {
            code: 'missing-tag',
            message: `required tag ${q(key)} is missing`,
            got: Object.keys(data.tags).length === 0 ? 'no tags' : `tags ${Object.keys(data.tags).map(q).join(', ')}`,
            fix: `add \`${key}: <value>\` under tags (_fleet.yaml requiredTenantTags)`,
          }),
        );
      }
    }

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
    if (tier === undefined) {
      const names = Object.keys(fleet.tiers).sort();
      const guess = didYouMean(data.tier, names);
      errors.push(
        errorAt(t, ['tier'], 'value', {
          code: 'unknown-tier',
          message: 'is not a tier defined in _fleet.yaml',
          got: q(data.tier),
          fix: `${guess !== undefined ? `did you mean ${q(guess)}? ` : ''}use one of ${names.join(', ')}`,
        }),
      );
      continue;
    }

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

/** AWS rejects reserved concurrency that leaves fewer than this many executions unreserved in the account and region. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/** Reserved concurrency summed over the fleet must fit the account quota (else deploying the last tenants fails). */
export function checkAccountConcurrency(fleet: CheckedFile<FleetDefaults>, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const reserved = tenants
    .filter((t) => fleet.data.tiers[t.data.tier] !== undefined)
    .map((t) => ({ id: t.data.id, reserved: resolveSizing(fleet.data.tiers[t.data.tier]!, t.data).api.reservedConcurrency + 1 }));
  const total = reserved.reduce((sum, r) => sum + r.reserved, 0);
  const available = fleet.data.lambdaConcurrencyLimit - UNRESERVED_CONCURRENCY_MINIMUM;
  if (total <= available) return [];
  const largest = [...reserved]
    .sort((a, b) => b.reserved - a.reserved || (a.id < b.id ? -1 : 1))
    .slice(0, 3)
    .map((r) => `${r.id} ${r.reserved - 1}`);
  const declared = fleet.valueAt(['lambdaConcurrencyLimit']) !== undefined;
  return [
    errorAt(fleet, declared ? ['lambdaConcurrencyLimit'] : [], declared ? 'value' : 'key', {
      code: 'account-concurrency',
      message:
        `the fleet reserves ${total} concurrent executions (API reserved concurrency + 1 migrate, ${reserved.length} tenants), ` +
        `more than the ${available} a quota of ${fleet.data.lambdaConcurrencyLimit} leaves after the ${UNRESERVED_CONCURRENCY_MINIMUM} AWS keeps unreserved`,
      got: String(fleet.data.lambdaConcurrencyLimit),
      fix: `raise the Lambda concurrent-executions quota (Service Quotas) to at least ${total + UNRESERVED_CONCURRENCY_MINIMUM} and set lambdaConcurrencyLimit, or lower api.reservedConcurrency (largest: ${largest.join(', ')})`,
    }),
  ];
}
