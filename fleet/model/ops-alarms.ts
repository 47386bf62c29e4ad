/**
 * Operational alarms as data: the per-tenant infrastructure alarms that the SLOs do not cover (docs/runbooks.md has one
 * section per alarm, linked from every alert). Pure: the observability stack turns them into grafana_rule_group
 * resources, `flota cost` prices them, and they route through the same notification policy tree as the SLO alerts
 * (labels `tenant` and `severity`; alert-routing.ts).
 *
 * Why Grafana rules on CloudWatch data and not `aws_cloudwatch_metric_alarm` (issue #10, item 5):
 * - cost and size grow with CLASSES, not tenants. One multi-dimensional rule per (alarm, threshold, severity) reads every
 *   tenant of that class with one query (`QueueName = ("flota-a-ingest-dlq" OR …)`) and Grafana makes one alert
 *   instance per returned series. CloudWatch alarms are one resource and $0.10/month each per tenant (6 × 50 = 300
 *   alarms in 50 tenant states, $30/month at 50 tenants); these are 6 rule groups with 21 rules in one stack for the
 *   shipped fleet (16 classes; a class is split only where one SEARCH would exceed 1,024 characters) and cost
 *   $20.44/month in GetMetricData (alerting-cost.ts). Metrics requested grow with tenants either way: one series each.
 * - one routing: the alerts carry `tenant` and `severity` labels, so the notification policy tree, contact points,
 *   Slack/PagerDuty/e-mail receivers and templates of the SLO alerts apply unchanged; CloudWatch alarms could only
 *   notify an SNS topic and would need a second routing path per tenant.
 * - thresholds are data from the model (freshness threshold, allocated storage, connection budget), so a manifest
 *   change retunes the alarm in the same deploy that changes the tenant.
 * The price: the alarms depend on the Grafana workspace being up (as the SLO alerts already do), and AWS/* metrics have
 * no `Tenant` dimension, so the tenant label is derived from the resource name (`reReplaceAll` on the dimension value;
 * names are `<prefix>-<tenant id><suffix>` by construction, names.ts).
 *
 * Each rule: A = CloudWatch query (one series per tenant resource, period and range below) → B = reduce (dropNN: a
 * tenant without data is never alerting) → C = threshold. No resample stage, so Grafana's "time range is shorter than
 * the interval" constraint on resample does not apply; the query's own range is what B reduces over.
 */
import { OPERATIONAL_ALARM_IDS, type OperationalAlarmId } from '../manifest/schema';
import { cloudWatchTarget, CLOUDWATCH_LIMITS, equivalentSearch, type MetricQuerySpec } from './cloudwatch-queries';
import { tenantDetailPath } from './dashboard-links';
import { ALERT_LABEL, QUERY_END_OFFSET_SECONDS, type AlertingOptions, type RuleStage } from './slo-rules';
import type { AlertSeverity } from './slo-windows';
import type { FleetModel, TenantModel, TenantNamesModel } from './types';

export { OPERATIONAL_ALARM_IDS, type OperationalAlarmId };

/** Labels the operational alarms set besides `tenant` and `severity` (which the routing tree matches). */
export const OPS_ALERT_LABEL = { alarm: 'alarm', alarmClass: 'alarm_class' } as const;

/** RDS allocates storage in GiB; FreeStorageSpace is in bytes. */
const GIB = 1024 ** 3;

/** Share of the allocated storage below which `db-storage-low` fires. */
export const FREE_STORAGE_MIN_FRACTION = 0.15;
/** CPU (percent) that `db-cpu-high` must exceed for its whole range (15 minutes). */
export const CPU_MAX_PERCENT = 80;
/** Share of the connection budget (80 % of max_connections) above which `db-connections-high` fires. */
export const CONNECTIONS_MAX_BUDGET_FRACTION = 0.9;

type Dimension = 'QueueName' | 'DBInstanceIdentifier' | 'FunctionName';
type Reducer = 'max' | 'min' | 'sum';

/** One operational alarm: a CloudWatch metric of one tenant resource, a reducer over a range and a threshold. */
export interface OpsAlarmDefinition {
  readonly id: OperationalAlarmId;
  /** Heading of its runbook section: GitHub's anchor of it is the id (tested). */
  readonly title: string;
  readonly namespace: 'AWS/SQS' | 'AWS/RDS' | 'AWS/Lambda';
  readonly metricName: string;
  readonly dimension: Dimension;
  /** The tenant resource the metric is about (its dimension value). */
  readonly resource: (names: TenantNamesModel) => string;
  readonly statistic: 'Maximum' | 'Minimum' | 'Average' | 'Sum';
  readonly periodSeconds: number;
  /** Length of the range the reducer summarises (ends QUERY_END_OFFSET_SECONDS before evaluation). */
  readonly rangeSeconds: number;
  readonly reducer: Reducer;
  readonly comparison: 'gt' | 'lt';
  /** The tenant's threshold in the metric's unit: tenants with equal thresholds share a rule. */
  readonly threshold: (tenant: TenantModel) => number;
  /** The threshold in words, e.g. "> 60 s". */
  readonly thresholdText: (threshold: number) => string;
  readonly intervalSeconds: number;
  /** What is wrong, for the alert summary; `{{ humanize $values.B.Value }}` is the reduced value. */
  readonly summary: (threshold: number) => string;
  readonly description: string;
}

const minutes = (seconds: number): string => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`);

/** The alarms, in OPERATIONAL_ALARM_IDS order. Thresholds, ranges and intervals are data, with their reasoning. */
export const OPS_ALARMS: readonly OpsAlarmDefinition[] = [
  {
    id: 'dlq-not-empty',
    title: 'DLQ not empty',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimension: 'QueueName',
    resource: (n) => n.deadLetterQueue,
    statistic: 'Maximum',
    periodSeconds: 300,
    // any message in the last 15 min: a redriven DLQ resolves within 15 min, a poison record never flaps
    rangeSeconds: 900,
    reducer: 'max',
    comparison: 'gt',
    threshold: () => 0,
    thresholdText: () => '> 0 messages',
    intervalSeconds: 300,
    summary: () => '<tenant>: {{ humanize $values.B.Value }} record(s) in the dead-letter queue {{ $labels.QueueName }}',
    description:
      'Records failed every delivery attempt (maxReceiveCount) and wait in the DLQ: they are not stored. Inspect them with `flota dlq <tenant>`, fix the cause, then `flota redrive <tenant>`.',
  },
  {
    id: 'oldest-message-age',
    title: 'Oldest message age',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimension: 'QueueName',
    resource: (n) => n.queue,
    statistic: 'Maximum',
    periodSeconds: 60,
    // above the threshold for 5 consecutive minutes: ingest has stopped or cannot keep up, not one slow batch
    rangeSeconds: 300,
    reducer: 'min',
    comparison: 'gt',
    threshold: (t) => t.slo.freshness.withinSeconds,
    thresholdText: (s) => `> ${s} s`,
    intervalSeconds: 300,
    summary: (s) => `<tenant>: the oldest message in {{ $labels.QueueName }} has waited {{ humanize $values.B.Value }} s (> ${s} s, the freshness threshold) for 5 min`,
    description:
      'Ingest stores nothing or falls behind: every record now waiting will be stale. Unlike the freshness SLO it fires when nothing at all is stored.',
  },
  {
    id: 'db-storage-low',
    title: 'DB storage low',
    namespace: 'AWS/RDS',
    metricName: 'FreeStorageSpace',
    dimension: 'DBInstanceIdentifier',
    resource: (n) => n.dbInstance,
    statistic: 'Minimum',
    periodSeconds: 300,
    rangeSeconds: 900,
    reducer: 'max',
    comparison: 'lt',
    // of the manifest's allocated storage: storage autoscaling grows the volume at 10 % free, so this fires first; once
    // the volume has grown (or reached maxAllocatedStorageGb) it fires later than 15 % of the real volume — still before
    // the disk is full (runbook: raise allocatedStorageGb to what RDS allocated)
    threshold: (t) => Math.round(FREE_STORAGE_MIN_FRACTION * t.database.allocatedStorageGb * GIB),
    thresholdText: (bytes) => `< ${formatNumber(bytes / GIB)} GiB free`,
    intervalSeconds: 900,
    summary: (bytes) =>
      `<tenant>: {{ humanize1024 $values.B.Value }}B free on {{ $labels.DBInstanceIdentifier }} (< ${formatNumber(bytes / GIB)} GiB, 15 % of the allocated storage) for 15 min`,
    description: 'The database is running out of disk. At 0 bytes PostgreSQL stops accepting writes: every insert fails and records go to the DLQ.',
  },
  {
    id: 'db-cpu-high',
    title: 'DB CPU high',
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimension: 'DBInstanceIdentifier',
    resource: (n) => n.dbInstance,
    statistic: 'Average',
    periodSeconds: 60,
    // every minute of the last 15 above 80 %
    rangeSeconds: 900,
    reducer: 'min',
    comparison: 'gt',
    threshold: () => CPU_MAX_PERCENT,
    thresholdText: (p) => `> ${p} % for 15 min`,
    intervalSeconds: 300,
    summary: (p) => `<tenant>: CPU of {{ $labels.DBInstanceIdentifier }} above ${p} % for 15 min (lowest minute {{ humanize $values.B.Value }} %)`,
    description:
      'The database is saturated: queries slow down, API latency and ingest lag follow. On burstable classes (db.t4g) CPU credits may be exhausted.',
  },
  {
    id: 'db-connections-high',
    title: 'DB connections high',
    namespace: 'AWS/RDS',
    metricName: 'DatabaseConnections',
    dimension: 'DBInstanceIdentifier',
    resource: (n) => n.dbInstance,
    statistic: 'Maximum',
    periodSeconds: 60,
    rangeSeconds: 300,
    reducer: 'min',
    comparison: 'gt',
    threshold: (t) => formatThreshold(CONNECTIONS_MAX_BUDGET_FRACTION * t.connectionBudget.budget),
    thresholdText: (c) => `> ${formatNumber(c)} connections`,
    intervalSeconds: 300,
    summary: (c) =>
      `<tenant>: {{ humanize $values.B.Value }} connections on {{ $labels.DBInstanceIdentifier }} for 5 min (> ${formatNumber(c)}, 90 % of the connection budget)`,
    description:
      "The functions' worst case stays within the budget by construction (rule connection-budget), so connections this high come from outside the pipeline (a client, a migration, leaked sessions) or a changed pool size.",
  },
  {
    id: 'migrate-failing',
    title: 'Migrate failing',
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimension: 'FunctionName',
    resource: (n) => n.migrateFunction,
    statistic: 'Sum',
    periodSeconds: 300,
    // the migrate function runs on deploy: an error in the last hour is seen by 4 evaluations
    rangeSeconds: 3600,
    reducer: 'sum',
    comparison: 'gt',
    threshold: () => 0,
    thresholdText: () => '> 0 errors in 1 h',
    intervalSeconds: 900,
    summary: () => '<tenant>: the migrate function {{ $labels.FunctionName }} failed {{ humanize $values.B.Value }} time(s) in the last hour',
    description:
      'The schema migration did not complete: the deploy that ran it failed and the API/ingest code may expect a schema the database does not have.',
  },
];

/** The alarms as a map by id. */
export const OPS_ALARM_BY_ID: Readonly<Record<OperationalAlarmId, OpsAlarmDefinition>> = Object.fromEntries(OPS_ALARMS.map((a) => [a.id, a])) as Record<
  OperationalAlarmId,
  OpsAlarmDefinition
>;

/** Tenants that share an alarm's threshold and severity, and so one rule. */
export interface OpsAlarmClass {
  /** Stable id from the data, never from order: e.g. "db-connections-high-gt60.3-ticket". */
  readonly id: string;
  readonly alarm: OpsAlarmDefinition;
  readonly threshold: number;
  readonly severity: AlertSeverity;
  /** Sorted. */
  readonly tenantIds: readonly string[];
}

export function opsAlarmClasses(model: FleetModel): readonly OpsAlarmClass[] {
  const classes = new Map<string, { alarm: OpsAlarmDefinition; threshold: number; severity: AlertSeverity; tenantIds: string[] }>();
  for (const alarm of OPS_ALARMS) {
    for (const tenant of model.tenants) {
      const threshold = alarm.threshold(tenant);
      const severity = opsAlarmSeverity(tenant, alarm.id);
      const id = `${alarm.id}-${alarm.comparison}${formatNumber(threshold)}-${severity}`;
      const entry = classes.get(id) ?? { alarm, threshold, severity, tenantIds: [] };
      entry.tenantIds.push(tenant.id);
      classes.set(id, entry);
    }
  }
  return [...classes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, c]) => ({ id, ...c, tenantIds: [...c.tenantIds].sort() }));
}

/** Ticket by default; page where the tenant's (or the fleet's) `alerts.pageOn` names the alarm. */
export function opsAlarmSeverity(tenant: TenantModel, alarm: OperationalAlarmId): AlertSeverity {
  return tenant.pageOn.includes(alarm) ? 'page' : 'ticket';
}

export interface OpsAlarmRule {
  /** ≤ 40 characters (Grafana's limit), stable across runs. */
  readonly uid: string;
  /** Unique within the folder. */
  readonly title: string;
  readonly alarmClass: OpsAlarmClass;
  /** Tenants this rule evaluates. */
  readonly tenantIds: readonly string[];
  /** The one metric query (for cost and limit checks). */
  readonly queries: readonly MetricQuerySpec[];
  readonly stages: readonly RuleStage[];
  readonly condition: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly noDataState: 'OK';
  readonly execErrState: 'Error';
}

export interface OpsAlarmGroup {
  /** Rule group name, e.g. "ops-dlq-not-empty". */
  readonly name: string;
  readonly alarm: OpsAlarmDefinition;
  readonly intervalSeconds: number;
  readonly rules: readonly OpsAlarmRule[];
}

/** Rule groups (one per alarm, so each has its own interval), each with the multi-dimensional rules of its classes. */
export function opsAlarmGroups(model: FleetModel, options: AlertingOptions = {}): readonly OpsAlarmGroup[] {
  const byTenant = new Map(model.tenants.map((t) => [t.id, t]));
  const classes = opsAlarmClasses(model);
  return OPS_ALARMS.flatMap((alarm) => {
    const rules = classes
      .filter((c) => c.alarm.id === alarm.id)
      .flatMap((alarmClass) => {
        const chunks = chunkTenants(alarmClass, (id) => byTenant.get(id)!);
        return chunks.map((ids, chunk) => opsRule(model, alarmClass, ids, chunk, chunks.length, (id) => byTenant.get(id)!, options));
      });
    return rules.length === 0 ? [] : [{ name: `ops-${alarm.id}`, alarm, intervalSeconds: alarm.intervalSeconds, rules }];
  });
}

/** The tenant a resource name belongs to (the inverse of `alarm.resource`), or undefined. Mirrors the label template. */
export function tenantOfResource(model: FleetModel, alarm: OpsAlarmDefinition, resourceName: string): string | undefined {
  const match = new RegExp(resourcePattern(model, alarm)).exec(resourceName);
  return match?.[1];
}

/** The metric query of a set of tenants: their resources listed by name (AWS/* metrics have no Tenant dimension). */
export function opsAlarmQuery(alarm: OpsAlarmDefinition, resources: readonly string[]): MetricQuerySpec {
  return {
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: { [alarm.dimension]: [...resources].sort() },
    statistic: alarm.statistic,
    periodSeconds: alarm.periodSeconds,
  };
}

/**
 * Sorted tenant ids in chunks whose query stays within CloudWatch's limits: ≤ 500 series per SEARCH / GetMetricData and
 * a SEARCH of ≤ 1,024 characters. Names are always listed (never `*`): `*` would match every queue, database or
 * function of the account, not only the fleet's.
 */
function chunkTenants(alarmClass: OpsAlarmClass, tenant: (id: string) => TenantModel): string[][] {
  const { alarm } = alarmClass;
  const fits = (ids: readonly string[]): boolean => {
    if (ids.length > CLOUDWATCH_LIMITS.maxSeriesPerSearch) return false;
    const search = equivalentSearch(opsAlarmQuery(alarm, ids.map((id) => alarm.resource(tenant(id).names))));
    return (search?.length ?? 0) <= CLOUDWATCH_LIMITS.maxSearchExpressionChars;
  };
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const id of alarmClass.tenantIds) {
    if (fits([...current, id])) {
      current.push(id);
      continue;
    }
    if (current.length === 0 || !fits([id])) throw new RangeError(`tenant id '${id}' alone makes a SEARCH longer than ${CLOUDWATCH_LIMITS.maxSearchExpressionChars} characters`);
    chunks.push(current);
    current = [id];
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function opsRule(
  model: FleetModel,
  alarmClass: OpsAlarmClass,
  tenantIds: readonly string[],
  chunk: number,
  chunks: number,
  tenant: (id: string) => TenantModel,
  options: AlertingOptions,
): OpsAlarmRule {
  const { alarm, threshold, severity } = alarmClass;
  const query = opsAlarmQuery(alarm, tenantIds.map((id) => alarm.resource(tenant(id).names)));
  const range = { from: alarm.rangeSeconds + QUERY_END_OFFSET_SECONDS, to: QUERY_END_OFFSET_SECONDS };
  const stages: RuleStage[] = [
    {
      refId: 'A',
      datasourceUid: cloudWatchTarget('A', model.region, query).datasource.uid,
      relativeTimeRange: range,
      model: { ...cloudWatchTarget('A', model.region, query, { label: `\${PROP('Dim.${alarm.dimension}')}` }) },
    },
    expressionStage('B', { type: 'reduce', expression: 'A', reducer: alarm.reducer, settings: { mode: 'dropNN' } }),
    expressionStage('C', { type: 'threshold', expression: 'B', conditions: [{ evaluator: { type: alarm.comparison, params: [threshold] } }] }),
  ];
  const tenantLabel = tenantLabelTemplate(model, alarm);
  const suffix = chunks > 1 ? ` #${chunk + 1}` : '';
  const grafanaUrl = options.grafanaUrl ?? '';
  return {
    uid: `ops-${alarm.id}-${shortHash(`${alarmClass.id}|${chunk}`)}${chunks > 1 ? `-${chunk + 1}` : ''}`.slice(0, 40),
    title: `${alarm.title} ${alarm.thresholdText(threshold)} (${severity})${suffix}`,
    alarmClass,
    tenantIds,
    queries: [query],
    stages,
    condition: 'C',
    labels: {
      [ALERT_LABEL.tenant]: tenantLabel,
      [ALERT_LABEL.severity]: severity,
      [OPS_ALERT_LABEL.alarm]: alarm.id,
      [OPS_ALERT_LABEL.alarmClass]: alarmClass.id,
    },
    annotations: {
      summary: alarm.summary(threshold).replace('<tenant>', tenantLabel),
      description: alarm.description,
      dashboard_url: `${grafanaUrl}${tenantDetailPath(tenantLabel)}`,
      runbook_url: `${model.observability.runbooksUrl}#${alarm.id}`,
    },
    noDataState: 'OK',
    execErrState: 'Error',
  };
}

/**
 * The `tenant` label of an alert instance: its series is labelled with the resource name (`QueueName=flota-acme-ingest`),
 * and the name is `<prefix>-<tenant id><suffix>` (names.ts), so the id is what lies between. `reReplaceAll` is one of
 * Grafana's alert template functions (Prometheus-compatible, Go regexp; "$1" = the first group).
 */
export function tenantLabelTemplate(model: FleetModel, alarm: OpsAlarmDefinition): string {
  return `{{ reReplaceAll "${resourcePattern(model, alarm)}" "$1" $labels.${alarm.dimension} }}`;
}

function resourcePattern(model: FleetModel, alarm: OpsAlarmDefinition): string {
  // derive the affixes from a real name, so a change in names.ts moves the pattern with it
  const sample = model.tenants[0]?.names;
  const { prefix, suffix } = sample === undefined ? { prefix: `${model.prefix}-`, suffix: '' } : affixes(alarm.resource(sample), sample.base, model.prefix);
  return `^${regexLiteral(prefix)}(.+)${regexLiteral(suffix)}$`;
}

function affixes(name: string, base: string, prefix: string): { prefix: string; suffix: string } {
  if (!base.startsWith(`${prefix}-`) || !name.startsWith(base)) throw new Error(`resource name ${name} does not start with ${base}`);
  return { prefix: `${prefix}-`, suffix: name.slice(base.length) };
}

/** Names are [A-Za-z0-9_-]; anything else would need escaping inside a Go template string and a regexp. */
function regexLiteral(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error(`resource name affix '${text}' has characters the tenant label template does not escape`);
  return text;
}

const EXPRESSION_DATASOURCE = { type: '__expr__', uid: '__expr__' } as const;

/** A server-side expression stage (reduce/threshold read no time range of their own). */
function expressionStage(refId: string, fields: Readonly<Record<string, unknown>>): RuleStage {
  return { refId, datasourceUid: EXPRESSION_DATASOURCE.uid, relativeTimeRange: { from: 0, to: 0 }, model: { refId, datasource: EXPRESSION_DATASOURCE, ...fields } };
}

function formatThreshold(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** FNV-1a, 8 hex chars (same as slo-rules.ts): a short, stable id suffix. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Human description of an alarm's evaluation, for docs and `flota cost`. */
export function describeEvaluation(alarm: OpsAlarmDefinition): string {
  return `${alarm.reducer} of ${alarm.statistic} per ${minutes(alarm.periodSeconds)} over ${minutes(alarm.rangeSeconds)}, every ${minutes(alarm.intervalSeconds)}`;
}
