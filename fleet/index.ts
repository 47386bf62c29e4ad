/**
 * The pure heart's front door: manifest → validated manifest → fleet model. Synth, the CLI, dashboards and the dev fleet
 * call `loadFleet()` (or `loadManifest()` when they only validate). This is the one module that joins the two layers:
 * the manifest layer reads and shape-checks files and knows nothing of the model; the model derives names, sizing and
 * budgets, and its rules (fleet/model/rules.ts) check those derived values against the files that passed the schema.
 */
import { manifestResult, readManifestFiles, type LoadOptions, type LoadResult } from './manifest/loader';
import { ManifestValidationError } from './manifest/errors';
import { buildFleetModel } from './model/fleet';
import { checkConnectionTransitions, checkContactSecrets, checkDerivedRules, contactSecretReferences, type DeployedBudgets } from './model/rules';
import type { FleetModel } from './model/types';

export type { LoadOptions, LoadResult } from './manifest/loader';
export type { DeployedBudgets } from './model/rules';

export interface ValidateOptions extends LoadOptions {
  /**
   * The deployed fleet's connection budgets (from the manifest at the PR's base, `flota validate --base REF`): the
   * change is then also checked while it rolls out (connection-transition).
   */
  readonly deployed?: DeployedBudgets;
  /** Contact secrets found missing in Secrets Manager (`flota validate --aws`): each naming field is reported. */
  readonly missingSecrets?: ReadonlySet<string>;
}

/** Loads and validates `dir` with every rule. Never throws for a bad manifest: problems come back as `errors`. */
export function loadManifest(dir: string, options: ValidateOptions = {}): LoadResult {
  const files = readManifestFiles(dir, options);
  const { fleet, tenants } = files;
  if (fleet === undefined) return manifestResult(files);
  const transitions = options.deployed === undefined ? [] : checkConnectionTransitions(fleet, tenants, options.deployed);
  const secrets = options.missingSecrets === undefined ? [] : checkContactSecrets(fleet, tenants, options.missingSecrets);
  return manifestResult(files, [...checkDerivedRules(fleet, tenants), ...transitions, ...secrets]);
}

/**
 * The distinct contact secrets the manifest in `dir` names and the fleet region, for `flota validate --aws` to look up
 * (empty when the fleet file does not pass the schema: then validation reports that first).
 */
export function contactSecretsToCheck(dir: string, options: LoadOptions = {}): { readonly region?: string; readonly secrets: readonly string[] } {
  const { fleet, tenants } = readManifestFiles(dir, options);
  if (fleet === undefined) return { secrets: [] };
  return { region: fleet.data.region, secrets: [...new Set(contactSecretReferences(fleet, tenants).map((r) => r.secret))].sort() };
}

/** Each tenant's connection budget in a (valid) fleet model: what `deployed` expects. */
export function deployedBudgets(model: FleetModel): DeployedBudgets {
  return new Map(model.tenants.map((tenant) => [tenant.id, tenant.connectionBudget]));
}

/** Loads, validates and builds the fleet. Throws ManifestValidationError (with every error) when the manifest is invalid. */
export function loadFleet(dir = 'tenants', options: LoadOptions = {}): FleetModel {
  const result = loadManifest(dir, options);
  if (!result.ok) throw new ManifestValidationError(result.errors);
  return buildFleetModel(result.manifest);
}
