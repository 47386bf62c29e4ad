import * as path from 'node:path';
import { testFleet, testTenant } from '../testing/fleet-model';
import { loadFleet } from '..';
import { datapointsPerSeries, maxTenantsPerRule, queryPeriodSeconds, sloClasses, sloRuleGroups, type SloAlertRule } from './slo-rules';
import { generateFleet } from './generated-fleet';
import { CLOUDWATCH_LIMITS, equivalentSearch, maxSeries } from './cloudwatch-queries';
import type { FleetModel, TenantModel } from './types';

function withTenants(fleet: FleetModel, tenants: TenantModel[]): FleetModel {
  return { ...fleet, tenants: [...tenants].sort((a, b) => a.id.localeCompare(b.id)) };
}

function goldTenant(id: string): TenantModel {
  const t = testTenant(id, { tier: 'gold' });
  return { ...t, slo: { ...t.slo, availability: { target: 0.9995, errorBudget: 0.0005 } } };
}

/** Evaluate the rule's Grafana math condition (G) on concrete counts, exactly as written in the rule. */
function fires(rule: SloAlertRule, counts: { badLong: number; totalLong: number; badShort: number; totalShort: number }): boolean {
  const math = rule.stages.find((s) => s.refId === 'G')?.model.expression as string;
  const js = math
    .replace(/\$C/g, String(counts.badLong))
    .replace(/\$D/g, String(counts.totalLong))
    .replace(/\$E/g, String(counts.badShort))
    .replace(/\$F/g, String(counts.totalShort));
  expect(js).toMatch(/^[0-9.()<>=&/ e+-]+$/); // nothing but numbers and operators left
  return Boolean(new Function(`return (${js});`)());
}

const allRules = (fleet: FleetModel): SloAlertRule[] => sloRuleGroups(fleet).flatMap((g) => g.rules);

describe('SLO classes', () => {
  test('groups tenants that share an objective, one class per SLI and objective', () => {
    const fleet = withTenants(testFleet(), [testTenant('acme'), testTenant('globex'), goldTenant('initech')]);
    const availability = sloClasses(fleet).filter((c) => c.sli === 'availability');
    expect(availability.map((c) => [c.id, c.tenantIds])).toEqual([
      ['availability-99.9-30d-min100', ['acme', 'globex']],
      ['availability-99.95-30d-min100', ['initech']],
    ]);
  });
});

describe('SLO rule groups', () => {
  test('one rule group per window pair, evaluated at the documented intervals', () => {
    const groups = sloRuleGroups(testFleet());
    expect(groups.map((g) => [g.name, g.severity, g.intervalSeconds])).toEqual([
      ['slo-page-1h', 'page', 300],
      ['slo-page-6h', 'page', 900],
      ['slo-ticket-1d', 'ticket', 1800],
      ['slo-ticket-3d', 'ticket', 3600],
    ]);
  });

  test('rule count grows with SLO classes, not with tenants', () => {
    const base = testFleet(['acme', 'globex']);
    const oneClassFew = allRules(base).length;
    const oneClassMany = allRules(generateFleet(base, 200)).length;
    expect(oneClassMany).toBe(oneClassFew); // 3 SLIs × 4 window pairs = 12, at 2 or 200 tenants
    expect(oneClassFew).toBe(12);
    const twoClasses = withTenants(base, [...base.tenants, goldTenant('initech')]);
    expect(allRules(twoClasses).length).toBe(16); // + 4 availability rules for the 99.95 % class
  });

  test('the shipped fleet: one rule per (SLO class, window pair), split into chunks only where a class that lists its ids outgrows one SEARCH', () => {
    const shipped = loadFleet(path.join(__dirname, '..', '..', 'tenants'));
    const rules = allRules(shipped);
    for (const sloClass of sloClasses(shipped)) {
      const byWindow = new Map<string, SloAlertRule[]>();
      for (const rule of rules.filter((r) => r.sloClass.id === sloClass.id)) byWindow.set(rule.window.id, [...(byWindow.get(rule.window.id) ?? []), rule]);
      expect(byWindow.size).toBe(4);
      for (const chunkRules of byWindow.values()) {
        // together the chunks cover the class exactly once
        expect(chunkRules.flatMap((r) => r.tenantIds).sort()).toEqual([...sloClass.tenantIds].sort());
        if (sloClass.tenantIds.length === shipped.tenants.length) expect(chunkRules.map((r) => r.selection)).toEqual([{ kind: 'all' }]);
        if (chunkRules.length > 1) expect(chunkRules.every((r) => r.selection.kind === 'include')).toBe(true);
      }
    }
  });

  test('a rule over the whole fleet lists no tenant ids, so a new tenant is covered with no edit', () => {
    const rules = allRules(testFleet(['acme', 'globex']));
    for (const rule of rules) {
      expect(rule.selection).toEqual({ kind: 'all' });
      expect(rule.queries[0].dimensions.Tenant).toBe('*');
    }
  });

  test('at 500 tenants every rule query stays within one GetMetricData call (500 metrics, 100,800 datapoints) and a 1,024-character SEARCH', () => {
    const fleet = generateFleet(withTenants(testFleet(['acme', 'globex']), [testTenant('acme'), testTenant('globex'), goldTenant('initech')]), 500);
    for (const rule of allRules(fleet)) {
      const metrics = rule.queries.reduce((n, q) => n + maxSeries(q, fleet.tenants.length), 0);
      expect(metrics).toBeLessThanOrEqual(CLOUDWATCH_LIMITS.maxMetricsPerGetMetricData);
      const datapoints = rule.queries.reduce((n, q) => n + maxSeries(q, fleet.tenants.length) * datapointsPerSeries(rule.window, q.periodSeconds!), 0);
      expect(datapoints).toBeLessThanOrEqual(CLOUDWATCH_LIMITS.maxDatapointsPerGetMetricData);
      for (const q of rule.queries) expect((equivalentSearch(q) ?? '').length).toBeLessThanOrEqual(CLOUDWATCH_LIMITS.maxSearchExpressionChars);
    }
    // every tenant is evaluated by exactly one rule per (SLI, window pair)
    const covered = new Map<string, number>();
    for (const rule of allRules(fleet)) {
      const ids = rule.selection.kind === 'all' ? fleet.tenants.map((t) => t.id) : rule.tenantIds;
      for (const id of ids) covered.set(`${rule.sli}|${rule.window.id}|${id}`, (covered.get(`${rule.sli}|${rule.window.id}|${id}`) ?? 0) + 1);
    }
    expect(covered.size).toBe(500 * 3 * 4);
    expect([...covered.values()].every((n) => n === 1)).toBe(true);
  });

  test('uids are ≤ 40 characters and unique; titles unique', () => {
    const rules = allRules(generateFleet(withTenants(testFleet(), [testTenant('acme'), goldTenant('initech')]), 500));
    expect(new Set(rules.map((r) => r.uid)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
    for (const rule of rules) expect(rule.uid.length).toBeLessThanOrEqual(40);
  });

  test('reads each metric once for both windows: period ≤ the evaluation interval, range = long window', () => {
    const rule = allRules(testFleet()).find((r) => r.sli === 'availability' && r.window.id === 'page-1h')!;
    const [bad, total] = rule.stages;
    expect(bad.model).toMatchObject({ metricName: 'GatewayServerErrors', statistic: 'Sum', period: '300', dimensions: { Service: 'api', Tenant: '*' } });
    expect(total.model).toMatchObject({ metricName: 'GatewayRequests', period: '300' });
    expect(bad.relativeTimeRange).toEqual({ from: 3600 + 60, to: 60 });
    expect(rule.condition).toBe('H');
  });

  test('the query period is the largest whole minute dividing both windows and ≤ the interval (the long-window sum misses < one interval)', () => {
    const periods = sloRuleGroups(testFleet()).map((g) => {
      const rule = g.rules.find((r) => r.sli === 'availability')!;
      return [g.windowId, g.intervalSeconds, rule.queries.map((q) => q.periodSeconds), rule.stages.slice(0, 2).map((s) => s.model.period)];
    });
    expect(periods).toEqual([
      ['page-1h', 300, [300, 300], ['300', '300']],
      ['page-6h', 900, [900, 900], ['900', '900']],
      ['ticket-1d', 1800, [1800, 1800], ['1800', '1800']],
      ['ticket-3d', 3600, [3600, 3600], ['3600', '3600']],
    ]);
    // other SLO windows: whole minutes dividing both (rounded) windows
    expect(queryPeriodSeconds({ longWindowMinutes: 14, shortWindowMinutes: 1 }, 300)).toBe(60);
    expect(queryPeriodSeconds({ longWindowMinutes: 168, shortWindowMinutes: 14 }, 900)).toBe(840);
    expect(queryPeriodSeconds({ longWindowMinutes: 60, shortWindowMinutes: 5 }, 3600)).toBe(300);
    expect(queryPeriodSeconds({ longWindowMinutes: 1008, shortWindowMinutes: 84 }, 2520)).toBe(2520);
    expect(queryPeriodSeconds({ longWindowMinutes: 1008, shortWindowMinutes: 84 }, 1800)).toBe(1680);
    // a long window at a short period is split by datapoints (100,800 per call ÷ 2 metrics ÷ points per series)
    expect(maxTenantsPerRule({ longWindowMinutes: 3 * 24 * 60 }, 3600)).toBe(250);
    expect(maxTenantsPerRule({ longWindowMinutes: 9 * 24 * 60 }, 3600)).toBe(233);
  });

  test('the short window reads the newest bucket of a resampled grid (a sparse bad metric cannot reuse an old bucket)', () => {
    const rule = allRules(testFleet()).find((r) => r.sli === 'availability' && r.window.id === 'page-6h')!;
    const stage = (refId: string) => rule.stages.find((s) => s.refId === refId)!.model;
    expect(stage('I')).toMatchObject({ type: 'resample', expression: 'A', window: '30m', downsampler: 'sum', upsampler: 'fillna' });
    expect(stage('E')).toMatchObject({ type: 'reduce', expression: 'I', reducer: 'last', settings: { mode: 'replaceNN', replaceWithValue: 0 } });
    expect(stage('C')).toMatchObject({ type: 'reduce', expression: 'A', reducer: 'sum' });
  });

  test('listed tenants are ordered so Grafana labels each series with the exact tenant (substring-safe)', () => {
    const fleet = withTenants(testFleet(), [goldTenant('orders-eu'), goldTenant('orders'), goldTenant('big-orders'), testTenant('acme')]);
    const rule = allRules(fleet).find((r) => r.sli === 'availability' && r.sloClass.target === 0.9995)!;
    const listed = (rule.stages[0].model.dimensions as Record<string, string[]>).Tenant;
    expect(listed).toEqual(['orders', 'orders-eu', 'big-orders']);
    // Grafana's rule: the last listed value equal to or contained in the series label wins
    const labelFor = (seriesLabel: string) => listed.filter((v) => seriesLabel.includes(v)).pop();
    for (const id of listed) expect(labelFor(id)).toBe(id);
  });

  test('labels carry tenant, slo and severity; annotations carry summary, dashboard and runbook links', () => {
    const rule = allRules(testFleet()).find((r) => r.sli === 'latency' && r.window.id === 'ticket-3d')!;
    expect(rule.labels).toMatchObject({ tenant: '{{ $labels.Tenant }}', slo: 'latency', severity: 'ticket' });
    expect(rule.annotations.summary).toContain('latency');
    expect(rule.annotations.dashboard_url).toBe('/d/flota-tenant-detail/tenant-detail?var-tenant={{ $labels.Tenant }}');
    expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/flota/latency');
  });
});

describe('burn-rate condition and minimum-traffic guard', () => {
  const page1h = (): SloAlertRule => allRules(testFleet()).find((r) => r.sli === 'availability' && r.window.id === 'page-1h')!;

  test('fires when both windows reach 14.4× burn (1.44 % errors at 99.9 %) with enough traffic', () => {
    expect(fires(page1h(), { badLong: 15, totalLong: 1000, badShort: 2, totalShort: 100 })).toBe(true);
  });

  test('does not fire when only the long window burns (the short window has recovered)', () => {
    expect(fires(page1h(), { badLong: 15, totalLong: 1000, badShort: 1, totalShort: 100 })).toBe(false);
  });

  test('does not fire just below the threshold', () => {
    expect(fires(page1h(), { badLong: 14, totalLong: 1000, badShort: 2, totalShort: 100 })).toBe(false);
  });

  test('minimum-traffic guard: a low-volume tenant does not page on one error', () => {
    // 1 error in 3 requests is a 33 % error ratio, far above 1.44 %, but below minEventsPerWindow (100)
    expect(fires(page1h(), { badLong: 1, totalLong: 3, badShort: 1, totalShort: 1 })).toBe(false);
    expect(fires(page1h(), { badLong: 34, totalLong: 100, badShort: 1, totalShort: 3 })).toBe(true);
  });

  test('the guard follows the model (minEventsPerWindow)', () => {
    const base = testFleet();
    const fleet = { ...base, tenants: base.tenants.map((t) => ({ ...t, slo: { ...t.slo, minEventsPerWindow: 5 } })) };
    const rule = allRules(fleet).find((r) => r.sli === 'availability' && r.window.id === 'page-1h')!;
    expect(fires(rule, { badLong: 1, totalLong: 5, badShort: 1, totalShort: 2 })).toBe(true);
  });

  test('no traffic never fires (0/0 is not a burn)', () => {
    expect(fires(page1h(), { badLong: 0, totalLong: 0, badShort: 0, totalShort: 0 })).toBe(false);
  });
});
