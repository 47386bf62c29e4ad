/**
 * Fleet heatmaps: "how is latency (and freshness) DISTRIBUTED across tenants over time — is the whole fleet slow, or
 * a few tenants?" Each column is one time bucket; each cell counts tenants whose p99 falls in that band.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as HeatmapPanel } from '@grafana/grafana-foundation-sdk/heatmap';
import { API_METRIC, INGEST_METRIC, SERVICE } from '../contract/telemetry';
import { DASHBOARD_UID } from '../fleet/model/dashboard-links';
import { tenantMetric } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { cw, CLOUDWATCH_DATASOURCE, panelIds, TENANT_LABEL, flotaDashboardsLink } from './common';

export function heatmapDashboard(fleet: FleetModel): dashboard.Dashboard {
  const id = panelIds();
  const panel = (title: string, description: string, metric: string, service: typeof SERVICE.api | typeof SERVICE.ingest) =>
    new HeatmapPanel()
      .id(id())
      .title(title)
      .description(description)
      .datasource(CLOUDWATCH_DATASOURCE)
      // one SEARCH, one series per tenant (≤ 500): Grafana buckets the per-tenant values at each timestamp
      .withTarget(cw('A', fleet, tenantMetric(service, metric, 'p99', { kind: 'all' }, 300), { label: TENANT_LABEL }))
      .calculate(true)
      .calculation(
        new common.HeatmapCalculationOptionsBuilder().yBuckets(
          new common.HeatmapCalculationBucketConfigBuilder().scale(new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(2)),
        ),
      )
      .unit('ms')
      .height(12)
      .span(24);
  return new dashboard.DashboardBuilder('flota — fleet heatmaps')
    .uid(DASHBOARD_UID.heatmap)
    .tags(['flota', 'fleet'])
    .description('Distribution of per-tenant p99 across the fleet over time.')
    .time({ from: 'now-24h', to: 'now' })
    .refresh('5m')
    .readonly()
    .link(flotaDashboardsLink())
    .withPanel(
      panel(
        'Per-tenant API p99 latency across the fleet',
        'Is slowness fleet-wide (the whole band moves up) or a few tenants (a thin trail above the band)?',
        API_METRIC.latency,
        SERVICE.api,
      ),
    )
    .withPanel(
      panel(
        'Per-tenant ingest lag p99 across the fleet',
        'Is ingestion falling behind everywhere or for a few tenants? Compare with the freshness SLO threshold.',
        INGEST_METRIC.ingestLag,
        SERVICE.ingest,
      ),
    )
    .build();
}
