import { classifyChanges, effectOf } from './changes';
import type { FleetIndex } from './fleet-index';

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

describe('classifyChanges: cell by cell', () => {
  const fleet: FleetIndex = {
    platformStackName: 'platform-one',
    cells: [
      { name: 'one', platformStackName: 'platform-one' },
      { name: 'two', platformStackName: 'platform-two' },
    ],
    observabilityStackName: 'observability',
    tenants: [
      { id: 'acme', stackName: 'tenant-acme', wave: 1, cell: 'one' },
      { id: 'globex', stackName: 'tenant-globex', wave: 2, cell: 'two' },
      { id: 'initech', stackName: 'tenant-initech', wave: 1, cell: 'two' },
    ],
  };

  test('a fleet-wide change deploys every cell in order: its platform, then its waves', () => {
    const changes = classifyChanges([modified('tenants/_fleet.yaml')], fleet, { maxWaves: 3 });
    expect(changes.platformStacks).toEqual(['platform-one', 'platform-two']);
    expect(changes.cells).toEqual([
      { cell: 'one', platform_stacks: ['platform-one'], wave_1: ['tenant-acme'], wave_2: [], wave_3: [] },
      { cell: 'two', platform_stacks: ['platform-two'], wave_1: ['tenant-initech'], wave_2: ['tenant-globex'], wave_3: [] },
    ]);
    expect(changes.stacks.slice(0, 2)).toEqual(['platform-one', 'platform-two']);
  });

  test("a tenant change deploys only that tenant's cell", () => {
    const changes = classifyChanges([modified('tenants/globex.yaml')], fleet, { maxWaves: 3 });
    expect(changes.cells).toEqual([{ cell: 'two', platform_stacks: [], wave_1: [], wave_2: ['tenant-globex'], wave_3: [] }]);
    expect(changes.platformStacks).toEqual([]);
  });

  test('an index without cells is one cell named default', () => {
    const { cells: _cells, ...single } = fleet;
    const changes = classifyChanges([modified('tenants/acme.yaml')], { ...single, platformStackName: 'platform', tenants: [{ id: 'acme', stackName: 'tenant-acme', wave: 1 }] }, { maxWaves: 3 });
    expect(changes.cells).toEqual([{ cell: 'default', platform_stacks: [], wave_1: ['tenant-acme'], wave_2: [], wave_3: [] }]);
  });
});
