import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface PolicyMatcherConfig {
  readonly label: string;
  readonly match: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface NestedPolicyConfig {
  readonly matchers?: readonly PolicyMatcherConfig[];
  readonly contactPoint?: string;
  readonly continue?: boolean;
  readonly groupBy?: readonly string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  readonly muteTimings?: readonly string[];
  readonly policies?: readonly NestedPolicyConfig[];
}

export interface NotificationPolicyConfig extends TerraformMetaArguments {
  /** Root contact point: where unmatched alerts go. */
  readonly contactPoint: string;
  /** `["..."]` groups by all labels. */
  readonly groupBy: readonly string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  readonly policies?: readonly NestedPolicyConfig[];
  readonly orgId?: string;
  readonly disableProvenance?: boolean;
}

/** The provider documents nested `policy` blocks down to four levels below the root. */
export const MAX_POLICY_DEPTH = 4;

/** grafana_notification_policy: the WHOLE tree (it overwrites any policy configured elsewhere). */
export class NotificationPolicy extends GrafanaResource {
  private readonly config: NotificationPolicyConfig;

  constructor(scope: Construct, id: string, config: NotificationPolicyConfig) {
    super(scope, id, 'grafana_notification_policy', config);
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({
      contact_point: c.contactPoint,
      group_by: c.groupBy,
      group_wait: c.groupWait,
      group_interval: c.groupInterval,
      repeat_interval: c.repeatInterval,
      org_id: c.orgId,
      disable_provenance: c.disableProvenance,
      policy: c.policies?.map((p) => nestedPolicy(p, 1)),
    });
  }
}

function nestedPolicy(p: NestedPolicyConfig, depth: number): Record<string, unknown> {
  if (depth > MAX_POLICY_DEPTH) throw new Error(`grafana_notification_policy: policies nest at most ${MAX_POLICY_DEPTH} levels below the root`);
  return compact({
    matcher: p.matchers?.map((m) => ({ label: m.label, match: m.match, value: m.value })),
    contact_point: p.contactPoint,
    continue: p.continue,
    group_by: p.groupBy,
    group_wait: p.groupWait,
    group_interval: p.groupInterval,
    repeat_interval: p.repeatInterval,
    mute_timings: p.muteTimings,
    policy: p.policies?.map((child) => nestedPolicy(child, depth + 1)),
  });
}
