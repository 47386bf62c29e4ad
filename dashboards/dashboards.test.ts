import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet } from '../fleet';
import { generateFleet } from '../fleet/model/generated-fleet';
import { CLOUDWATCH_LIMITS } from '../fleet/model/cloudwatch-queries';
import type { FleetModel, TenantModel } from '../fleet/model/types';
import { buildDashboards } from './index';
import { expectedFiles, GENERATED_DIR } from './generate';
import { panelQueryCosts } from './query-cost';

interface PanelJson {
  id?: number;
  type: string;
  title: string;
  targets?: Record<string, unknown>[];
  fieldConfig?: { defaults?: { links?: { url: string }[] } };
}

const TENANTS_DIR = path.join(__dirname, '..', 'tenants');
const shipped = loadFleet(TENANTS_DIR);

function panelsOf(json: unknown): PanelJson[] {
  return ((json as { panels: PanelJson[] }).panels ?? []).filter((p) => p.type !== 'row');
}

describe('dashboards', () => {
  test('the committed JSON under dashboards/generated/ (golden of the fixture fleet) matches the builders (run `npm run generate`)', () => {
    const expected = expectedFiles();
    const committed = fs.readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(fs.readFileSync(path.join(GENERATED_DIR, file), 'utf8')).toBe(text);
  });

  test('every dashboard has a stable uid, the flota tag and unique panel ids', () => {
    for (const built of buildDashboards(shipped)) {
      expect(built.json.uid).toBe(built.uid);
      expect(built.json.tags).toContain('flota');
      const ids = panelsOf(built.json).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
    }
  });

  test.each([
    ['the shipped fleet', shipped],
    ['a generated 500-tenant fleet', generateFleet(shipped, 500)],
  ])('%s: no panel needs more than one GetMetricData call or returns more than 500 series', (_name, fleet: FleetModel) => {
    const size = fleet.tenants.length;
    let panels = 0;
    for (const built of buildDashboards(fleet)) {
      for (const cost of panelQueryCosts(built.json, size)) {
        panels += 1;
        const where = `${built.uid} / ${cost.title}`;
        expect({ where, metrics: cost.metrics <= CLOUDWATCH_LIMITS.maxMetricsPerGetMetricData }).toEqual({ where, metrics: true });
        expect({ where, series: cost.visibleSeries <= CLOUDWATCH_LIMITS.maxSeriesPerSearch }).toEqual({ where, series: true });
        expect({ where, chars: cost.longestSearch <= CLOUDWATCH_LIMITS.maxSearchExpressionChars }).toEqual({ where, chars: true });
        expect({ where, searches: cost.searches <= CLOUDWATCH_LIMITS.maxSearchesPerGraph }).toEqual({ where, searches: true });
      }
    }
    expect(panels).toBeGreaterThan(20);
  });

  test('adding a tenant adds it to the status grid, the outliers and the tenant variable with no other edit', () => {
    const template = shipped.tenants.find((t) => t.id === 'order-events') as TenantModel;
    const newcomer = JSON.parse(JSON.stringify(template).split('order-events').join('zz-new-tenant')) as TenantModel;
    const grown: FleetModel = { ...shipped, tenants: [...shipped.tenants, newcomer].sort((a, b) => a.id.localeCompare(b.id)) };
    const covers = (fleet: FleetModel, uid: string, id: string): boolean => {
      const built = buildDashboards(fleet).find((b) => b.uid === uid)!;
      const text = JSON.stringify(built.json);
      return panelsOf(built.json).some((p) =>
        (p.targets ?? []).some((t) => {
          const tenants = (t.dimensions as Record<string, unknown> | undefined)?.Tenant;
          return tenants === '*' || (Array.isArray(tenants) && tenants.includes(id));
        }),
      ) || text.includes(`"${id}"`);
    };
    for (const uid of ['flota-status-grid', 'flota-outliers', 'flota-fleet-heatmap']) {
      expect({ uid, after: covers(grown, uid, 'zz-new-tenant') }).toEqual({ uid, after: true });
    }
    expect(covers(shipped, 'flota-status-grid', 'zz-new-tenant')).toBe(false);
    const variable = (fleet: FleetModel) =>
      (buildDashboards(fleet).find((b) => b.uid === 'flota-tenant-detail')!.json.templating.list ?? []).find((v) => v.name === 'tenant')!.query as string;
    expect(variable(shipped).split(',')).not.toContain('zz-new-tenant');
    expect(variable(grown).split(',')).toContain('zz-new-tenant');
    // status grid: the newcomer is listed in exactly one panel per SLI (its class), before it was in none
    const grid = buildDashboards(grown).find((b) => b.uid === 'flota-status-grid')!;
    const listing = panelsOf(grid.json).filter((p) => (p.targets ?? []).some((t) => JSON.stringify(t.dimensions ?? {}).includes('zz-new-tenant')));
    expect(listing.length).toBe(3);
  });

  test('tenant detail addresses AWS resources by the model’s naming pattern', () => {
    const detail = JSON.stringify(buildDashboards(shipped).find((b) => b.uid === 'flota-tenant-detail')!.json);
    expect(detail).toContain('"QueueName":"flota-$tenant-ingest"');
    expect(detail).toContain('"DBInstanceIdentifier":"flota-$tenant-db"');
  });

  test('fleet latency percentiles come from the [Service] dimension set (true percentiles)', () => {
    const overview = buildDashboards(shipped).find((b) => b.uid === 'flota-fleet-overview')!;
    const latency = panelsOf(overview.json)[0];
    for (const target of latency.targets ?? []) {
      expect(target.dimensions).toEqual({ Service: 'api' });
      expect(String(target.statistic)).toMatch(/^p(50|90|99)$/);
    }
  });
});
