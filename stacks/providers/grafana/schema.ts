/**
 * The allow-list: every argument (attribute or block) the grafana/grafana provider DOCUMENTS for the resources flota
 * binds, per resource and per nested block. A test walks every synthesized grafana resource and fails on any key not
 * listed here, so a typo or an invented attribute fails in CI instead of at `terraform plan`.
 *
 * Source: github.com/grafana/terraform-provider-grafana, docs/resources/<name>.md and docs/index.md (v4.x, generated
 * by tfplugindocs), read 2026-11-26: folder.md, dashboard.md, data_source.md, rule_group.md, contact_point.md,
 * notification_policy.md. Read-only (computed) attributes are NOT listed: setting them is an error. Only the receiver
 * blocks flota uses are listed for grafana_contact_point (the provider has ~20 more).
 */

export interface BlockSchema {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Nested blocks (synthesized as arrays of objects). A function allows recursion (notification policy). */
  readonly blocks?: Readonly<Record<string, BlockSchema | (() => BlockSchema)>>;
}

/** Terraform meta-arguments cdktf may emit on any resource. */
export const META_ARGUMENTS = ['provider', 'depends_on', 'count', 'for_each', 'lifecycle', '//'] as const;

const RELATIVE_TIME_RANGE: BlockSchema = { required: ['from', 'to'], optional: [] };

const RULE_DATA: BlockSchema = {
  required: ['ref_id', 'datasource_uid', 'model', 'relative_time_range'],
  optional: ['query_type'],
  blocks: { relative_time_range: RELATIVE_TIME_RANGE },
};

const RULE: BlockSchema = {
  required: ['name', 'data'],
  optional: [
    'annotations',
    'condition',
    'exec_err_state',
    'for',
    'is_paused',
    'keep_firing_for',
    'labels',
    'missing_series_evals_to_resolve',
    'no_data_state',
    'notification_settings',
    'record',
    'uid',
  ],
  blocks: {
    data: RULE_DATA,
    notification_settings: {
      required: ['contact_point'],
      optional: ['group_by', 'group_interval', 'group_wait', 'mute_timings', 'repeat_interval'],
    },
    record: { required: ['from', 'metric'], optional: [] },
  },
};

const MATCHER: BlockSchema = { required: ['label', 'match', 'value'], optional: [] };

const POLICY: BlockSchema = {
  required: [],
  optional: ['contact_point', 'continue', 'group_by', 'group_interval', 'group_wait', 'matcher', 'mute_timings', 'policy', 'repeat_interval'],
  blocks: { matcher: MATCHER, policy: () => POLICY },
};

const RECEIVER_COMMON = ['disable_resolve_message', 'settings'] as const;

export const GRAFANA_PROVIDER_SCHEMA: BlockSchema = {
  required: [],
  optional: [
    'alias',
    'auth',
    'ca_cert',
    'cloud_access_policy_token',
    'cloud_api_url',
    'http_headers',
    'insecure_skip_verify',
    'org_id',
    'retries',
    'retry_status_codes',
    'retry_wait',
    'stack_id',
    'store_dashboard_sha256',
    'tls_cert',
    'tls_key',
    'url',
  ],
};

export const GRAFANA_RESOURCE_SCHEMA: Readonly<Record<string, BlockSchema>> = {
  grafana_folder: { required: ['title'], optional: ['uid', 'org_id', 'parent_folder_uid', 'prevent_destroy_if_not_empty'] },
  grafana_dashboard: { required: ['config_json'], optional: ['folder', 'message', 'org_id', 'overwrite'] },
  grafana_data_source: {
    required: ['name', 'type'],
    optional: [
      'access_mode',
      'basic_auth_enabled',
      'basic_auth_username',
      'database_name',
      'http_headers',
      'is_default',
      'json_data_encoded',
      'org_id',
      'secure_json_data_encoded',
      'uid',
      'url',
      'username',
    ],
  },
  grafana_rule_group: {
    required: ['folder_uid', 'interval_seconds', 'name', 'rule'],
    optional: ['disable_provenance', 'org_id'],
    blocks: { rule: RULE },
  },
  grafana_contact_point: {
    required: ['name'],
    optional: ['disable_provenance', 'org_id', 'email', 'slack', 'pagerduty', 'sns'],
    blocks: {
      email: { required: ['addresses'], optional: [...RECEIVER_COMMON, 'message', 'single_email', 'subject'] },
      slack: {
        required: [],
        optional: [
          ...RECEIVER_COMMON,
          'color',
          'endpoint_url',
          'icon_emoji',
          'icon_url',
          'mention_channel',
          'mention_groups',
          'mention_users',
          'recipient',
          'text',
          'title',
          'token',
          'url',
          'username',
        ],
      },
      pagerduty: {
        required: ['integration_key'],
        optional: [...RECEIVER_COMMON, 'class', 'client', 'client_url', 'component', 'details', 'group', 'severity', 'source', 'summary', 'url'],
      },
      sns: {
        required: ['topic'],
        optional: [
          ...RECEIVER_COMMON,
          'access_key',
          'assume_role_arn',
          'auth_provider',
          'body',
          'external_id',
          'message_format',
          'secret_key',
          'subject',
        ],
      },
    },
  },
  grafana_notification_policy: {
    required: ['contact_point', 'group_by'],
    optional: ['disable_provenance', 'group_interval', 'group_wait', 'org_id', 'policy', 'repeat_interval'],
    blocks: { policy: POLICY },
  },
};

/**
 * Problems with `value` against `schema` (empty = valid). Blocks must be arrays of objects; every key must be
 * documented; every required key present.
 */
export function checkAgainstSchema(value: Record<string, unknown>, schema: BlockSchema, path: string, meta: readonly string[] = []): string[] {
  const problems: string[] = [];
  const allowed = new Set([...schema.required, ...schema.optional, ...Object.keys(schema.blocks ?? {}), ...meta]);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) problems.push(`${path}.${key}: not a documented argument (documented: ${[...allowed].filter((k) => !meta.includes(k)).sort().join(', ')})`);
  }
  for (const key of schema.required) {
    if (value[key] === undefined) problems.push(`${path}.${key}: required argument missing`);
  }
  for (const [name, blockOrThunk] of Object.entries(schema.blocks ?? {})) {
    const nested = value[name];
    if (nested === undefined) continue;
    const block = typeof blockOrThunk === 'function' ? blockOrThunk() : blockOrThunk;
    if (!Array.isArray(nested)) {
      problems.push(`${path}.${name}: a block must be synthesized as an array of objects`);
      continue;
    }
    nested.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) problems.push(`${path}.${name}[${i}]: not an object`);
      else problems.push(...checkAgainstSchema(item as Record<string, unknown>, block, `${path}.${name}[${i}]`));
    });
  }
  return problems;
}
