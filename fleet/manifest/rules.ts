/**
 * The validation rules, as a table (stable code → what it checks), and the checks that need more than one field or more
 * than one file. Shape checks (types, ranges, enums, unknown keys) come from the zod schema and are mapped to the
 * schema-level codes by the loader; everything here runs only on files that passed the schema.
 *
 * Rules that need derived values (AWS names, the connection budget, account concurrency) live with the model that
 * derives them, in fleet/model/rules.ts; their codes are listed here all the same, since codes are the user's API.
 *
 * Each rule has a failing fixture in fixtures/bad/<code>/ and a test asserting its exact message.
 */
import { fieldPath, type ManifestError } from './errors';
import type { FleetDefaults, TenantManifest } from './schema';

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
  { code: 'yaml-resolve', title: 'Valid YAML that is not plain data: an alias without an earlier anchor or inside its own anchor, an unknown tag, a list or mapping as a key, too many aliases.' },
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
  { code: 'unknown-cell', title: 'A tenant cell that _fleet.yaml `cells` does not define.' },
  { code: 'name-too-long', title: 'An id (with the prefix) that makes a derived AWS name exceed its length limit (Lambda 64, IAM role 64, RDS 63, SQS 80, …).' },
  { code: 'name-pattern', title: 'A derived AWS name that breaks its pattern (e.g. RDS identifiers must start with a letter and contain no "--").' },
  { code: 'missing-tag', title: 'A tenant without a tag _fleet.yaml requires (cost-centre by default).' },
  { code: 'connection-budget', title: 'Worst-case Lambda connections exceed 80 % of the database max_connections.' },
  { code: 'quota-exceeded', title: "A cell whose tenants need more of an account quota (RDS instances, parameter groups, REST APIs, usage plans, IAM roles, ENIs, …) than `quotas` declares: says which cell is full and which increase to request or where to move tenants." },
  { code: 'account-concurrency', title: "The fleet's reserved Lambda concurrency (ingest + API + migrate of every tenant) leaves fewer than the 100 unreserved executions AWS requires." },
  { code: 'missing-secret', title: 'Only with `flota validate --aws`: an alert contact names a Secrets Manager secret that does not exist (a tenant falls back to the fleet default contact; a fleet default has no fallback).' },
  { code: 'connection-transition', title: 'A change (checked with `flota validate --base REF`) that raises Lambda concurrency, which applies at once, beyond the budget of the max_connections still in force until the database reboots.' },
  { code: 'batch-window', title: 'An SQS batch size above 10 without a batching window of at least 1 s.' },
  { code: 'storage-ceiling', title: 'A storage autoscaling ceiling below the allocated storage.' },
  { code: 'statement-timeout', title: "A function timeout that does not cover its database wait (connect + statement timeout + 1 s), so a slow query would be an invisible Lambda timeout instead of a counted error." },
  { code: 'dead-letter-window', title: 'An SQS redrive policy that dead-letters valid records during a database outage shorter than the 2 h outage budget ((maxReceiveCount − 1) × visibility timeout).' },
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

export function errorAt<T>(f: CheckedFile<T>, path: readonly (string | number)[], at: 'key' | 'value', body: ErrorBody): ManifestError {
  const { line, col } = f.locate(path, at);
  return { file: f.file, line, col, path: fieldPath(path), ...body };
}

export const q = (s: string | number) => JSON.stringify(s);

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

/** Cells: names and accounts are unique (one cell per account), and the deploy role lives in the cell's account. */
export function checkCells(fleet: CheckedFile<FleetDefaults>): ManifestError[] {
  const errors: ManifestError[] = [];
  const cells = fleet.data.cells ?? [];
  const firstName = new Map<string, number>();
  const firstAccount = new Map<string, number>();
  cells.forEach((cell, i) => {
    const name = firstName.get(cell.name);
    if (name !== undefined) {
      errors.push(
        errorAt(fleet, ['cells', i, 'name'], 'value', {
          code: 'duplicate-entry',
          message: `is already the name of cells.${name}`,
          got: q(cell.name),
          fix: 'give every cell its own name',
        }),
      );
    } else firstName.set(cell.name, i);
    const account = firstAccount.get(cell.accountId);
    if (account !== undefined) {
      errors.push(
        errorAt(fleet, ['cells', i, 'accountId'], 'value', {
          code: 'duplicate-entry',
          message: `is already the account of cells.${account} (${fleet.data.cells![account]!.name}); a cell is one account, and its platform IAM names are per account`,
          got: q(cell.accountId),
          fix: 'use another AWS account for this cell (e.g. a new member account of your AWS Organization)',
        }),
      );
    } else firstAccount.set(cell.accountId, i);
    if (cell.region !== undefined && cell.region !== fleet.data.region) {
      errors.push(
        errorAt(fleet, ['cells', i, 'region'], 'value', {
          code: 'invalid-format',
          message: `must be the fleet's region ${fleet.data.region}: CloudWatch cross-account observability links accounts only within one region, and the dashboards read one region`,
          got: q(cell.region),
          fix: `set region: ${fleet.data.region} or remove it (run one fleet per region)`,
        }),
      );
    }
    const roleAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(cell.deployRoleArn)?.[1];
    if (roleAccount !== undefined && roleAccount !== cell.accountId) {
      errors.push(
        errorAt(fleet, ['cells', i, 'deployRoleArn'], 'value', {
          code: 'invalid-format',
          message: `names a role in account ${roleAccount}, not in the cell's account ${cell.accountId}`,
          got: q(cell.deployRoleArn),
          fix: `use the deploy role in account ${cell.accountId} (arn:aws:iam::${cell.accountId}:role/<name>)`,
        }),
      );
    }
  });
  return errors;
}

/** Rules over every tenant that passed the schema and need the fleet defaults: required tags, a known tier and cell. */
export function checkTenants(fleet: FleetDefaults, tenants: readonly CheckedFile<TenantManifest>[]): ManifestError[] {
  const errors: ManifestError[] = [];

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

    if (fleet.tiers[data.tier] === undefined) {
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
    }

    if (data.cell !== undefined) {
      const cells = (fleet.cells ?? []).map((c) => c.name);
      if (!cells.includes(data.cell)) {
        const guess = didYouMean(data.cell, cells);
        errors.push(
          errorAt(t, ['cell'], 'value', {
            code: 'unknown-cell',
            message: cells.length === 0 ? '_fleet.yaml declares no cells' : 'is not a cell defined in _fleet.yaml',
            got: q(data.cell),
            fix:
              cells.length === 0
                ? 'remove `cell` (the fleet has one implicit cell) or declare `cells` in _fleet.yaml'
                : `${guess !== undefined ? `did you mean ${q(guess)}? ` : ''}use one of ${cells.join(', ')}`,
          }),
        );
      }
    }
  }
  return errors;
}

