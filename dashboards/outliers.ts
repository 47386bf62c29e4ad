/**
 * Outliers: "which tenants deviate most from the rest of the fleet?" Tables rank tenants by how far their p99 latency
 * and error ratio sit from the fleet-wide value (p99 ÷ fleet p99; error ratio − fleet error ratio), each row linking
 * to the tenant detail.
 *
 * Reference = the fleet-wide value from the [Service] dimension set, not the median of per-tenant values: neither
 * CloudWatch metric math nor Grafana 10.4 server-side expressions can take a median ACROSS series, and the fleet-wide
 * value (a true percentile over every request) is what an operator compares a tenant against.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { API_METRIC, SERVICE } from '../contract/telemetry';
import { DASHBOARD_UID, tenantDetailPath } from '../fleet/model/dashboard-links';
import { fleetMetric, planTenantSelections, tenantMetric, type TenantSelection } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { cw, dataLink, math, MIXED_DATASOURCE, panelIds, reduce, TENANT_LABEL, flotaDashboardsLink } from './common';

/** Per-tenant metrics per panel: p99 table = 1 per tenant + 1 fleet; error table = 2 per tenant + 2 fleet. */
export const OUTLIER_MAX_TENANTS = { latency: 499, errors: 249 } as const;

export function outliersDashboard(fleet: FleetModel): dashboard.Dashboard {
  const id = panelIds();
  const fleetIds = fleet.tenants.map((t) => t.id);
  const builder = new dashboard.DashboardBuilder('flota — outliers')
    .uid(DASHBOARD_UID.outliers)
    .tags(['flota', 'fleet'])
    .description('Tenants ranked by deviation from the fleet-wide value. Click a tenant for its detail dashboard.')
    .time({ from: 'now-3h', to: 'now' })
    .refresh('5m')
    .readonly()
    .link(flotaDashboardsLink());

  const table = (title: string, description: string, unit: string) =>
    new TablePanel()
      .id(id())
      .title(title)
      .description(description)
      .datasource(MIXED_DATASOURCE)
      .unit(unit)
      .sortBy([new common.TableSortByFieldStateBuilder().displayName('Mean').desc(true)])
      .overrideByName('Tenant', [{ id: 'links', value: [{ title: 'Tenant detail', url: tenantDetailPath('${__value.raw}') }] }])
      // one row per tenant: the deviation series reduced over the range, labels as columns
      .transformations([{ id: 'reduce', options: { reducers: ['mean'], mode: 'seriesToRows', labelsToFields: true } }])
      .dataLinks([dataLink('Tenant detail', tenantDetailPath('${__field.labels.Tenant}'))])
      .height(12)
      .span(12);

  const latencyRender = (selection: TenantSelection) => [tenantMetric(SERVICE.api, API_METRIC.latency, 'p99', selection, 300)];
  planTenantSelections(fleetIds, fleetIds, OUTLIER_MAX_TENANTS.latency, latencyRender).forEach((selection, chunk, all) => {
    builder.withPanel(
      table(
        `p99 latency ÷ fleet p99${all.length > 1 ? ` · part ${chunk + 1}` : ''}`,
        'Which tenants are slower than the fleet? 2.0 = twice the fleet-wide p99 (mean over the time range).',
        'x',
      )
        .withTarget(cw('A', fleet, latencyRender(selection)[0], { label: TENANT_LABEL, hide: true }))
        .withTarget(cw('F', fleet, fleetMetric(SERVICE.api, API_METRIC.latency, 'p99', 300), { hide: true }))
        .withTarget(math('deviation', '$A / $F')),
    );
  });

  const errorRender = (selection: TenantSelection) => [
    tenantMetric(SERVICE.api, API_METRIC.serverErrors, 'Sum', selection, 300),
    tenantMetric(SERVICE.api, API_METRIC.requests, 'Sum', selection, 300),
  ];
  planTenantSelections(fleetIds, fleetIds, OUTLIER_MAX_TENANTS.errors, errorRender).forEach((selection, chunk, all) => {
    const [bad, total] = errorRender(selection);
    builder.withPanel(
      table(
        `error ratio − fleet error ratio${all.length > 1 ? ` · part ${chunk + 1}` : ''}`,
        'Which tenants fail more often than the fleet? +0.02 = 2 percentage points more 5xx than the fleet.',
        'percentunit',
      )
        .withTarget(cw('A', fleet, bad, { label: TENANT_LABEL, hide: true }))
        .withTarget(cw('B', fleet, total, { label: TENANT_LABEL, hide: true }))
        .withTarget(cw('FA', fleet, fleetMetric(SERVICE.api, API_METRIC.serverErrors, 'Sum', 300), { hide: true }))
        .withTarget(cw('FB', fleet, fleetMetric(SERVICE.api, API_METRIC.requests, 'Sum', 300), { hide: true }))
        .withTarget(reduce('RA', 'A', 'sum'))
        .withTarget(reduce('RB', 'B', 'sum'))
        .withTarget(reduce('RFA', 'FA', 'sum'))
        .withTarget(reduce('RFB', 'FB', 'sum'))
        .withTarget(math('deviation', '$RA / $RB - $RFA / $RFB')),
    );
  });
  return builder.build();
}
