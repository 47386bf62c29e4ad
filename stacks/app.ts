/**
 * Builds every stack of the fleet from a FleetModel and writes them to an output directory. Callers (stacks/main.ts,
 * the CLI, tests) load the model and bundle the functions first; nothing here reads the manifest or the environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { FunctionBundles } from './assets/bundle';
import type { FleetModel } from '../fleet/model/types';
import { ObservabilityStack } from './observability-stack';
import { PlatformStack } from './platform-stack';
import { TenantStack } from './tenant-stack';

export interface FleetAppInputs {
  readonly fleet: FleetModel;
  readonly bundles: FunctionBundles;
  readonly migrationsChecksum: string;
}

export interface FleetStacks {
  /** The first cell's platform stack (the only one of a fleet without cells). */
  readonly platform: PlatformStack;
  /** One per cell, in declared order. */
  readonly platforms: readonly PlatformStack[];
  readonly tenants: readonly TenantStack[];
  readonly observability: ObservabilityStack;
}

/**
 * Adds one platform stack per cell, one stack per tenant (ids sorted: output order never depends on file order; each
 * uses its cell's provider) and the observability stack.
 */
export function addFleetStacks(app: App, inputs: FleetAppInputs): FleetStacks {
  const { fleet } = inputs;
  const platforms = fleet.cells.map((cell) => new PlatformStack(app, { fleet, cell }));
  const cells = new Map(fleet.cells.map((cell) => [cell.name, cell]));
  const tenants = [...fleet.tenants]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(
      (tenant) =>
        new TenantStack(app, {
          fleet,
          tenant,
          cell: cells.get(tenant.cell) ?? fleet.cells[0]!,
          bundles: inputs.bundles,
          migrationsChecksum: inputs.migrationsChecksum,
        }),
    );
  const observability = new ObservabilityStack(app, { fleet });
  return { platform: platforms[0]!, platforms, tenants, observability };
}

/** Creates the app (outdir given explicitly: constructs never read the environment) and synthesizes the fleet into it. */
export function synthesizeFleet(inputs: FleetAppInputs, outdir: string): { stackNames: string[] } {
  const app = new App({ outdir, stackTraces: false, skipValidation: false });
  addFleetStacks(app, inputs);
  app.synth();
  // Every stack in the app, in construction order (platform, tenants by id, then any stack added later).
  return { stackNames: app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id) };
}

/**
 * Synthesizes into a fresh sibling directory of `outDir`, then swaps it into place, so `outDir` always holds either the
 * previous complete output or the new complete output — never a half-written mix (e.g. after a crash or Ctrl-C).
 */
export function synthesizeFleetAtomically(inputs: FleetAppInputs, outDir: string): { stackNames: string[] } {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.synth-`));
  const previous = `${staging}.previous`;
  try {
    const result = synthesizeFleet(inputs, staging);
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, previous);
    fs.renameSync(staging, target);
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
    return result;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
