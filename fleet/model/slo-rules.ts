/**
 * SLO alert rules as data, derived from the fleet model. Pure: the observability stack turns them into
 * grafana_rule_group resources, `flota cost` prices them; routing lives in alert-routing.ts.
 *
 * Cost design. CloudWatch bills GetMetricData per metric requested, and every alert rule evaluation is a GetMetricData
 * call. Rules are therefore multi-dimensional: ONE rule per (SLI, window pair, SLO class) whose query returns one series
 * per tenant of that class (Grafana turns each series into its own alert instance, labelled by tenant). The number of
 * rules and queries grows with the number of distinct SLO classes (target × SLO window × minimum traffic), not with the
 * number of tenants; only the series count (unavoidably one per tenant) grows with the fleet. A class larger than what
 * one SEARCH may return or spell out is split into chunks of sorted tenant ids.
 *
 * Each rule reads each metric ONCE for both windows: the query's range is the LONG window and its period is the largest
 * whole minute that divides both windows and is ≤ the group's evaluation interval (`queryPeriodSeconds`), so `sum` over
 * the range is the long-window count and a `sum` resample onto the short-window grid, read with `last`, is the
 * short-window count. That halves the metrics requested compared with one query per window (cost is per metric, not
 * per datapoint). The period is ≤ the interval because CloudWatch returns period-aligned buckets that START inside the
 * range: with period P the long-window sum covers between L − P and L, so P = the short window made the tickets fire up
 * to one short window early (3×: 22 h 30 m instead of 24 h).
 */
import { SLI, type SliName } from '../../contract/telemetry';
import { tenantDetailPath } from './dashboard-links';
import {
  CLOUDWATCH_LIMITS,
  cloudWatchTarget,
  planTenantSelections,
  tenantMetric,
  type CloudWatchTarget,
  type MetricQuerySpec,
  type TenantSelection,
} from './cloudwatch-queries';
import { burnRateThresholds, type AlertSeverity, type BurnRateThreshold } from './slo-windows';
import type { FleetModel } from './types';

export const SLI_NAMES: readonly SliName[] = ['availability', 'latency', 'freshness'];

/**
 * How often each window pair's rule group is evaluated, in seconds. Data, with the reasoning: the fastest page is
 * evaluated once per short window (5 m), which bounds detection delay to 5 min (0.17 % of a 30-day budget at burn
 * 14.4) while keeping evaluation cost at 1/5 of a 1-minute schedule; slower pairs are evaluated at least twice per
 * short window. Unknown ids (other SLO windows scale the windows, not the ids) fall back to half the short window.
 */
export const EVALUATION_INTERVAL_SECONDS: Readonly<Record<string, number>> = {
  'page-1h': 300,
  'page-6h': 900,
  'ticket-1d': 1800,
  'ticket-3d': 3600,
};

/**
 * Query range ends this many seconds before evaluation: EMF metrics arrive ~1 min late, and a half-filled newest
 * bucket would under-count the short window.
 */
export const QUERY_END_OFFSET_SECONDS = 60;

/** Evaluation interval of a window pair's rule group (seconds): the table above, else half the short window (≥ 60 s). */
export function evaluationIntervalSeconds(window: Pick<BurnRateThreshold, 'id' | 'shortWindowMinutes'>): number {
  return EVALUATION_INTERVAL_SECONDS[window.id] ?? Math.max(60, (window.shortWindowMinutes * 60) / 2);
}

/**
 * Period of a rule's queries (seconds): the largest whole number of minutes that divides both windows (so the range
 * is whole periods and every short window is whole periods of the resample grid) and is ≤ the evaluation interval
 * (so the period-aligned buckets starting inside the range miss at most one interval of the long window). CloudWatch
 * periods of a minute or more are whole minutes; 60 s always qualifies.
 */
export function queryPeriodSeconds(window: Pick<BurnRateThreshold, 'longWindowMinutes' | 'shortWindowMinutes'>, intervalSeconds: number): number {
  const common = gcd(window.longWindowMinutes, window.shortWindowMinutes);
  for (let minutes = Math.min(common, Math.max(1, Math.floor(intervalSeconds / 60))); minutes > 1; minutes--) {
    if (common % minutes === 0) return minutes * 60;
  }
  return 60;
}

/** Datapoints one series of a rule query returns: the buckets of `period` starting in a range of the long window. */
export function datapointsPerSeries(window: Pick<BurnRateThreshold, 'longWindowMinutes'>, periodSeconds: number): number {
  return Math.ceil((window.longWindowMinutes * 60) / periodSeconds);
}

/**
 * Tenants one rule may evaluate: two metrics per tenant in one GetMetricData call, which reads ≤ 500 metrics and returns
 * ≤ 100,800 datapoints (metrics × datapoints per series).
 */
export function maxTenantsPerRule(window: Pick<BurnRateThreshold, 'longWindowMinutes'>, periodSeconds: number): number {
  const metricsPerTenant = 2;
  const byDatapoints = Math.floor(CLOUDWATCH_LIMITS.maxDatapointsPerGetMetricData / (metricsPerTenant * datapointsPerSeries(window, periodSeconds)));
  const max = Math.min(Math.floor(CLOUDWATCH_LIMITS.maxMetricsPerGetMetricData / metricsPerTenant), byDatapoints);
  if (max < 1) throw new RangeError(`a ${window.longWindowMinutes}-minute window at a ${periodSeconds}s period exceeds one GetMetricData call even for one tenant`);
  return max;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** An SLO class: tenants that share an objective for one SLI and therefore share alert rules. */
export interface SloClass {
  /** Stable id derived from the objective (never from order): e.g. availability-99.9-30d-min100. */
  readonly id: string;
  readonly sli: SliName;
  readonly target: number;
  readonly windowDays: number;
  readonly minEventsPerWindow: number;
  /** Sorted. */
  readonly tenantIds: readonly string[];
}

export function sloClasses(model: FleetModel): readonly SloClass[] {
  const classes = new Map<string, { sli: SliName; target: number; windowDays: number; minEventsPerWindow: number; tenantIds: string[] }>();
  for (const tenant of model.tenants) {
    for (const sli of SLI_NAMES) {
      const target = tenant.slo[sli].target;
      const id = `${sli}-${formatPercent(target)}-${tenant.slo.windowDays}d-min${tenant.slo.minEventsPerWindow}`;
      const entry = classes.get(id) ?? {
        sli,
        target,
        windowDays: tenant.slo.windowDays,
        minEventsPerWindow: tenant.slo.minEventsPerWindow,
        tenantIds: [],
      };
      entry.tenantIds.push(tenant.id);
      classes.set(id, entry);
    }
  }
  return [...classes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, c]) => ({ id, ...c, tenantIds: [...c.tenantIds].sort() }));
}

/** One stage of a Grafana alert rule (`rule.data`). */
export interface RuleStage {
  readonly refId: string;
  /** The CloudWatch data source uid, or "__expr__" for server-side expressions. */
  readonly datasourceUid: string;
  /**
   * Seconds before evaluation. Datasource queries need from > to (Grafana rejects the rule otherwise). Expressions
   * ignore it, except resample: Grafana resamples onto a grid spanning the stage's OWN range (0/0 fails with "the series
   * cannot be sampled further; the time range is shorter than the interval"), so a resample stage carries the range of
   * the query it reads.
   */
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  readonly model: Readonly<Record<string, unknown>>;
}

export interface SloAlertRule {
  /** ≤ 40 characters (Grafana's limit), stable across runs. */
  readonly uid: string;
  /** Unique within the folder. */
  readonly title: string;
  readonly sli: SliName;
  readonly sloClass: SloClass;
  readonly window: BurnRateThreshold;
  readonly selection: TenantSelection;
  /** Tenants this rule evaluates (the selection resolved). */
  readonly tenantIds: readonly string[];
  /** The metric queries (bad and total), for cost and limit checks. */
  readonly queries: readonly MetricQuerySpec[];
  readonly stages: readonly RuleStage[];
  /** refId of the stage that decides. */
  readonly condition: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly noDataState: 'OK';
  readonly execErrState: 'Error';
}

export interface SloRuleGroup {
  /** Rule group name, e.g. "slo-page-1h". */
  readonly name: string;
  readonly windowId: string;
  readonly severity: AlertSeverity;
  readonly intervalSeconds: number;
  readonly rules: readonly SloAlertRule[];
}

export interface AlertingOptions {
  /** Grafana base URL (or a Terraform reference to it) prefixed to dashboard links; '' keeps links relative. */
  readonly grafanaUrl?: string;
}

/** Label names the rules set and the routing tree matches. */
export const ALERT_LABEL = { tenant: 'tenant', slo: 'slo', severity: 'severity', sloClass: 'slo_class', window: 'window' } as const;

/** Rule groups (one per window pair), each holding the multi-dimensional rules of every SLO class. */
export function sloRuleGroups(model: FleetModel, options: AlertingOptions = {}): readonly SloRuleGroup[] {
  const fleetIds = model.tenants.map((t) => t.id);
  const byWindow = new Map<string, { severity: AlertSeverity; intervalSeconds: number; rules: SloAlertRule[] }>();
  for (const sloClass of sloClasses(model)) {
    const { service, bad, total } = SLI[sloClass.sli];
    const thresholds = burnRateThresholds(sloClass.target, sloClass.windowDays).filter((t) => t.attainable);
    for (const window of thresholds) {
      const intervalSeconds = evaluationIntervalSeconds(window);
      const period = queryPeriodSeconds(window, intervalSeconds);
      const render = (selection: TenantSelection): MetricQuerySpec[] => [
        tenantMetric(service, bad, 'Sum', selection, period),
        tenantMetric(service, total, 'Sum', selection, period),
      ];
      // two metrics per tenant must fit one GetMetricData call (500 metrics, 100,800 datapoints)
      const selections = planTenantSelections(fleetIds, sloClass.tenantIds, maxTenantsPerRule(window, period), render);
      selections.forEach((selection, chunk) => {
        const rule = sloRule(model, sloClass, window, selection, chunk, selections.length, render(selection), options);
        const group = byWindow.get(window.id) ?? { severity: window.severity, intervalSeconds, rules: [] };
        group.rules.push(rule);
        byWindow.set(window.id, group);
      });
    }
  }
  return [...byWindow.entries()].map(([windowId, g]) => ({ name: `slo-${windowId}`, windowId, ...g }));
}

function sloRule(
  model: FleetModel,
  sloClass: SloClass,
  window: BurnRateThreshold,
  selection: TenantSelection,
  chunk: number,
  chunks: number,
  queries: readonly MetricQuerySpec[],
  options: AlertingOptions,
): SloAlertRule {
  const [badQuery, totalQuery] = queries;
  const range = { from: window.longWindowMinutes * 60 + QUERY_END_OFFSET_SECONDS, to: QUERY_END_OFFSET_SECONDS };
  const threshold = window.errorRatioThreshold;
  const min = sloClass.minEventsPerWindow;
  const stages: RuleStage[] = [
    cloudWatchStage(cloudWatchTarget('A', model.region, badQuery, { label: "${PROP('Dim.Tenant')}" }), range),
    cloudWatchStage(cloudWatchTarget('B', model.region, totalQuery, { label: "${PROP('Dim.Tenant')}" }), range),
    reduceStage('C', 'A', 'sum', 'dropNN'), // bad events, long window
    reduceStage('D', 'B', 'sum', 'dropNN'), // all events, long window (also the minimum-traffic guard)
    // The short window is several periods: resample onto the short-window grid, summing the periods of each window
    // (downsampler sum). CloudWatch also returns no point for a period without data (ServerErrors is only emitted on
    // errors), so `last` of the raw series could be an old bucket; on the grid an empty window → NaN → 0.
    resampleStage('I', 'A', window.shortWindowMinutes, range),
    resampleStage('J', 'B', window.shortWindowMinutes, range),
    reduceStage('E', 'I', 'last', 'replaceNN'), // bad events, short window (newest bucket; none = 0)
    reduceStage('F', 'J', 'last', 'replaceNN'), // all events, short window
    // Guards FIRST: Grafana's && short-circuits on a 0 left operand before its NaN check (pkg/expr/mathexp/exp.go
    // binaryOp), so no 0/0 is ever evaluated. Ratios first would let an empty short window ($E/$F = 0/0 = NaN) pass
    // every && and, on Grafana 10.4's math threshold (NaN > 0 → NaN → Alerting), page a tenant under the guard.
    mathStage('G', `($D >= ${Math.max(1, min)}) && ($F > 0) && ($C / $D >= ${threshold}) && ($E / $F >= ${threshold})`),
    thresholdStage('H', 'G'),
  ];
  const tenantLabel = '{{ $labels.Tenant }}';
  const suffix = chunks > 1 ? ` #${chunk + 1}` : '';
  const grafanaUrl = options.grafanaUrl ?? '';
  return {
    uid: `${sloClass.sli.slice(0, 5)}-${window.id}-${shortHash(`${sloClass.id}|${window.id}|${chunk}`)}${chunks > 1 ? `-${chunk + 1}` : ''}`,
    title: `SLO ${sloClass.sli} ${window.id} ${formatPercent(sloClass.target)}% ${sloClass.windowDays}d min${min}${suffix}`,
    sli: sloClass.sli,
    sloClass,
    window,
    selection,
    tenantIds: selection.kind === 'all' ? sloClass.tenantIds : selection.tenantIds,
    queries,
    stages,
    condition: 'H',
    labels: {
      [ALERT_LABEL.tenant]: tenantLabel,
      [ALERT_LABEL.slo]: sloClass.sli,
      [ALERT_LABEL.severity]: window.severity,
      [ALERT_LABEL.sloClass]: sloClass.id,
      [ALERT_LABEL.window]: window.id,
    },
    annotations: {
      summary:
        `${tenantLabel}: ${sloClass.sli} error budget burning ≥ ${window.burnRate}× ` +
        `(error ratio ≥ ${formatPercent(threshold)}% over ${formatMinutes(window.longWindowMinutes)} and ${formatMinutes(window.shortWindowMinutes)}; ` +
        `SLO ${formatPercent(sloClass.target)}% over ${sloClass.windowDays}d)`,
      description:
        `At this rate ${Math.round(window.budgetShare * 100)}% of the ${sloClass.windowDays}-day error budget is gone within ` +
        `${formatMinutes(window.longWindowMinutes)}. Fires only with ≥ ${min} events in the long window.`,
      dashboard_url: `${grafanaUrl}${tenantDetailPath(tenantLabel)}`,
      runbook_url: `${model.observability.runbookBaseUrl}/${sloClass.sli}`,
    },
    noDataState: 'OK',
    execErrState: 'Error',
  };
}

function cloudWatchStage(target: CloudWatchTarget, range: { from: number; to: number }): RuleStage {
  return { refId: target.refId, datasourceUid: target.datasource.uid, relativeTimeRange: range, model: { ...target } };
}

const EXPRESSION_DATASOURCE = { type: '__expr__', uid: '__expr__' } as const;

/** A server-side expression stage: the expression data source, then the expression's own fields (range 0/0 unless given). */
function expressionStage(refId: string, fields: Readonly<Record<string, unknown>>, range = { from: 0, to: 0 }): RuleStage {
  return {
    refId,
    datasourceUid: EXPRESSION_DATASOURCE.uid,
    relativeTimeRange: range,
    model: { refId, datasource: EXPRESSION_DATASOURCE, ...fields },
  };
}

function reduceStage(refId: string, input: string, reducer: 'sum' | 'last', mode: 'dropNN' | 'replaceNN'): RuleStage {
  return expressionStage(refId, {
    type: 'reduce',
    expression: input,
    reducer,
    settings: mode === 'replaceNN' ? { mode, replaceWithValue: 0 } : { mode },
  });
}

/**
 * Resample `input` onto a `windowMinutes` grid. `range` must be the input query's range: Grafana's ResampleCommand
 * builds the grid from the stage's own relativeTimeRange (from, from + window, …, to), so the grid's last point is the
 * query's end and `last` reads the newest short window.
 */
function resampleStage(refId: string, input: string, windowMinutes: number, range: { from: number; to: number }): RuleStage {
  return expressionStage(
    refId,
    { type: 'resample', expression: input, window: `${windowMinutes}m`, downsampler: 'sum', upsampler: 'fillna' },
    range,
  );
}

function mathStage(refId: string, expression: string): RuleStage {
  return expressionStage(refId, { type: 'math', expression });
}

function thresholdStage(refId: string, input: string): RuleStage {
  return expressionStage(refId, { type: 'threshold', expression: input, conditions: [{ evaluator: { type: 'gt', params: [0] } }] });
}


export function formatPercent(fraction: number): string {
  return String(Math.round(fraction * 100 * 1e6) / 1e6);
}

function formatMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** FNV-1a, 8 hex chars: a short, stable, dependency-free id suffix (not for security). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
