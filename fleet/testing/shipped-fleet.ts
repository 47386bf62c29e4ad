/**
 * The shipped manifest as tests see it. Tests that read tenants/ count its files instead of hard-coding "50", so
 * adding a tenant file is the only edit onboarding needs (scripts/onboarding.test.ts proves it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHIPPED_TENANTS_DIR = path.join(__dirname, '..', '..', 'tenants');

/** Tenant files in tenants/ (every *.yaml / *.yml but the fleet defaults file). */
export function shippedTenantCount(): number {
  return fs.readdirSync(SHIPPED_TENANTS_DIR).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('_')).length;
}
