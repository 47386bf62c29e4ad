/**
 * Building blocks shared by the dashboard builders: CloudWatch targets, Grafana server-side expressions, physical-name
 * patterns and the SLO-state thresholds. Pure (no cdktf, no I/O).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { cloudWatchTarget, CLOUDWATCH_DATASOURCE_UID, type MetricQuerySpec } from '../fleet/model/cloudwatch-queries';
import { burnRateWindows } from '../fleet/model/slo-windows';
import type { FleetModel, TenantModel } from '../fleet/model/types';

export const CLOUDWATCH_DATASOURCE: dashboard.DataSourceRef = { type: 'cloudwatch', uid: CLOUDWATCH_DATASOURCE_UID };
/** Panels that mix CloudWatch queries with server-side expressions use Grafana's mixed data source. */
export const MIXED_DATASOURCE: dashboard.DataSourceRef = { type: 'datasource', uid: '-- Mixed --' };
export const EXPRESSION_DATASOURCE: dashboard.DataSourceRef = { type: '__expr__', uid: '__expr__' };

/** The drop-down on every flota dashboard that lists the others (all tagged `flota`), keeping the time range. */
export function flotaDashboardsLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('flota').type(dashboard.DashboardLinkType.Dashboards).tags(['flota']).asDropdown(true).keepTime(true);
}

/** Series label showing the tenant id (CloudWatch dynamic label). */
export const TENANT_LABEL = "${PROP('Dim.Tenant')}";

type Target = Record<string, unknown> & { refId: string };

/** Adapts a plain target object to the SDK's builder interface (the SDK has no builder for raw expression targets). */
export function asBuilder(target: Target): cog.Builder<cog.Dataquery> {
  return { build: () => target as unknown as cog.Dataquery };
}

export function cw(refId: string, fleet: FleetModel, spec: MetricQuerySpec, options: { label?: string; hide?: boolean } = {}): cog.Builder<cog.Dataquery> {
  return asBuilder({ ...cloudWatchTarget(refId, fleet.region, spec, options) });
}

/**
 * A CloudWatch query in code mode: a SEARCH or metric-math expression. `estimatedSeries` is how many metrics the
 * expression reads at a given fleet size; it is recorded on the target (`flotaEstimate`, ignored by Grafana) so the
 * query-limit test can check every panel without re-deriving it.
 */
export function cwExpression(
  refId: string,
  fleet: FleetModel,
  expression: string,
  options: { label?: string; hide?: boolean; period?: number; metricsRead: number; seriesReturned: number },
): cog.Builder<cog.Dataquery> {
  return asBuilder({
    refId,
    datasource: CLOUDWATCH_DATASOURCE,
    queryMode: 'Metrics',
    metricQueryType: 0,
    metricEditorMode: 1,
    id: refId.toLowerCase(),
    region: fleet.region,
    expression,
    period: options.period === undefined ? '' : String(options.period),
    label: options.label ?? '',
    ...(options.hide ? { hide: true } : {}),
    flotaEstimate: { metricsRead: options.metricsRead, seriesReturned: options.seriesReturned },
  });
}

export function math(refId: string, expression: string): cog.Builder<cog.Dataquery> {
  return asBuilder({ refId, datasource: EXPRESSION_DATASOURCE, type: 'math', expression });
}

export function reduce(refId: string, input: string, reducer: 'sum' | 'mean' | 'last' | 'max'): cog.Builder<cog.Dataquery> {
  return asBuilder({ refId, datasource: EXPRESSION_DATASOURCE, type: 'reduce', expression: input, reducer, settings: { mode: 'dropNN' } });
}

/**
 * Burn-rate colours for the status grid and SLO panels: green below 1 (the budget lasts the SLO window), amber from 1
 * (burning faster than the budget allows: ticket territory), red from the fastest page burn rate (14.4 at 30 days).
 */
export function burnRateThresholds(windowDays: number): cog.Builder<dashboard.ThresholdsConfig> {
  const pageBurn = burnRateWindows(windowDays)[0].burnRate;
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: 1, color: 'orange' },
    { value: pageBurn, color: 'red' },
  ]);
}

/**
 * The name pattern of a per-tenant physical name with `$tenant` in place of the id, e.g. "flota-$tenant-ingest".
 * Fails if tenants' names do not follow one pattern (then the tenant dashboard could not address them by variable).
 */
export function namePattern(fleet: FleetModel, name: (tenant: TenantModel) => string, what: string): string {
  const patterns = new Set(fleet.tenants.map((t) => name(t).split(t.id).join('$tenant')));
  if (patterns.size !== 1 || ![...patterns][0].includes('$tenant')) {
    throw new Error(`dashboards: tenant ${what} names do not share one pattern containing the tenant id (got ${[...patterns].slice(0, 3).join(', ')})`);
  }
  return [...patterns][0];
}

/** Stable panel ids (links use them), assigned in build order by the caller. */
export function panelIds(): () => number {
  let next = 1;
  return () => next++;
}

/** A field data link ({title, url}); Grafana interpolates `${__field.labels.X}` per series. */
export function dataLink(title: string, url: string): cog.Builder<dashboard.DashboardLink> {
  return { build: () => ({ title, url }) as unknown as dashboard.DashboardLink };
}

export { errorBudget } from '../fleet/model/slo-windows';
