/**
 * `flota tenant add <id> --tier T --team X --email Y [--cost-centre C] [--tag K=V]... [--name N] [--tenants DIR]`
 *   writes tenants/<id>.yaml (schema line and comments included), validates the whole manifest with it, and prints the
 *   next steps. An invalid result is removed again: nothing half-written stays behind.
 * `flota tenant show <id> [--tenants DIR] [--json]` prints the tenant's resolved settings after defaults: tier, sizing,
 *   connection budget, SLOs, alert routing and every derived AWS name.
 * Exit code: 0 ok, 1 invalid manifest / unknown tenant / file exists, 2 usage error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TENANT_ID_PATTERN, TENANT_ID_RULE_TEXT } from '../../contract/tenant-id';
import { loadFleet, loadManifest } from '../../fleet';
import { formatError, ManifestValidationError } from '../../fleet/manifest';
import { FLEET_FILE } from '../../fleet/manifest/loader';
import { displayNameOf, renderTenantFile } from '../../fleet/manifest/scaffold';
import type { FleetModel, TenantModel } from '../../fleet/model/types';
import { parseCommandArgs, UsageError } from '../lib/args';
import { printJson, processIo, runCommand, type Io } from '../lib/output';
import { tenantSummary, type TenantSummary } from '../lib/tenant-summary';

const USAGE = `usage: flota tenant add <id> --tier TIER --team TEAM --email EMAIL [--cost-centre CC] [--tag KEY=VALUE]...
                        [--name NAME] [--tenants DIR]
       flota tenant show <id> [--tenants DIR] [--json]

  add    write tenants/<id>.yaml, validate the manifest with it, print the next steps (removed again if invalid)
  show   the tenant's settings after tier and fleet defaults, its routing and its derived AWS names

  --tenants DIR   manifest directory (default: tenants)
  --json          (show) machine-readable output
`;

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'add') return add(rest, io);
    if (sub === 'show') return show(rest, io);
    throw new UsageError(`unknown subcommand '${sub}' (use add or show)`);
  });
}

function tenantIdArgument(positionals: readonly string[]): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the tenant id' : `one tenant id, not ${positionals.length}`);
  const id = positionals[0]!;
  if (!TENANT_ID_PATTERN.test(id)) throw new UsageError(`'${id}' is not a tenant id: use ${TENANT_ID_RULE_TEXT}`);
  return id;
}

async function add(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    tier: { type: 'string' },
    team: { type: 'string' },
    email: { type: 'string' },
    'cost-centre': { type: 'string' },
    tag: { type: 'string', multiple: true },
    name: { type: 'string' },
    tenants: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const id = tenantIdArgument(positionals);
  const missing = (['tier', 'team', 'email'] as const).filter((k) => values[k] === undefined).map((k) => `--${k}`);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')}`);
  const tags: Record<string, string> = {};
  if (values['cost-centre'] !== undefined) tags['cost-centre'] = values['cost-centre'];
  for (const entry of (values.tag as unknown as string[] | undefined) ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag needs KEY=VALUE (got '${entry}')`);
    tags[entry.slice(0, eq)] = entry.slice(eq + 1);
  }

  const dir = values.tenants ?? 'tenants';
  const file = path.join(dir, `${id}.yaml`);
  for (const existing of [file, path.join(dir, `${id}.yml`)]) {
    if (fs.existsSync(existing)) {
      io.stderr(`error: ${existing} already exists; edit it, or choose another id (ids are permanent)\n`);
      return 1;
    }
  }
  if (!fs.existsSync(path.join(dir, FLEET_FILE))) {
    io.stderr(`error: ${path.join(dir, FLEET_FILE)} not found; run from the repository root or pass --tenants DIR\n`);
    return 1;
  }

  const tiers = tierNames(dir);
  const text = renderTenantFile({ id, name: values.name ?? displayNameOf(id), tier: values.tier!, team: values.team!, email: values.email!, tags, tiers });
  // Written under a temporary name that the loader skips (not *.yaml), then renamed: a crash leaves no tenant file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { flag: 'wx' });
  fs.renameSync(temporary, file);
  const result = loadManifest(dir);
  if (!result.ok) {
    fs.rmSync(file, { force: true });
    const mine = result.errors.filter((e) => path.resolve(e.file) === path.resolve(file));
    const shown = mine.length > 0 ? mine : result.errors;
    io.stdout(shown.map((e) => `${formatError(e)}\n`).join(''));
    const tagHint = shown.some((e) => e.path.startsWith('tags')) ? ' (tags: pass --cost-centre CC and/or --tag KEY=VALUE for each tag _fleet.yaml requires)' : '';
    io.stderr(`✗ not written: ${file} would make the manifest invalid (${shown.length} error${shown.length === 1 ? '' : 's'} above; fix the flags and run again)${tagHint}\n`);
    return 1;
  }
  io.stdout(
    `✓ wrote ${file} (${result.manifest.tenants.length} tenants valid)\n\n` +
      'next steps:\n' +
      `  1. review ${file}: override sizing, SLOs, alert contacts or records only where the tier's defaults do not fit\n` +
      `  2. npx flota tenant show ${id}     # the settings it resolves to\n` +
      `  3. git add ${file} && git commit   # one file: dashboards, alerts and routing follow from it\n` +
      `  4. open a PR: CI plans tenant-${id} and observability; merging deploys them and smoke-tests ${id}\n`,
  );
  return 0;
}

function tierNames(dir: string): string[] {
  // The tier list for the comment only; validation below is the authority.
  const text = fs.readFileSync(path.join(dir, FLEET_FILE), 'utf8');
  const block = /^tiers:\n((?:[ ]+.*\n|\n)*)/m.exec(text)?.[1] ?? '';
  const names = [...block.matchAll(/^ {2}([a-z][a-z0-9-]*):/gm)].map((m) => m[1]!);
  return names.length > 0 ? names : ['(see _fleet.yaml)'];
}

async function show(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { tenants: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const id = tenantIdArgument(positionals);
  let fleet: FleetModel;
  try {
    fleet = loadFleet(values.tenants ?? 'tenants');
  } catch (error) {
    if (!(error instanceof ManifestValidationError)) throw error;
    io.stdout(error.errors.map((e) => `${formatError(e)}\n`).join(''));
    io.stderr(`✗ the manifest is invalid (${error.errors.length} error${error.errors.length === 1 ? '' : 's'}); run npx flota validate\n`);
    return 1;
  }
  const tenant: TenantModel | undefined = fleet.tenants.find((t) => t.id === id);
  if (tenant === undefined) {
    io.stderr(`error: no tenant '${id}' in ${values.tenants ?? 'tenants'} (add it with: npx flota tenant add ${id} --tier … --team … --email …)\n`);
    return 1;
  }
  const summary = tenantSummary(fleet, tenant);
  if (values.json) printJson(io, summary);
  else io.stdout(renderSummary(summary));
  return 0;
}

function renderSummary(s: TenantSummary): string {
  const lines: string[] = [];
  const section = (title: string, rows: Readonly<Record<string, unknown>>): void => {
    lines.push(`${title}:`);
    const width = Math.max(...Object.keys(rows).map((k) => k.length));
    for (const [key, value] of Object.entries(rows)) lines.push(`  ${key.padEnd(width)}  ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    lines.push('');
  };
  section(`${s.id} (${s.name})`, { file: s.file, stack: s.stack, tier: s.tier, wave: s.wave, owner: `${s.owner.team} <${s.owner.email}>` });
  section('database', s.database);
  section('ingest', s.ingest);
  section('api', s.api);
  section('connection budget', s.connectionBudget);
  section('slo', s.slo);
  section('alerts', s.alerts);
  section('records', s.records);
  section('aws names', s.names);
  section('tags', s.tags);
  return `${lines.join('\n').trimEnd()}\n`;
}
