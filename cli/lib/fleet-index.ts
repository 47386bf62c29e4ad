/**
 * The slice of the fleet model the delivery commands need (stack names and deploy waves), loaded from the manifest
 * as it is at a git ref, so `flota changed --head <ref>` reads the manifest of the change, not of the working tree.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFleet } from '../../fleet';
import type { FleetModel } from '../../fleet/model/types';
import { listFilesAt, readFileAt, resolveCommit } from './git';

/** Manifest directory, relative to the repository root. */
export const MANIFEST_DIR = 'tenants';

export interface FleetIndexTenant {
  readonly id: string;
  readonly stackName: string;
  readonly wave: number;
  /** Its cell. Default: the first cell. */
  readonly cell?: string;
}

export interface FleetIndexCell {
  readonly name: string;
  readonly platformStackName: string;
}

export interface FleetIndex {
  /** The first cell's platform stack. */
  readonly platformStackName: string;
  /** Every cell in deploy order (the first hosts observability). Default: one cell whose platform is platformStackName. */
  readonly cells?: readonly FleetIndexCell[];
  readonly observabilityStackName: string;
  /** Sorted by id. */
  readonly tenants: readonly FleetIndexTenant[];
}

export function fleetIndexFromModel(model: FleetModel): FleetIndex {
  return {
    platformStackName: model.platformStackName,
    cells: model.cells.map((cell) => ({ name: cell.name, platformStackName: cell.platformStackName })),
    observabilityStackName: model.observability.stackName,
    tenants: model.tenants
      .map((tenant) => ({ id: tenant.id, stackName: tenant.stackName, wave: tenant.wave, cell: tenant.cell }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** The cells of an index (one implicit cell when it names none). */
export function cellsOf(fleet: FleetIndex): readonly FleetIndexCell[] {
  return fleet.cells ?? [{ name: 'default', platformStackName: fleet.platformStackName }];
}

/** Loads and validates a manifest directory into a fleet index (normally `fleetIndexFromModel(loadFleet(dir))`). */
export type FleetLoader = (manifestDir: string) => FleetIndex;

/**
 * Loads the fleet index from the manifest at `ref`: the manifest files are copied out of git into a scratch
 * directory and loaded there with `loadFleet`, so the answer never depends on uncommitted edits.
 */
export function loadFleetIndexAt(cwd: string, ref: string, load: FleetLoader): FleetIndex {
  return withManifestAt(cwd, ref, load);
}

/** Runs `load` on a scratch copy of the manifest directory as it is at `ref` (deleted afterwards). */
export function withManifestAt<T>(cwd: string, ref: string, load: (manifestDir: string) => T): T {
  resolveCommit(cwd, ref);
  const scratch = mkdtempSync(join(tmpdir(), 'flota-manifest-'));
  try {
    const prefix = `${MANIFEST_DIR}/`;
    for (const path of listFilesAt(cwd, ref, MANIFEST_DIR)) {
      const target = join(scratch, MANIFEST_DIR, path.slice(prefix.length));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileAt(cwd, ref, path));
    }
    mkdirSync(join(scratch, MANIFEST_DIR), { recursive: true });
    return load(join(scratch, MANIFEST_DIR));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The validated manifest's fleet index; error messages name files relative to the manifest's parent directory. */
export function loadManifestFleetIndex(manifestDir: string): FleetIndex {
  return fleetIndexFromModel(loadFleet(manifestDir, { cwd: dirname(manifestDir) }));
}
