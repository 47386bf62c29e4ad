/**
 * What loading a dashboard costs in CloudWatch terms, read from the dashboard JSON itself: per panel, the metrics
 * its CloudWatch targets read (one GetMetricData call per panel) and the series it shows. Used by the 500-tenant
 * query-limit test and by `flota cost`.
 */
import { CLOUDWATCH_LIMITS, equivalentSearch, type MetricQuerySpec } from '../fleet/model/cloudwatch-queries';

export interface PanelQueryCost {
  readonly title: string;
  /** Metrics read by the panel's GetMetricData call (hidden queries included). */
  readonly metrics: number;
  /** Series the panel's visible CloudWatch queries return. */
  readonly visibleSeries: number;
  /** Longest SEARCH expression of the panel, in characters. */
  readonly longestSearch: number;
  /** SEARCH expressions in the panel (code-mode SEARCH and multi-valued builder queries). */
  readonly searches: number;
}

type Target = Record<string, unknown>;
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly Target[];
}

function isCloudWatch(target: Target): boolean {
  return (target.datasource as { type?: string } | undefined)?.type === 'cloudwatch';
}

export function targetCost(target: Target, fleetSize: number): { metrics: number; series: number; searchChars: number; searches: number } {
  const estimate = target.flotaEstimate as { metricsRead: number; seriesReturned: number } | undefined;
  if (estimate !== undefined) {
    const search = /SEARCH\('([^']*)'/.exec(String(target.expression))?.[1] ?? '';
    return { metrics: estimate.metricsRead, series: estimate.seriesReturned, searchChars: search.length, searches: (String(target.expression).match(/SEARCH\(/g) ?? []).length };
  }
  if (target.metricEditorMode === 1) throw new Error(`code-mode target ${String(target.refId)} carries no flotaEstimate`);
  const dimensions = (target.dimensions ?? {}) as Record<string, string | string[]>;
  let series = 1;
  for (const value of Object.values(dimensions)) {
    if (value === '*') series *= fleetSize;
    else if (Array.isArray(value)) series *= value.length;
  }
  series = Math.min(series, CLOUDWATCH_LIMITS.maxSeriesPerSearch);
  const spec: MetricQuerySpec = { namespace: String(target.namespace), metricName: String(target.metricName), dimensions, statistic: String(target.statistic) };
  const search = equivalentSearch(spec);
  return { metrics: series, series, searchChars: search?.length ?? 0, searches: search === undefined ? 0 : 1 };
}

export function panelQueryCosts(dashboardJson: unknown, fleetSize: number): PanelQueryCost[] {
  const panels = ((dashboardJson as { panels?: Panel[] }).panels ?? []).filter((p) => p.type !== 'row');
  return panels.map((panel) => {
    const targets = (panel.targets ?? []).filter(isCloudWatch);
    const costs = targets.map((t) => ({ hidden: t.hide === true, ...targetCost(t, fleetSize) }));
    return {
      title: panel.title,
      metrics: costs.reduce((n, c) => n + c.metrics, 0),
      visibleSeries: costs.filter((c) => !c.hidden).reduce((n, c) => n + c.series, 0),
      longestSearch: Math.max(0, ...costs.map((c) => c.searchChars)),
      searches: costs.reduce((n, c) => n + c.searches, 0),
    };
  });
}
