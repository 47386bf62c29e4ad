import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface RuleDataConfig {
  readonly refId: string;
  /** Data source UID, or "__expr__" for server-side expressions. */
  readonly datasourceUid: string;
  /** Query / expression model as a JSON string. Omit intervalMs/maxDataPoints (the provider drops them: perpetual diff). */
  readonly model: string;
  /** Seconds before evaluation. */
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  readonly queryType?: string;
}

export interface RuleConfig {
  readonly name: string;
  readonly uid?: string;
  /** refId of the stage that decides. */
  readonly condition: string;
  readonly data: readonly RuleDataConfig[];
  /** Duration, e.g. "5m". */
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly noDataState?: 'OK' | 'NoData' | 'KeepLast' | 'Alerting';
  readonly execErrState?: 'OK' | 'Error' | 'KeepLast' | 'Alerting';
  readonly isPaused?: boolean;
}

export interface RuleGroupConfig extends TerraformMetaArguments {
  readonly name: string;
  readonly folderUid: string;
  readonly intervalSeconds: number;
  readonly rules: readonly RuleConfig[];
  readonly orgId?: string;
  readonly disableProvenance?: boolean;
}

/** grafana_rule_group */
export class RuleGroup extends GrafanaResource {
  private readonly config: RuleGroupConfig;

  constructor(scope: Construct, id: string, config: RuleGroupConfig) {
    super(scope, id, 'grafana_rule_group', config);
    if (config.rules.length === 0) throw new Error(`grafana_rule_group '${config.name}': needs at least one rule`);
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({
      name: c.name,
      folder_uid: c.folderUid,
      interval_seconds: c.intervalSeconds,
      org_id: c.orgId,
      disable_provenance: c.disableProvenance,
      rule: c.rules.map((r) =>
        compact({
          name: r.name,
          uid: r.uid,
          condition: r.condition,
          for: r.for,
          keep_firing_for: r.keepFiringFor,
          labels: r.labels,
          annotations: r.annotations,
          no_data_state: r.noDataState,
          exec_err_state: r.execErrState,
          is_paused: r.isPaused,
          data: r.data.map((d) =>
            compact({
              ref_id: d.refId,
              datasource_uid: d.datasourceUid,
              query_type: d.queryType,
              model: d.model,
              relative_time_range: [{ from: d.relativeTimeRange.from, to: d.relativeTimeRange.to }],
            }),
          ),
        }),
      ),
    });
  }
}
