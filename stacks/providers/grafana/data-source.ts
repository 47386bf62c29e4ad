import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface DataSourceConfig extends TerraformMetaArguments {
  readonly name: string;
  /** e.g. "cloudwatch". */
  readonly type: string;
  readonly uid?: string;
  readonly accessMode?: 'proxy' | 'direct';
  readonly isDefault?: boolean;
  /** Serialized JSON (camelCase keys), e.g. {"authType":"ec2_iam_role","defaultRegion":"eu-west-1"}. */
  readonly jsonDataEncoded?: string;
  /** Serialized JSON of secrets (sensitive); pass a Terraform reference, never a literal secret. */
  readonly secureJsonDataEncoded?: string;
  readonly url?: string;
  readonly orgId?: string;
}

/** grafana_data_source */
export class DataSource extends GrafanaResource {
  private readonly config: DataSourceConfig;

  constructor(scope: Construct, id: string, config: DataSourceConfig) {
    super(scope, id, 'grafana_data_source', config);
    this.config = config;
  }

  get uid(): string {
    return this.getStringAttribute('uid');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({
      name: c.name,
      type: c.type,
      uid: c.uid,
      access_mode: c.accessMode,
      is_default: c.isDefault,
      json_data_encoded: c.jsonDataEncoded,
      secure_json_data_encoded: c.secureJsonDataEncoded,
      url: c.url,
      org_id: c.orgId,
    });
  }
}
