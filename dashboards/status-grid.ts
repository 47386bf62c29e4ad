/**
 * Status grid, a wall of lights: "which tenants are burning their error budget right now?" One square per tenant and
 * SLI, coloured by the last hour's burn rate: green < 1 (the budget lasts the SLO window), amber ≥ 1, red ≥ the
 * fastest page burn rate (14.4 at 30 days). Burn rate = error ratio ÷ error budget, so a panel covers one SLO class
 * (tenants sharing a target); each panel is one GetMetricData call (bad + total per tenant ≤ 500 metrics).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { SLI } from '../contract/telemetry';
import { formatPercent, sloClasses, SLI_NAMES } from '../fleet/model/slo-rules';
import { DASHBOARD_UID, tenantDetailPath } from '../fleet/model/dashboard-links';
import { planTenantSelections, tenantMetric, type TenantSelection } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { burnRateThresholds, errorBudget, cw, dataLink, math, MIXED_DATASOURCE, panelIds, TENANT_LABEL, flotaDashboardsLink } from './common';

/** Two metrics (bad, total) per tenant in one GetMetricData call of ≤ 500 metrics. */
export const STATUS_GRID_MAX_TENANTS_PER_PANEL = 250;

export function statusGridDashboard(fleet: FleetModel): dashboard.Dashboard {
  const id = panelIds();
  const fleetIds = fleet.tenants.map((t) => t.id);
  const builder = new dashboard.DashboardBuilder('flota — SLO status grid')
    .uid(DASHBOARD_UID.statusGrid)
    .tags(['flota', 'fleet', 'slo'])
    .description('One light per tenant and SLI: green = within budget, amber = burning faster than budget, red = page-level burn (last hour).')
    .time({ from: 'now-1h', to: 'now' })
    .refresh('1m')
    .readonly()
    .link(flotaDashboardsLink());
  for (const sli of SLI_NAMES) {
    builder.withRow(new dashboard.RowBuilder(`${sli} — burn rate over the last hour`));
    const { service, bad, total } = SLI[sli];
    for (const sloClass of sloClasses(fleet).filter((c) => c.sli === sli)) {
      const render = (selection: TenantSelection) => [tenantMetric(service, bad, 'Sum', selection, 3600), tenantMetric(service, total, 'Sum', selection, 3600)];
      const selections = planTenantSelections(fleetIds, sloClass.tenantIds, STATUS_GRID_MAX_TENANTS_PER_PANEL, render);
      selections.forEach((selection, chunk) => {
        const [badQuery, totalQuery] = render(selection);
        const budget = errorBudget(sloClass.target);
        builder.withPanel(
          new StatPanel()
            .id(id())
            .title(`${sli} · SLO ${formatPercent(sloClass.target)}% / ${sloClass.windowDays}d${selections.length > 1 ? ` · part ${chunk + 1}` : ''}`)
            .description(`Burn rate = (${bad} ÷ ${total}) ÷ ${formatPercent(budget)}% budget, last hour. Click a light for the tenant.`)
            .datasource(MIXED_DATASOURCE)
            .withTarget(cw('A', fleet, badQuery, { label: TENANT_LABEL, hide: true }))
            .withTarget(cw('B', fleet, totalQuery, { label: TENANT_LABEL, hide: true }))
            .withTarget(math('C', `$A / $B / ${budget}`))
            .timeFrom('1h')
            .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
            .colorMode(common.BigValueColorMode.Background)
            .textMode(common.BigValueTextMode.ValueAndName)
            .graphMode(common.BigValueGraphMode.None)
            .displayName('${__field.labels.Tenant}')
            .decimals(1)
            .unit('x')
            .noValue('no traffic')
            .thresholds(burnRateThresholds(sloClass.windowDays))
            .dataLinks([dataLink('Tenant detail', tenantDetailPath('${__field.labels.Tenant}'))])
            .height(Math.max(4, Math.ceil(sloClass.tenantIds.length / 8) * 3))
            .span(24),
        );
      });
    }
  }
  return builder.build();
}
