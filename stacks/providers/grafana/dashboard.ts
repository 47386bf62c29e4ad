import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface DashboardConfig extends TerraformMetaArguments {
  /** The complete dashboard JSON. */
  readonly configJson: string;
  /** Folder UID. */
  readonly folder?: string;
  readonly overwrite?: boolean;
  readonly message?: string;
  readonly orgId?: string;
}

/** grafana_dashboard */
export class Dashboard extends GrafanaResource {
  private readonly config: DashboardConfig;

  constructor(scope: Construct, id: string, config: DashboardConfig) {
    super(scope, id, 'grafana_dashboard', config);
    this.config = config;
  }

  get url(): string {
    return this.getStringAttribute('url');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({ config_json: c.configJson, folder: c.folder, overwrite: c.overwrite, message: c.message, org_id: c.orgId });
  }
}
