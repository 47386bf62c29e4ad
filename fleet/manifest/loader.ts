/**
 * Reads a tenants directory: every `*.yaml` / `*.yml` is parsed keeping source positions, validated with the zod schema
 * and then with the manifest's own cross-file rules. What comes back is every error found (never just the first), each
 * pointing at the offending key or value, plus the files that passed, on which fleet/index.ts runs the rules that need
 * derived values (fleet/model/rules.ts) before building the model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareErrors, type ManifestError } from './errors';
import { checkCells, checkIdentities, checkTenants, type CheckedFile, type RuleCode, type TenantIdentity } from './rules';
import { FleetSchema, TenantSchema, type FleetDefaults, type Manifest, type TenantManifest, type TenantSource } from './schema';
import { validate } from './schema-errors';
import { errorCode, parseFile, type ManifestFileSystem } from './yaml-source';

export type { ManifestFileSystem } from './yaml-source';

export const FLEET_FILE = '_fleet.yaml';

const nodeFileSystem: ManifestFileSystem = {
  readdir: (dir) => fs.readdirSync(dir),
  readFile: (file) => fs.readFileSync(file, 'utf8'),
};

export interface LoadOptions {
  readonly fileSystem?: ManifestFileSystem;
  /** Error paths are printed relative to this directory. Default: process.cwd(). */
  readonly cwd?: string;
}

export type LoadResult =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly errors: readonly ManifestError[] };

/** A tenants directory as read: the errors so far and the files that passed the schema. */
export interface ManifestFiles {
  readonly errors: readonly ManifestError[];
  /** The fleet defaults file, when it exists and passed the schema. */
  readonly fleet?: CheckedFile<FleetDefaults>;
  /** Tenant files that passed the schema, in file name order. */
  readonly tenants: readonly CheckedFile<TenantManifest>[];
}

/** Reads and validates `dir` as far as the manifest layer can. Never throws for a bad manifest: problems come back as `errors`. */
export function readManifestFiles(dir: string, options: LoadOptions = {}): ManifestFiles {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const cwd = options.cwd ?? process.cwd();
  const display = (p: string) => path.relative(cwd, path.resolve(cwd, p)) || '.';
  const errors: ManifestError[] = [];
  const dirError = (code: RuleCode, message: string, got: string, fix: string, file = display(dir)) =>
    errors.push({ code, file, line: 1, col: 1, path: '(file)', message, got, fix });

  let entries: string[];
  try {
    entries = fileSystem.readdir(path.resolve(cwd, dir));
  } catch (error) {
    const code = errorCode(error);
    dirError(
      'unreadable-file',
      code === 'ENOENT' ? 'tenants directory does not exist' : 'cannot read the tenants directory',
      code,
      code === 'ENOENT' ? 'pass --tenants <dir> or create the directory' : 'check the directory permissions',
    );
    return { errors, tenants: [] };
  }

  const yamlFiles = entries.filter((name) => /\.ya?ml$/.test(name)).sort();
  const tenantFiles = yamlFiles.filter((name) => name !== FLEET_FILE);
  if (!yamlFiles.includes(FLEET_FILE)) {
    dirError(
      'missing-fleet-file',
      'fleet defaults file is missing',
      'no _fleet.yaml',
      'create _fleet.yaml (region, prefix, state, tiers, slo, alerts); see tenants/REFERENCE.md',
      display(path.join(dir, FLEET_FILE)),
    );
  }
  if (tenantFiles.length === 0) {
    dirError(
      'empty-directory',
      'no tenant files',
      entries.length === 0 ? 'an empty directory' : `only ${yamlFiles.length === 0 ? 'non-YAML files' : FLEET_FILE}`,
      'add one <tenant-id>.yaml per tenant (see tenants/REFERENCE.md)',
    );
  }

  let fleet: CheckedFile<FleetDefaults> | undefined;
  if (yamlFiles.includes(FLEET_FILE)) {
    const parsed = parseFile(fileSystem, path.resolve(cwd, dir, FLEET_FILE), display(path.join(dir, FLEET_FILE)), errors);
    if (parsed !== undefined) fleet = validate(parsed, FleetSchema, errors);
  }

  const tenants: CheckedFile<TenantManifest>[] = [];
  const identities: TenantIdentity[] = [];
  for (const name of tenantFiles) {
    const parsed = parseFile(fileSystem, path.resolve(cwd, dir, name), display(path.join(dir, name)), errors);
    if (parsed === undefined) continue;
    const id = parsed.valueAt(['id']);
    if (typeof id === 'string') identities.push({ file: parsed.file, fileId: name.replace(/\.ya?ml$/, ''), id, locate: parsed.locate });
    const checked = validate(parsed, TenantSchema, errors);
    if (checked !== undefined) tenants.push(checked);
  }

  errors.push(...checkIdentities(identities));
  if (fleet !== undefined) errors.push(...checkCells(fleet), ...checkTenants(fleet.data, tenants));
  return fleet === undefined ? { errors, tenants } : { errors, fleet, tenants };
}

/** The validated manifest, or every error sorted by file and position, once every rule has run over `files`. */
export function manifestResult(files: ManifestFiles, moreErrors: readonly ManifestError[] = []): LoadResult {
  const errors = [...files.errors, ...moreErrors];
  const { fleet, tenants } = files;
  if (errors.length > 0 || fleet === undefined) return { ok: false, errors: errors.sort(compareErrors) };
  const sources: TenantSource[] = tenants
    .map((t) => ({ file: t.file, tenant: t.data }))
    .sort((a, b) => (a.tenant.id < b.tenant.id ? -1 : a.tenant.id > b.tenant.id ? 1 : 0));
  return { ok: true, manifest: { fleetFile: fleet.file, fleet: fleet.data, tenants: sources } };
}

