import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface FolderConfig extends TerraformMetaArguments {
  readonly title: string;
  /** Stable UID (dashboards and rule groups reference the folder by it). */
  readonly uid?: string;
  readonly orgId?: string;
  readonly parentFolderUid?: string;
  readonly preventDestroyIfNotEmpty?: boolean;
}

/** grafana_folder */
export class Folder extends GrafanaResource {
  private readonly config: FolderConfig;

  constructor(scope: Construct, id: string, config: FolderConfig) {
    super(scope, id, 'grafana_folder', config);
    this.config = config;
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({
      title: c.title,
      uid: c.uid,
      org_id: c.orgId,
      parent_folder_uid: c.parentFolderUid,
      prevent_destroy_if_not_empty: c.preventDestroyIfNotEmpty,
    });
  }
}
