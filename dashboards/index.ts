/**
 * Every flota dashboard as a pure function of the fleet model. `buildDashboards` is what the observability stack
 * deploys and what `dashboards/generate.ts` writes to dashboards/generated/ for review and manual import.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARD_UID, type DashboardKey } from '../fleet/model/dashboard-links';
import type { FleetModel } from '../fleet/model/types';
import { fleetOverviewDashboard } from './fleet-overview';
import { heatmapDashboard } from './heatmap';
import { outliersDashboard } from './outliers';
import { statusGridDashboard } from './status-grid';
import { tenantDetailDashboard } from './tenant-detail';

export interface BuiltDashboard {
  readonly key: DashboardKey;
  readonly uid: string;
  readonly json: dashboard.Dashboard;
}

const BUILDERS: Readonly<Record<DashboardKey, (fleet: FleetModel) => dashboard.Dashboard>> = {
  fleetOverview: fleetOverviewDashboard,
  heatmap: heatmapDashboard,
  statusGrid: statusGridDashboard,
  outliers: outliersDashboard,
  tenantDetail: tenantDetailDashboard,
};

export function buildDashboards(fleet: FleetModel): readonly BuiltDashboard[] {
  return (Object.keys(BUILDERS) as DashboardKey[]).map((key) => ({ key, uid: DASHBOARD_UID[key], json: BUILDERS[key](fleet) }));
}

/** The committed file name of a dashboard under dashboards/generated/. */
export function generatedFileName(built: BuiltDashboard): string {
  return `${built.uid}.json`;
}

