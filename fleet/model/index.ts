/**
 * The pure fleet model: what the manifest means, resolved. Built by `loadFleet()` in fleet/index.ts; this module never
 * reads files.
 */

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
