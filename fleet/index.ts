/**
 * The pure heart's front door: manifest → validated manifest → fleet model. Synth, the CLI, dashboards and the dev fleet
 * call `loadFleet()` (or `loadManifest()` when they only validate). This is the one module that joins the two layers:
 * the manifest layer reads and shape-checks files and knows nothing of the model; the model derives names, sizing and
 * budgets, and its rules (fleet/model/rules.ts) check those derived values against the files that passed the schema.
 */
import { manifestResult, readManifestFiles, type LoadOptions, type LoadResult } from './manifest/loader';
import { ManifestValidationError } from './manifest/errors';
import { buildFleetModel } from './model/fleet';
import { checkDerivedRules } from './model/rules';
import type { FleetModel } from './model/types';

export type { LoadOptions, LoadResult } from './manifest/loader';

/** Loads and validates `dir` with every rule. Never throws for a bad manifest: problems come back as `errors`. */
export function loadManifest(dir: string, options: LoadOptions = {}): LoadResult {
  const files = readManifestFiles(dir, options);
  return manifestResult(files, files.fleet === undefined ? [] : checkDerivedRules(files.fleet, files.tenants));
}

/** Loads, validates and builds the fleet. Throws ManifestValidationError (with every error) when the manifest is invalid. */
export function loadFleet(dir = 'tenants', options: LoadOptions = {}): FleetModel {
  const result = loadManifest(dir, options);
  if (!result.ok) throw new ManifestValidationError(result.errors);
  return buildFleetModel(result.manifest);
}
