import { effectOf } from './changes';

const ids = new Set(['acme', 'globex']);
const modified = (path: string) => ({ path, status: 'modified' as const });

describe('effectOf: what one changed file affects', () => {
  test.each([
    ['tenants/acme.yaml', { kind: 'tenant', id: 'acme' }],
    ['tenants/_fleet.yaml', { kind: 'all' }],
    ['dashboards/fleet-overview.ts', { kind: 'observability' }],
    ['dashboards/generated/flota-outliers.json', { kind: 'none' }],
    ['dashboards/dashboards.test.ts', { kind: 'none' }],
    ['stacks/__golden__/fixture-fleet.json', { kind: 'none' }],
    ['dev/fleet.ts', { kind: 'none' }],
    ['fleet/slo-simulator/evaluate.ts', { kind: 'none' }],
    ['testing/database.ts', { kind: 'none' }],
    ['fleet/model/sizing.ts', { kind: 'all' }],
    ['contract/record.ts', { kind: 'all' }],
    ['functions/ingest/ingest.ts', { kind: 'all' }],
    ['cli/commands/tenant.ts', { kind: 'none' }],
    ['cli/commands/synth.ts', { kind: 'all' }],
  ])('%s → %j', (path, effect) => {
    expect(effectOf(modified(path), ids)).toEqual(effect);
  });
});
