/**
 * Monthly CloudWatch cost of flota's observability, as a pure function of the fleet model (what `flota cost` prints;
 * the formula is documented in docs/observability.md).
 *
 * 1. Alert evaluation. Every evaluation of a rule is a GetMetricData call, billed per metric requested:
 *      Σ over rule groups ( evaluations per month × Σ over its rules, Σ over queries: series returned )
 *      × $0.01 / 1,000
 *    with evaluations per month = seconds per month ÷ interval_seconds, and series returned = tenants selected (a
 *    SEARCH returns one series per tenant that has data: the estimate assumes every tenant has data, the worst case).
 *    Operational alarms (ops-alarms.ts) are priced the same way, as their own rule groups: one series (= one metric
 *    requested) per tenant resource per evaluation.
 * 2. Custom metrics. Embedded Metric Format bills each (metric name, dimension set, dimension values) as one custom
 *    metric per month: every flota metric is emitted with [Service] (once for the fleet) and [Service, Tenant] (once
 *    per tenant), and the two availability metrics that metric filters count from each tenant's API access log with
 *    [Service, Tenant] only, priced with CloudWatch's tiers ($0.30 for the first 10,000, $0.10 up to 250,000, $0.05 up to
 *    1,000,000, $0.02 above).
 * Prices: CloudWatch us-east-1 / eu-west-1 list prices; other regions differ slightly.
 */
import { API_METRIC, GATEWAY_METRIC, INGEST_METRIC } from '../../contract/telemetry';
import { sloClasses, sloRuleGroups } from './slo-rules';
import { opsAlarmClasses, opsAlarmGroups } from './ops-alarms';
import { maxSeries, type MetricQuerySpec } from './cloudwatch-queries';
import type { FleetModel } from './types';

export const PRICING = {
  /** USD per 1,000 metrics requested by GetMetricData. */
  getMetricDataPer1000Metrics: 0.01,
  /** USD per custom metric-month, by tier (upper bound of the tier in metrics). */
  customMetricTiers: [
    { upTo: 10_000, usdPerMetricMonth: 0.3 },
    { upTo: 250_000, usdPerMetricMonth: 0.1 },
    { upTo: 1_000_000, usdPerMetricMonth: 0.05 },
    { upTo: Number.POSITIVE_INFINITY, usdPerMetricMonth: 0.02 },
  ],
  /** AWS bills a month as 730 hours. */
  secondsPerMonth: 730 * 3600,
} as const;

/** The target for alert evaluation at 50 tenants. */
export const ALERT_EVALUATION_BUDGET_USD = 50;

export interface RuleGroupCost {
  readonly name: string;
  readonly rules: number;
  readonly intervalSeconds: number;
  readonly evaluationsPerMonth: number;
  readonly metricsPerEvaluation: number;
  readonly metricsPerMonth: number;
  readonly usdPerMonth: number;
}

export interface EvaluationCost {
  readonly groups: readonly RuleGroupCost[];
  readonly metricsPerMonth: number;
  readonly usdPerMonth: number;
}

export interface ObservabilityCost {
  readonly tenants: number;
  readonly sloClasses: number;
  readonly alertRules: number;
  /** SLO burn-rate rules (the $50-at-50-tenants target applies to these). */
  readonly alertEvaluation: EvaluationCost;
  /** Operational alarms: classes = (alarm, threshold, severity). */
  readonly opsAlarms: EvaluationCost & { readonly classes: number; readonly rules: number };
  readonly customMetrics: { readonly metricNames: number; readonly count: number; readonly usdPerMonth: number };
  readonly totalUsdPerMonth: number;
}

export function customMetricCount(tenants: number): { metricNames: number; count: number } {
  const emitted = Object.keys(API_METRIC).length + Object.keys(INGEST_METRIC).length;
  const gateway = Object.keys(GATEWAY_METRIC).length;
  // EMF: [Service] once for the fleet + [Service, Tenant] once per tenant; access-log metric filters: [Service, Tenant] only
  return { metricNames: emitted + gateway, count: emitted * (1 + tenants) + gateway * tenants };
}

export function customMetricsUsd(count: number): number {
  let remaining = count;
  let lower = 0;
  let usd = 0;
  for (const tier of PRICING.customMetricTiers) {
    const inTier = Math.min(remaining, tier.upTo - lower);
    usd += inTier * tier.usdPerMetricMonth;
    remaining -= inTier;
    lower = tier.upTo;
    if (remaining <= 0) break;
  }
  return usd;
}

interface PricedGroup {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly rules: readonly { readonly queries: readonly MetricQuerySpec[] }[];
}

/** GetMetricData cost of rule groups: evaluations per month × metrics (series) per evaluation. */
export function evaluationCost(groups: readonly PricedGroup[], tenants: number): EvaluationCost {
  const priced: RuleGroupCost[] = groups.map((group) => {
    const metricsPerEvaluation = group.rules.reduce((n, rule) => n + rule.queries.reduce((m, q) => m + maxSeries(q, tenants), 0), 0);
    const evaluationsPerMonth = PRICING.secondsPerMonth / group.intervalSeconds;
    const metricsPerMonth = metricsPerEvaluation * evaluationsPerMonth;
    return {
      name: group.name,
      rules: group.rules.length,
      intervalSeconds: group.intervalSeconds,
      evaluationsPerMonth,
      metricsPerEvaluation,
      metricsPerMonth,
      usdPerMonth: (metricsPerMonth / 1000) * PRICING.getMetricDataPer1000Metrics,
    };
  });
  return {
    groups: priced,
    metricsPerMonth: priced.reduce((n, g) => n + g.metricsPerMonth, 0),
    usdPerMonth: priced.reduce((n, g) => n + g.usdPerMonth, 0),
  };
}

export function observabilityCost(fleet: FleetModel): ObservabilityCost {
  const tenants = fleet.tenants.length;
  const alertEvaluation = evaluationCost(sloRuleGroups(fleet), tenants);
  const opsGroups = opsAlarmGroups(fleet);
  const ops = evaluationCost(opsGroups, tenants);
  const custom = customMetricCount(tenants);
  const customUsd = customMetricsUsd(custom.count);
  return {
    tenants,
    sloClasses: sloClasses(fleet).length,
    alertRules: alertEvaluation.groups.reduce((n, g) => n + g.rules, 0),
    alertEvaluation,
    opsAlarms: { ...ops, classes: opsAlarmClasses(fleet).length, rules: ops.groups.reduce((n, g) => n + g.rules, 0) },
    customMetrics: { ...custom, usdPerMonth: customUsd },
    totalUsdPerMonth: alertEvaluation.usdPerMonth + ops.usdPerMonth + customUsd,
  };
}
