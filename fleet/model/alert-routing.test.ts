import { testFleet, testTenant } from '../testing/fleet-model';
import { contactPoints, FLEET_DEFAULT_CONTACT, resolveRoute, routingTree, secretLookupName } from './alert-routing';
import { generateFleet } from './generated-fleet';
import type { FleetModel, TenantModel } from './types';

function withTenants(fleet: FleetModel, tenants: TenantModel[]): FleetModel {
  return { ...fleet, tenants: [...tenants].sort((a, b) => a.id.localeCompare(b.id)) };
}

describe('routing', () => {
  const slackTenant = (): TenantModel => ({
    ...testTenant('initech'),
    alerts: {
      page: { kind: 'pagerduty', integrationKey: { secretName: 'flota/initech/pagerduty' } },
      ticket: { kind: 'slack', webhookUrl: { secretName: 'flota/initech/slack' }, channel: '#initech' },
    },
  });

  test('routes each tenant’s page and ticket alerts to its own contacts', () => {
    const fleet = withTenants(testFleet(['acme']), [testTenant('acme'), slackTenant()]);
    const tree = routingTree(fleet);
    expect(resolveRoute(tree, { tenant: 'initech', severity: 'page' })).toBe('tenant-initech-page');
    expect(resolveRoute(tree, { tenant: 'initech', severity: 'ticket' })).toBe('tenant-initech-ticket');
    expect(resolveRoute(tree, { tenant: 'acme', severity: 'page' })).toBe('tenant-acme-page');
  });

  test('falls back to the fleet default for unknown tenants, page and ticket separately', () => {
    const tree = routingTree(testFleet());
    expect(resolveRoute(tree, { tenant: 'removed-tenant', severity: 'page' })).toBe(FLEET_DEFAULT_CONTACT.page);
    expect(resolveRoute(tree, { tenant: 'removed-tenant', severity: 'ticket' })).toBe(FLEET_DEFAULT_CONTACT.ticket);
    expect(tree.contactPoint).toBe(FLEET_DEFAULT_CONTACT.ticket);
  });

  test('a tenant whose contact equals the fleet default reuses the fleet contact point', () => {
    const base = testFleet(['acme']);
    const acme = { ...base.tenants[0], alerts: base.observability.defaultAlerts };
    const fleet = withTenants(base, [acme]);
    expect(contactPoints(fleet).map((c) => c.name)).toEqual([FLEET_DEFAULT_CONTACT.page, FLEET_DEFAULT_CONTACT.ticket]);
    expect(resolveRoute(routingTree(fleet), { tenant: 'acme', severity: 'page' })).toBe(FLEET_DEFAULT_CONTACT.page);
  });

  test('adding a tenant adds its routing with no other edit', () => {
    const before = testFleet(['acme']);
    const after = withTenants(before, [...before.tenants, slackTenant()]);
    expect(resolveRoute(routingTree(before), { tenant: 'initech', severity: 'page' })).toBe(FLEET_DEFAULT_CONTACT.page);
    expect(resolveRoute(routingTree(after), { tenant: 'initech', severity: 'page' })).toBe('tenant-initech-page');
    expect(contactPoints(after).map((c) => c.name)).toEqual(expect.arrayContaining(['tenant-initech-page', 'tenant-initech-ticket']));
  });

  test('every contact point the tree references exists, and nesting stays within 5 levels', () => {
    const fleet = generateFleet(withTenants(testFleet(), [testTenant('acme'), slackTenant()]), 50);
    const names = new Set(contactPoints(fleet).map((c) => c.name));
    const tree = routingTree(fleet);
    const depth = (policies: typeof tree.policies | undefined, level: number): number =>
      Math.max(level, ...(policies ?? []).map((p) => {
        if (p.contactPoint !== undefined) expect(names.has(p.contactPoint)).toBe(true);
        return depth(p.policies, level + 1);
      }));
    expect(names.has(tree.contactPoint)).toBe(true);
    expect(depth(tree.policies, 0)).toBeLessThanOrEqual(5);
  });
});

describe('secretLookupName (exists-check of contact secrets)', () => {
  test('a name as is; the name inside a full ARN without its random suffix', () => {
    expect(secretLookupName('flota/payments/slack-webhook')).toBe('flota/payments/slack-webhook');
    expect(secretLookupName('arn:aws:secretsmanager:eu-west-1:123456789012:secret:flota/payments/slack-webhook-AbC123')).toBe('flota/payments/slack-webhook');
  });
});
