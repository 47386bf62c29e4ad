/**
 * Fleet overview: "is the fleet healthy right now, and if not, where does it hurt?"
 * Every panel is one GetMetricData call covering the whole fleet (no tenant listed), so a new tenant appears with no
 * edit. Latency percentiles come from the [Service] dimension set: true fleet-wide percentiles.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { API_METRIC, INGEST_METRIC, SERVICE } from '../contract/telemetry';
import { DASHBOARD_UID } from '../fleet/model/dashboard-links';
import { CLOUDWATCH_LIMITS, fleetMetric } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { cw, cwExpression, CLOUDWATCH_DATASOURCE, panelIds, flotaDashboardsLink } from './common';
import { queueSearchTerms } from './queues';

export function fleetOverviewDashboard(fleet: FleetModel): dashboard.Dashboard {
  const id = panelIds();
  const fleetSize = fleet.tenants.length;
  const queues = queueSearchTerms(fleet);
  const sqsSeries = Math.min(fleetSize, CLOUDWATCH_LIMITS.maxSeriesPerSearch);
  // height/span after the targets: the builder's key order is the generated JSON's key order
  const ts = (title: string, description: string, unit: string, ...targets: cog.Builder<cog.Dataquery>[]) =>
    targets
      .reduce((panel, target) => panel.withTarget(target), new TimeseriesPanel().id(id()).title(title).description(description).datasource(CLOUDWATCH_DATASOURCE).unit(unit))
      .height(8)
      .span(12);
  return new dashboard.DashboardBuilder('flota — fleet overview')
    .uid(DASHBOARD_UID.fleetOverview)
    .tags(['flota', 'fleet'])
    .description('Health of the whole fleet at a glance. True fleet-wide percentiles from the [Service] dimension set.')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .readonly()
    .link(flotaDashboardsLink())
    .withPanel(
      ts('API latency p50 / p90 / p99 (fleet-wide, true percentiles)', 'How slow are requests across ALL tenants? Computed from every request, not averaged per tenant.', 'ms',
        cw('A', fleet, fleetMetric(SERVICE.api, API_METRIC.latency, 'p50'), { label: 'p50' }),
        cw('B', fleet, fleetMetric(SERVICE.api, API_METRIC.latency, 'p90'), { label: 'p90' }),
        cw('C', fleet, fleetMetric(SERVICE.api, API_METRIC.latency, 'p99'), { label: 'p99' }),
      ),
    )
    .withPanel(
      ts('API error ratio (5xx ÷ requests, fleet)', 'What share of all requests fail server-side? Compare with the availability SLO (e.g. 0.1 % at 99.9 %).', 'percentunit',
        cw('A', fleet, fleetMetric(SERVICE.api, API_METRIC.serverErrors, 'Sum'), { hide: true }),
        cw('B', fleet, fleetMetric(SERVICE.api, API_METRIC.requests, 'Sum'), { hide: true }),
        cwExpression('C', fleet, 'a / b', { label: 'error ratio', metricsRead: 0, seriesReturned: 1 }),
      ),
    )
    .withPanel(
      ts('Throughput: API requests and records ingested (fleet)', 'How much work is the fleet doing? A drop to zero on one line with the other steady points at one path.', 'short',
        cw('A', fleet, fleetMetric(SERVICE.api, API_METRIC.requests, 'Sum'), { label: 'API requests' }),
        cw('B', fleet, fleetMetric(SERVICE.ingest, INGEST_METRIC.recordsIngested, 'Sum'), { label: 'records ingested' }),
        cw('C', fleet, fleetMetric(SERVICE.ingest, INGEST_METRIC.recordsRejected, 'Sum'), { label: 'records rejected' }),
      ),
    )
    .withPanel(
      ts('Ingest lag p99 (fleet-wide) — publish to commit', 'How fresh is stored data across the fleet? Compare with the freshness SLO thresholds.', 'ms',
        cw('A', fleet, fleetMetric(SERVICE.ingest, INGEST_METRIC.ingestLag, 'p99'), { label: 'p99' }),
        cw('B', fleet, fleetMetric(SERVICE.ingest, INGEST_METRIC.ingestLag, 'p50'), { label: 'p50' }),
      ),
    )
    .withPanel(
      ts('Age of oldest message — 10 worst tenant queues', 'Is any tenant falling behind? One SEARCH over AWS/SQS for every tenant queue; SORT keeps the 10 oldest.', 's',
        cwExpression('A', fleet, `SORT(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateAgeOfOldestMessage" ${queues.ingest}', 'Maximum', 300), MAX, DESC, 10)`, {
          label: '${PROP(\'Dim.QueueName\')}',
          metricsRead: sqsSeries,
          seriesReturned: 10,
        }),
      ),
    )
    .withPanel(
      ts('Dead-letter queue depth — 10 deepest tenant DLQs', 'Which tenants have poison records waiting for `flota redrive`? Anything above zero needs a look.', 'short',
        cwExpression('A', fleet, `SORT(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" ${queues.deadLetter}', 'Maximum', 300), MAX, DESC, 10)`, {
          label: '${PROP(\'Dim.QueueName\')}',
          metricsRead: sqsSeries,
          seriesReturned: 10,
        }),
      ),
    )
    .build();
}
