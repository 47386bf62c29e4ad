/**
 * Stable dashboard UIDs and links, shared by the dashboard builders (which set the UIDs) and alert annotations (which
 * link to them). UIDs are API: renaming one breaks bookmarks and alert links.
 */
export const DASHBOARD_UID = {
  fleetOverview: 'flota-fleet-overview',
  heatmap: 'flota-fleet-heatmap',
  statusGrid: 'flota-status-grid',
  outliers: 'flota-outliers',
  tenantDetail: 'flota-tenant-detail',
} as const;

export type DashboardKey = keyof typeof DASHBOARD_UID;

/** Path (relative to the Grafana URL) of the tenant detail dashboard for `tenant` (an id or a template like `{{ $labels.Tenant }}`). */
export function tenantDetailPath(tenant: string): string {
  return `/d/${DASHBOARD_UID.tenantDetail}/tenant-detail?var-tenant=${tenant}`;
}
