import * as path from 'node:path';
import { testFleet, testTenant } from '../testing/fleet-model';
import { loadFleet } from '..';
import { ALERT_EVALUATION_BUDGET_USD, customMetricCount, customMetricsUsd, observabilityCost, PRICING } from './alerting-cost';
import { generateFleet } from './generated-fleet';
import { shippedTenantCount } from '../testing/shipped-fleet';

describe('observabilityCost', () => {
  test('alert evaluation = Σ groups (evaluations/month × series per evaluation) × $0.01/1,000, worked by hand for 2 tenants', () => {
    const cost = observabilityCost(testFleet(['acme', 'globex']));
    // one class per SLI → 3 rules per group; each rule reads bad + total for 2 tenants = 4 series → 12 per evaluation
    expect(cost.alertEvaluation.groups.map((g) => [g.name, g.rules, g.metricsPerEvaluation])).toEqual([
      ['slo-page-1h', 3, 12],
      ['slo-page-6h', 3, 12],
      ['slo-ticket-1d', 3, 12],
      ['slo-ticket-3d', 3, 12],
    ]);
    const evaluations = [300, 900, 1800, 3600].reduce((n, interval) => n + PRICING.secondsPerMonth / interval, 0); // 13,870
    expect(cost.alertEvaluation.metricsPerMonth).toBeCloseTo(12 * evaluations, 6);
    expect(cost.alertEvaluation.usdPerMonth).toBeCloseTo((12 * evaluations * 0.01) / 1000, 6);
  });

  test('custom metrics: 10 EMF metric names × ([Service] + one [Service, Tenant] per tenant) + 2 access-log metrics per tenant, tiered prices', () => {
    expect(customMetricCount(50)).toEqual({ metricNames: 12, count: 610 });
    expect(customMetricsUsd(610)).toBeCloseTo(183, 6);
    expect(customMetricsUsd(10_000 + 1000)).toBeCloseTo(3000 + 100, 6); // second tier at $0.10
  });

  test('the shipped fleet stays within the $50/month alert-evaluation target', () => {
    const cost = observabilityCost(loadFleet(path.join(__dirname, '..', '..', 'tenants')));
    expect(cost.tenants).toBe(shippedTenantCount());
    expect(cost.alertEvaluation.usdPerMonth).toBeLessThanOrEqual(ALERT_EVALUATION_BUDGET_USD);
  });

  test('rules grow with SLO classes; series (and so cost) grow linearly with tenants', () => {
    const base = testFleet(['acme', 'globex']);
    const small = observabilityCost(generateFleet(base, 10));
    const large = observabilityCost(generateFleet(base, 100));
    expect(large.alertRules).toBe(small.alertRules);
    expect(large.alertEvaluation.usdPerMonth / small.alertEvaluation.usdPerMonth).toBeCloseTo(10, 6);
    const gold = testTenant('initech', { tier: 'gold' });
    const withClass = observabilityCost({ ...base, tenants: [...base.tenants, { ...gold, slo: { ...gold.slo, availability: { target: 0.9995, errorBudget: 0.0005 } } }] });
    expect(withClass.alertRules).toBe(observabilityCost(base).alertRules + 4);
  });
});
