/**
 * Which stacks a change affects: a pure function from the changed files and the fleet (at the change's head) to the
 * stacks CI must diff on a pull request and deploy on merge.
 *
 * Rules, first match wins (unknown paths fall through to "all stacks": when in doubt, a reviewer should see too
 * much rather than too little):
 *
 * | path                                              | affects                                    |
 * |---------------------------------------------------|--------------------------------------------|
 * | `tenants/<id>.yaml` added or modified              | `tenant-<id>` and `observability`          |
 * | `tenants/<id>.yaml` deleted (id gone at head)      | `observability`; `tenant-<id>` → `removed` |
 * | `tenants/_*.yaml` (fleet defaults)                 | every stack                                |
 * | `tenants/*.schema.json`, `tenants/*.md`            | nothing (generated from fleet/manifest)   |
 * | `dashboards/generated/**` (golden of a fixture fleet) | nothing                                  |
 * | `dashboards/**`                                    | `observability`                            |
 * | docs, `*.md`, tests, fixtures, goldens, bench, `dev/**`, `testing/**`, `.github/**`, lint/test config, CLI commands other than synth | nothing |
 * | anything else (`stacks/**`, `functions/**`, lockfile, `cdktf.json`, `cli/**`, `bin/**`, ...) | every stack |
 *
 * A removed tenant stack is never deployed or destroyed by CI: see docs/delivery.md, "Decommissioning a tenant".
 */
import { cellsOf, type FleetIndex } from './fleet-index';
import type { FileChange } from './git';

export type Effect =
  | { readonly kind: 'all' }
  | { readonly kind: 'observability' }
  | { readonly kind: 'none' }
  | { readonly kind: 'tenant'; readonly id: string };

const TENANT_FILE = /^tenants\/([^/_][^/]*)\.ya?ml$/;

/** Paths that cannot change any synthesized stack. Each entry says why. */
const INERT: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /^tenants\/[^/]+\.schema\.json$/, why: 'generated from fleet/manifest, which itself triggers every stack' },
  { pattern: /^tenants\/[^/]+\.md$/, why: 'generated field reference' },
  { pattern: /\.test\.ts$/, why: 'tests do not change synthesized output' },
  { pattern: /(^|\/)(__snapshots__|__golden__|fixtures)\//, why: 'test data' },
  { pattern: /^dashboards\/generated\//, why: 'golden of the dashboard builders for a fixture fleet; deployed dashboards are built at synth' },
  { pattern: /^dev\//, why: 'the local dev fleet: never synthesized or deployed' },
  { pattern: /^fleet\/slo-simulator\//, why: 'the SLO rule simulator: read by tests and `flota slo simulate`, never by synth' },
  { pattern: /^testing\//, why: 'test helpers' },
  { pattern: /(^|\/)[^/]+\.md$/, why: 'documentation' },
  { pattern: /^docs\//, why: 'documentation' },
  { pattern: /^bench\//, why: 'benchmarks' },
  { pattern: /^\.github\//, why: 'CI configuration: validated by npm test; changes no stack' },
  { pattern: /^\.ci\//, why: 'CI entry script' },
  { pattern: /^scripts\/check-cdktn\./, why: 'migration check, runs in a scratch copy' },
  // Commands are loaded lazily by cli/main.ts and only `synth` produces stacks; the CLI's shared code (cli/lib, main.ts,
  // bin/) can reach synth and stays in the "every stack" default.
  { pattern: /^cli\/commands\/(?!synth\.)[^/]+\.ts$/, why: 'a CLI command other than synth' },
  { pattern: /^(\.gitignore|\.editorconfig|eslint\.config\.js|jest\.config\.js|LICENSE)$/, why: 'tooling configuration' },
];

/** The effect of one changed file; `tenantIds` is the set of tenant ids present at head. */
export function effectOf(change: FileChange, tenantIds: ReadonlySet<string>): Effect {
  const tenant = TENANT_FILE.exec(change.path);
  if (tenant) {
    const id = tenant[1] as string;
    // A deleted file whose id still exists at head was a rename between .yml and .yaml: the tenant changed.
    if (change.status === 'deleted' && !tenantIds.has(id)) return { kind: 'observability' };
    return { kind: 'tenant', id };
  }
  if (/^tenants\/_[^/]*\.ya?ml$/.test(change.path)) return { kind: 'all' };
  if (INERT.some(({ pattern }) => pattern.test(change.path))) return { kind: 'none' };
  if (/^dashboards\//.test(change.path)) return { kind: 'observability' };
  return { kind: 'all' };
}

export interface ChangeSet {
  /** Every stack to diff/deploy, in deploy order: platform, tenant stacks by wave then name, observability. */
  readonly stacks: readonly string[];
  /** Affected tenant stacks that exist at head, sorted by wave then name. */
  readonly tenantStacks: readonly string[];
  /** Affected tenant stacks per wave; every wave 1..maxWaves is present (possibly empty) so CI expressions are total. */
  readonly waves: Readonly<Record<string, readonly string[]>>;
  readonly platform: boolean;
  /** Every cell's platform stack when the platform is affected (deploy order: the first cell first), else empty. */
  readonly platformStacks: readonly string[];
  /**
   * The deploy plan cell by cell, in cell order, only cells with something to deploy: CI deploys one cell completely
   * (platform, then waves) before the next, so a bad change stops in the first cell.
   */
  readonly cells: readonly CellDeploy[];
  readonly observability: boolean;
  /** Tenant stacks whose manifest file was deleted: never deployed nor destroyed by CI. */
  readonly removed: readonly string[];
  /** True when a fleet-wide file changed and every stack is affected. */
  readonly all: boolean;
  /** Why each stack is affected: the files that caused it. */
  readonly reasons: Readonly<Record<string, readonly string[]>>;
}

/** One cell's share of a deploy: its platform stack (if affected) and its tenant stacks per wave. */
export interface CellDeploy {
  readonly cell: string;
  readonly platform_stacks: readonly string[];
  /** wave_1..wave_<maxWaves>, each present (possibly empty). */
  readonly [wave: `wave_${number}`]: readonly string[];
}

export class ChangeClassificationError extends Error {
  override readonly name = 'ChangeClassificationError';
}

export interface ClassifyOptions {
  /** Highest wave the deploy workflow has a job for. */
  readonly maxWaves: number;
  /** Treat the change as touching every stack (first push, manual full deploy). */
  readonly all?: boolean;
}

export function classifyChanges(files: readonly FileChange[], fleet: FleetIndex, options: ClassifyOptions): ChangeSet {
  const byId = new Map(fleet.tenants.map((tenant) => [tenant.id, tenant]));
  const reasons = new Map<string, string[]>();
  const addReason = (stack: string, why: string): void => {
    const list = reasons.get(stack) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(stack, list);
  };
  let all = options.all === true;
  let observability = false;
  const tenantIds = new Set<string>();
  const removed = new Set<string>();
  const allReasons: string[] = options.all === true ? ['--all'] : [];

  for (const change of files) {
    const effect = effectOf(change, new Set(byId.keys()));
    switch (effect.kind) {
      case 'all':
        all = true;
        allReasons.push(change.path);
        break;
      case 'observability':
        observability = true;
        addReason(fleet.observabilityStackName, change.path);
        {
          const deletedTenant = change.status === 'deleted' ? TENANT_FILE.exec(change.path) : null;
          if (deletedTenant) {
            removed.add(`tenant-${deletedTenant[1]}`);
            addReason(`tenant-${deletedTenant[1]}`, `${change.path} (deleted)`);
          }
        }
        break;
      case 'tenant': {
        if (!byId.has(effect.id)) {
          throw new ChangeClassificationError(
            `${change.path} changed, but the manifest at head has no tenant '${effect.id}'. A tenant's id must equal its ` +
              `file name; run 'npx flota validate' on the head commit.`,
          );
        }
        tenantIds.add(effect.id);
        observability = true;
        addReason(byId.get(effect.id)?.stackName as string, change.path);
        addReason(fleet.observabilityStackName, change.path);
        break;
      }
      case 'none':
        break;
    }
  }

  if (all) {
    for (const tenant of fleet.tenants) tenantIds.add(tenant.id);
    observability = true;
    for (const stack of [...cellsOf(fleet).map((c) => c.platformStackName), fleet.observabilityStackName, ...fleet.tenants.map((t) => t.stackName)]) {
      for (const why of allReasons) addReason(stack, why);
    }
  }

  const tenants = [...tenantIds].map((id) => byId.get(id) as NonNullable<ReturnType<typeof byId.get>>);
  const tooLate = tenants.filter((tenant) => !Number.isInteger(tenant.wave) || tenant.wave < 1 || tenant.wave > options.maxWaves);
  if (tooLate.length > 0) {
    throw new ChangeClassificationError(
      tooLate.map((t) => `tenant '${t.id}': wave ${t.wave} is outside 1..${options.maxWaves}`).join('\n') +
        `\nThe deploy workflow has one job per wave (wave-1..wave-${options.maxWaves}). Use a wave in that range, or add a ` +
        `wave-${options.maxWaves + 1} job to .github/workflows/deploy.yml and raise MAX_DEPLOY_WAVES in fleet/manifest/schema/fields.ts (the schema and \`flota changed\` both read it).`,
    );
  }
  tenants.sort((a, b) => a.wave - b.wave || a.stackName.localeCompare(b.stackName));
  const waves: Record<string, string[]> = {};
  for (let wave = 1; wave <= options.maxWaves; wave += 1) {
    waves[String(wave)] = tenants.filter((tenant) => tenant.wave === wave).map((tenant) => tenant.stackName);
  }
  const tenantStacks = tenants.map((tenant) => tenant.stackName);
  const cells = cellsOf(fleet);
  const platformStacks = all ? cells.map((c) => c.platformStackName) : [];
  const cellOf = (tenant: (typeof tenants)[number]) => tenant.cell ?? cells[0]!.name;
  const cellDeploys: CellDeploy[] = cells
    .map((cell) => {
      const deploy: Record<string, unknown> = { cell: cell.name, platform_stacks: all ? [cell.platformStackName] : [] };
      for (let wave = 1; wave <= options.maxWaves; wave += 1) {
        deploy[`wave_${wave}`] = tenants.filter((t) => t.wave === wave && cellOf(t) === cell.name).map((t) => t.stackName);
      }
      return deploy as unknown as CellDeploy;
    })
    .filter((deploy) => Object.entries(deploy).some(([key, value]) => key !== 'cell' && (value as string[]).length > 0));
  const stacks = [
    ...platformStacks,
    ...tenantStacks,
    ...(observability ? [fleet.observabilityStackName] : []),
  ];
  const sortedReasons: Record<string, string[]> = {};
  for (const stack of [...stacks, ...[...removed].sort()]) {
    const list = reasons.get(stack);
    if (list) sortedReasons[stack] = list;
  }
  return {
    stacks,
    tenantStacks,
    waves,
    platform: all,
    platformStacks,
    cells: cellDeploys,
    observability,
    removed: [...removed].sort(),
    all,
    reasons: sortedReasons,
  };
}

/** Commit trailer with which a merged change acknowledges that a removed tenant was decommissioned by hand. */
export const DECOMMISSION_TRAILER = 'Flota-Decommissioned';

/** Removed stacks not acknowledged by a `Flota-Decommissioned: tenant-<id>` trailer in any of the commit messages. */
export function unacknowledgedRemovals(removed: readonly string[], messages: readonly string[]): string[] {
  const acknowledged = new Set<string>();
  const trailer = new RegExp(`^${DECOMMISSION_TRAILER}:\\s*(\\S+)\\s*$`, 'gim');
  for (const message of messages) {
    for (const match of message.matchAll(trailer)) acknowledged.add(match[1] as string);
  }
  return removed.filter((stack) => !acknowledged.has(stack));
}
