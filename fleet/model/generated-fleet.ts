/**
 * A generated fleet of N tenants for scale checks (500-tenant query limits, `flota cost --generate 500`).
 *
 * Tenants are cloned round-robin from a real model's tenants, so the generated fleet has the same SLO classes, tiers
 * and contacts as the manifest it comes from; only ids (and every name derived from them) change. Pure.
 */
import type { FleetModel, TenantModel } from './types';

export function generateFleet(base: FleetModel, count: number): FleetModel {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`tenant count must be a positive integer (got ${count})`);
  if (base.tenants.length === 0) throw new RangeError('cannot generate a fleet from a model with no tenants');
  const width = String(count).length;
  const tenants: TenantModel[] = [];
  for (let i = 0; i < count; i++) {
    const template = base.tenants[i % base.tenants.length];
    const id = `gen${String(i + 1).padStart(width, '0')}-${template.id}`.slice(0, 40);
    tenants.push(renameTenant(template, id));
  }
  tenants.sort((a, b) => a.id.localeCompare(b.id));
  return { ...base, tenants };
}

function renameTenant(tenant: TenantModel, id: string): TenantModel {
  const pattern = new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(tenant.id)}(?![A-Za-z0-9])`, 'g');
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(pattern, id);
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rename(v)]));
    }
    return value;
  };
  return { ...(rename(tenant) as TenantModel), id };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
