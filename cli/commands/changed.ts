/**
 * `flota changed --base <ref> [--head <ref>]`: the stacks a change affects, as JSON for a CI matrix.
 * Classification rules live in cli/lib/changes.ts; this file is the git + I/O shell around them.
 */
import { appendFileSync } from 'node:fs';
import { parseCommandArgs, UsageError } from '../lib/args';
import { classifyChanges, unacknowledgedRemovals, type ChangeSet } from '../lib/changes';
import { MAX_DEPLOY_WAVES } from '../../fleet/manifest/schema';
import { loadFleetIndexAt, loadManifestFleetIndex, type FleetLoader } from '../lib/fleet-index';
import { changedFiles, commitMessages } from '../lib/git';
import { printJson, processIo, runCommand, type Io } from '../lib/output';

export const HELP = `usage: flota changed --base <ref> [--head <ref>] [--all] [--json] [--github-output <file>]

Prints the stacks affected by the commits in <base>...<head> (default head: HEAD), read from git, never from
uncommitted edits: tenants/<id>.yaml -> tenant-<id> + observability; fleet defaults, stacks/, functions/, lockfile
-> every stack; dashboards/ -> observability; docs and CI config -> nothing. Deleted tenant files are listed under
"removed" and are never deployed or destroyed by CI (see docs/delivery.md).

options:
  --base <ref>            the commit the change is compared with (a PR's base branch, the previous main head)
  --head <ref>            the change (default HEAD); the manifest at this ref gives the deploy waves
  --all                   every stack (first deploy, manual full deploy); --base may then be omitted
  --json                  print the change set as JSON
  --github-output <file>  also append step outputs (changes, stacks, tenant_stacks, wave_1..wave_${MAX_DEPLOY_WAVES}, platform,
                          platform_stacks, cells (per-cell deploy plan), observability, observability_stacks, removed,
                          unacknowledged_removals, any) to <file>, i.e. "$GITHUB_OUTPUT"
  --cwd <dir>             repository root (default: current directory)
`;

export interface ChangedResult extends ChangeSet {
  readonly base: string | null;
  readonly head: string;
  /** Removed stacks whose removal no commit acknowledged with a `Flota-Decommissioned: <stack>` trailer. */
  readonly unacknowledgedRemovals: readonly string[];
}

export function computeChanged(options: {
  cwd: string;
  base?: string;
  head: string;
  all: boolean;
  load: FleetLoader;
}): ChangedResult {
  const fleet = loadFleetIndexAt(options.cwd, options.head, options.load);
  const files = options.base === undefined ? [] : changedFiles(options.cwd, options.base, options.head);
  const changes = classifyChanges(files, fleet, { maxWaves: MAX_DEPLOY_WAVES, all: options.all });
  const messages = options.base === undefined ? [] : commitMessages(options.cwd, options.base, options.head);
  return {
    base: options.base ?? null,
    head: options.head,
    ...changes,
    unacknowledgedRemovals: unacknowledgedRemovals(changes.removed, messages),
  };
}

/** `name=value` lines for $GITHUB_OUTPUT; values are single-line JSON. */
export function githubOutputLines(result: ChangedResult): string {
  const outputs: Record<string, unknown> = {
    changes: result,
    stacks: result.stacks,
    tenant_stacks: result.tenantStacks,
    platform: result.platform,
    observability: result.observability,
    // Arrays (possibly empty), so every deploy job takes its stack list from this job the same way.
    platform_stacks: result.platformStacks,
    // The deploy plan cell by cell ({ cell, platform_stacks, wave_1.. }): deploy.yml runs one cell after the other.
    cells: result.cells,
    observability_stacks: result.observability ? result.stacks.slice(-1) : [],
    removed: result.removed,
    unacknowledged_removals: result.unacknowledgedRemovals,
    any: result.stacks.length > 0,
  };
  for (let wave = 1; wave <= MAX_DEPLOY_WAVES; wave += 1) outputs[`wave_${wave}`] = result.waves[String(wave)] ?? [];
  return Object.entries(outputs)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}\n`)
    .join('');
}

function summary(result: ChangedResult): string {
  const lines = [`${result.stacks.length} stack(s) affected${result.all ? ' (fleet-wide change: every stack)' : ''}`];
  if (result.all) {
    // Every stack shares the fleet-wide causes: list them once, not once per stack.
    const causes = result.reasons[result.stacks[0] as string] ?? [];
    lines.push(`  because of: ${causes.slice(0, 10).join(', ')}${causes.length > 10 ? `, … ${causes.length - 10} more` : ''}`);
  } else {
    for (const stack of result.stacks) lines.push(`  ${stack}  <- ${(result.reasons[stack] ?? []).join(', ')}`);
  }
  for (let wave = 1; wave <= MAX_DEPLOY_WAVES; wave += 1) {
    const stacks = result.waves[String(wave)] ?? [];
    if (stacks.length > 0) lines.push(`wave ${wave}: ${stacks.join(' ')}`);
  }
  for (const stack of result.removed) {
    const acknowledged = !result.unacknowledgedRemovals.includes(stack);
    lines.push(`removed: ${stack} (${acknowledged ? 'decommission acknowledged' : 'NOT acknowledged: see docs/delivery.md, "Decommissioning a tenant"'})`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], io: Io = processIo, load: FleetLoader = loadManifestFleetIndex): Promise<number> {
  return runCommand(io, HELP, async () => {
    const { values } = parseCommandArgs(
      args,
      {
        base: { type: 'string' },
        head: { type: 'string' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        'github-output': { type: 'string' },
        cwd: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      { allowPositionals: false },
    );
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.base === undefined && values.all !== true) throw new UsageError('--base <ref> is required (or --all)');
    const result = computeChanged({
      cwd: values.cwd ?? process.cwd(),
      base: values.base,
      head: values.head ?? 'HEAD',
      all: values.all === true,
      load,
    });
    if (values['github-output'] !== undefined) appendFileSync(values['github-output'], githubOutputLines(result));
    if (values.json) printJson(io, result);
    else io.stdout(summary(result));
    return 0;
  });
}
