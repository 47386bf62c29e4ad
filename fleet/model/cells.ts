/**
 * Cells: the AWS accounts a fleet spreads over. A fleet without `cells` in `_fleet.yaml` has one implicit cell named
 * `default` — the account the deploy credentials belong to, in the fleet's region — whose platform stack keeps the name
 * `platform`, so a fleet that adopts cells later keeps its platform state by naming its first cell `default`.
 *
 * Pure: resolves names and effective quotas; never reads files.
 */
import type { CellManifest, FleetDefaults, QuotaKey } from '../manifest/schema';
import { QUOTAS } from '../manifest/schema';

export const IMPLICIT_CELL_NAME = 'default';

/** Name of the (first) platform stack; fleet.ts re-exports it as PLATFORM_STACK_NAME. */
export const PLATFORM_STACK_NAME_BASE = 'platform';

/** Platform stack of a cell: `platform` for the cell named `default` (the implicit cell), else `platform-<cell>`. */
export function platformStackNameOf(cell: string): string {
  return cell === IMPLICIT_CELL_NAME ? PLATFORM_STACK_NAME_BASE : `${PLATFORM_STACK_NAME_BASE}-${cell}`;
}

/** A cell as the manifest gives it; the implicit cell has no account id or deploy role (the deploy credentials' account). */
export type CellSpec = Pick<CellManifest, 'name' | 'region' | 'quotas'> & Partial<Pick<CellManifest, 'accountId' | 'deployRoleArn'>>;

/** The cells of a fleet as declared, or the one implicit cell. */
export function declaredCells(fleet: FleetDefaults): readonly CellSpec[] {
  return fleet.cells ?? [{ name: IMPLICIT_CELL_NAME }];
}

/** The cell a tenant lives in: its `cell`, or the fleet's first. */
export function cellOfTenant(fleet: FleetDefaults, tenantCell: string | undefined): string {
  return tenantCell ?? declaredCells(fleet)[0]!.name;
}

/** Where a quota's effective value comes from, for messages: the path of the field that declares it, if any. */
export interface EffectiveQuota {
  readonly value: number;
  /** Manifest path of the declaring field (`cells.1.quotas.rdsDbInstances`, `quotas.rdsDbInstances`, `lambdaConcurrencyLimit`). */
  readonly declaredAt?: readonly (string | number)[];
}

/** Effective quota of a cell: the cell's own value ?? the fleet's `quotas` ?? (Lambda: lambdaConcurrencyLimit) ?? the AWS default. */
export function effectiveQuota(fleet: FleetDefaults, cellIndex: number, key: QuotaKey, lambdaLimitDeclared = true): EffectiveQuota {
  const cell = fleet.cells?.[cellIndex];
  const own = cell?.quotas?.[key];
  if (own !== undefined) return { value: own, declaredAt: ['cells', cellIndex, 'quotas', key] };
  const shared = fleet.quotas[key];
  if (shared !== undefined) return { value: shared, declaredAt: ['quotas', key] };
  if (key === 'lambdaConcurrentExecutions') {
    return lambdaLimitDeclared ? { value: fleet.lambdaConcurrencyLimit, declaredAt: ['lambdaConcurrencyLimit'] } : { value: fleet.lambdaConcurrencyLimit };
  }
  return { value: QUOTAS.find((q) => q.key === key)!.awsDefault };
}

export function effectiveQuotas(fleet: FleetDefaults, cellIndex: number): Record<QuotaKey, number> {
  return Object.fromEntries(QUOTAS.map((q) => [q.key, effectiveQuota(fleet, cellIndex, q.key).value])) as Record<QuotaKey, number>;
}
