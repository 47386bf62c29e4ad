/**
 * The pure fleet model: `loadFleet()` is what synth, the CLI, dashboards and the dev fleet call.
 */
import { loadManifest, type LoadOptions } from '../manifest/loader';
import { ManifestValidationError } from '../manifest/errors';
import { buildFleetModel } from './fleet';
import type { FleetModel } from './types';

export { buildFleetModel, contactModel, objective, privateSubnets, tenantStackName, PLATFORM_STACK_NAME, OBSERVABILITY_STACK_NAME } from './fleet';
export { deriveTenantNames, checkTenantNames, maxTenantIdLength, NAME_RULES } from './names';
export {
  connectionBudget,
  maxConnectionsFor,
  resolveSizing,
  visibilityTimeoutSeconds,
  CONNECTION_BUDGET_FRACTION,
  POSTGRES,
} from './sizing';
export type * from './types';

/** Loads, validates and builds the fleet. Throws ManifestValidationError (with every error) when the manifest is invalid. */
export function loadFleet(dir = 'tenants', options: LoadOptions = {}): FleetModel {
  const result = loadManifest(dir, options);
  if (!result.ok) throw new ManifestValidationError(result.errors);
  return buildFleetModel(result.manifest);
}
