/**
 * CloudWatch queries as Grafana's CloudWatch data source models them, shared by alert rules and dashboards.
 *
 * Queries use the data source's *builder* mode with a multi-valued `Tenant` dimension (`"*"` or a list of ids): Grafana
 * turns that into one SEARCH expression and labels each returned series with its dimension values (`Tenant=acme`),
 * which is what multi-dimensional alert rules need (one alert instance per tenant) and what lets one query cover the
 * fleet. `equivalentSearch()` spells out the SEARCH Grafana sends, so limits can be checked here, before deploying.
 *
 * CloudWatch limits that shape the plan (see /work/shared/reference/cloudwatch-and-slo.md):
 * - a SEARCH returns at most 500 series, and a GetMetricData call reads at most 500 metrics and returns at most 100,800
 *   datapoints;
 * - a search expression is at most 1,024 characters and a graph holds at most 100 of them ("Search expression
 *   limits", CloudWatch user guide; GetMetricData itself accepts 2,048 characters per expression);
 * - cost is $0.01 per 1,000 metrics requested, so a SEARCH returning n series costs n metrics.
 */
import { DIMENSION, METRICS_NAMESPACE, type ServiceName } from '../../contract/telemetry';

export const CLOUDWATCH_LIMITS = {
  maxSeriesPerSearch: 500,
  maxMetricsPerGetMetricData: 500,
  /** Datapoints a GetMetricData call returns (metrics × datapoints per series). */
  maxDatapointsPerGetMetricData: 100_800,
  maxSearchExpressionChars: 1024,
  /** SEARCH expressions per graph (one Grafana panel = one graph). */
  maxSearchesPerGraph: 100,
} as const;

/** UID of the CloudWatch data source the observability stack creates; dashboards and rules reference it. */
export const CLOUDWATCH_DATASOURCE_UID = 'flota-cloudwatch';

/** Which tenants a per-tenant query returns. `all` lists no ids: the query follows the fleet without edits. */
export type TenantSelection = { readonly kind: 'all' } | { readonly kind: 'include'; readonly tenantIds: readonly string[] };

export interface MetricQuerySpec {
  readonly namespace: string;
  readonly metricName: string;
  /** Fixed dimensions, e.g. { Service: 'api' } or { QueueName: 'flota-acme-ingest' }. */
  readonly dimensions: Readonly<Record<string, string | readonly string[]>>;
  readonly statistic: string;
  /** Seconds; '' lets Grafana choose from the time range. */
  readonly periodSeconds?: number;
}

/** Grafana's CloudWatch metrics query model (the JSON a panel target / alert `data.model` holds). */
export interface CloudWatchTarget {
  readonly refId: string;
  readonly datasource: { readonly type: 'cloudwatch'; readonly uid: string };
  readonly queryMode: 'Metrics';
  /** 0 = search/builder, 1 = Metrics Insights. */
  readonly metricQueryType: 0;
  /** 0 = builder (Grafana builds the SEARCH and labels series by dimension). */
  readonly metricEditorMode: 0;
  readonly id: string;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string | string[]>;
  readonly matchExact: boolean;
  readonly statistic: string;
  readonly period: string;
  readonly label: string;
  readonly expression: '';
  readonly hide?: boolean;
}

export function cloudWatchTarget(
  refId: string,
  region: string,
  spec: MetricQuerySpec,
  options: { readonly label?: string; readonly hide?: boolean } = {},
): CloudWatchTarget {
  const dimensions: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(spec.dimensions)) dimensions[key] = typeof value === 'string' ? value : labelSafeOrder(value);
  return {
    refId,
    datasource: { type: 'cloudwatch', uid: CLOUDWATCH_DATASOURCE_UID },
    queryMode: 'Metrics',
    metricQueryType: 0,
    metricEditorMode: 0,
    id: refId.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]/, 'q'),
    region,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions,
    matchExact: true,
    statistic: spec.statistic,
    period: spec.periodSeconds === undefined ? '' : String(spec.periodSeconds),
    label: options.label ?? '',
    expression: '',
    ...(options.hide ? { hide: true } : {}),
  };
}

/**
 * Grafana's CloudWatch backend (pkg/tsdb/cloudwatch, `getLabels`) labels a series of a multi-valued dimension by
 * walking the listed values and keeping the LAST one that equals or is contained in the series label (our label is
 * the tenant id, `${PROP('Dim.Tenant')}`). Ordering values by length (then name) makes the exact id the last match,
 * so tenant "orders" never labels the series of tenant "orders-eu" or "big-orders".
 */
export function labelSafeOrder(values: readonly string[]): string[] {
  return [...values].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** A flota metric with [Service, Tenant] dimensions for the selected tenants. */
export function tenantMetric(
  service: ServiceName,
  metricName: string,
  statistic: string,
  selection: TenantSelection,
  periodSeconds?: number,
): MetricQuerySpec {
  return {
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensions: { [DIMENSION.service]: service, [DIMENSION.tenant]: selection.kind === 'all' ? '*' : selection.tenantIds },
    statistic,
    ...(periodSeconds === undefined ? {} : { periodSeconds }),
  };
}

/** A flota metric with the [Service] dimension set only: fleet-wide, true percentiles. */
export function fleetMetric(service: ServiceName, metricName: string, statistic: string, periodSeconds?: number): MetricQuerySpec {
  return {
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensions: { [DIMENSION.service]: service },
    statistic,
    ...(periodSeconds === undefined ? {} : { periodSeconds }),
  };
}

/** True when the query returns one series per value of some dimension (a `*` or a list), i.e. it is a SEARCH. */
export function isMultiSeries(spec: MetricQuerySpec): boolean {
  return Object.values(spec.dimensions).some((v) => v === '*' || (typeof v !== 'string' && v.length > 1));
}

/** Upper bound of series (= metrics requested) a query returns for a fleet of `fleetSize` tenants. */
export function maxSeries(spec: MetricQuerySpec, fleetSize: number): number {
  let series = 1;
  for (const value of Object.values(spec.dimensions)) {
    if (value === '*') series *= fleetSize;
    else if (typeof value !== 'string') series *= value.length;
  }
  return Math.min(series, CLOUDWATCH_LIMITS.maxSeriesPerSearch);
}

/**
 * The SEARCH expression Grafana's builder sends for a multi-valued query (for length checks and docs), mirroring
 * Grafana's `buildSearchExpression` (pkg/tsdb/cloudwatch): sorted known dimensions as `"Key"="v"` or
 * `"Key"=("a" OR "b")`, wildcard dimensions only in the schema. Single-valued queries are plain metric stats.
 */
export function equivalentSearch(spec: MetricQuerySpec): string | undefined {
  if (!isMultiSeries(spec)) return undefined;
  const keys = Object.keys(spec.dimensions).sort();
  const schema = [spec.namespace, ...keys].map((k) => `"${k}"`).join(',');
  const quote = (v: string): string => `"${v.replace(/"/g, '\\"')}"`;
  const terms = keys.flatMap((key) => {
    const value = spec.dimensions[key];
    if (value === '*') return [];
    if (typeof value === 'string') return [`"${key}"=${quote(value)}`];
    return [`"${key}"=${value.length > 1 ? `(${value.map(quote).join(' OR ')})` : quote(value[0] ?? '')}`];
  });
  const filter = [`MetricName="${spec.metricName}"`, ...terms].join(' ');
  return `REMOVE_EMPTY(SEARCH('{${schema}} ${filter}', '${spec.statistic}', ${spec.periodSeconds ?? 300}))`;
}

/**
 * Split tenants into selections so that each query stays within CloudWatch's limits:
 * ≤ `maxTenants` tenants (callers pass 500 ÷ metrics-per-tenant) and a SEARCH of ≤ 1,024 characters.
 * When every tenant of the fleet fits in one query the selection is `all` (no ids listed, so new tenants appear with no
 * edit); otherwise ids are listed in sorted chunks (derived from ids, never from file order).
 */
export function planTenantSelections(
  fleetTenantIds: readonly string[],
  selectedIds: readonly string[],
  maxTenants: number,
  render: (selection: TenantSelection) => readonly MetricQuerySpec[],
): readonly TenantSelection[] {
  if (maxTenants < 1) throw new RangeError(`maxTenants must be ≥ 1 (got ${maxTenants})`);
  const selected = [...new Set(selectedIds)].sort();
  if (selected.length === 0) return [];
  const fleet = new Set(fleetTenantIds);
  const coversFleet = selected.length === fleet.size && selected.every((id) => fleet.has(id));
  if (coversFleet && selected.length <= maxTenants) return [{ kind: 'all' }];
  const fits = (ids: readonly string[]): boolean =>
    ids.length <= maxTenants &&
    render({ kind: 'include', tenantIds: ids }).every(
      (spec) => (equivalentSearch(spec)?.length ?? 0) <= CLOUDWATCH_LIMITS.maxSearchExpressionChars,
    );
  const chunks: TenantSelection[] = [];
  let current: string[] = [];
  // fits() renders the queries, so each id is tested once (twice only when it starts a new chunk)
  for (const id of selected) {
    const candidate = [...current, id];
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    const alone = [id];
    if (current.length === 0 || !fits(alone)) {
      throw new RangeError(`tenant id '${id}' alone makes a SEARCH longer than ${CLOUDWATCH_LIMITS.maxSearchExpressionChars} characters`);
    }
    chunks.push({ kind: 'include', tenantIds: current });
    current = alone;
  }
  if (current.length > 0) chunks.push({ kind: 'include', tenantIds: current });
  return chunks;
}
