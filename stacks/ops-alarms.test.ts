/**
 * Operational alarms (fleet/model/ops-alarms.ts) on the synthesized observability stack of the SHIPPED fleet: every
 * tenant is covered by every alarm, thresholds follow the manifest, routing follows `alerts.pageOn`, alerts link their
 * runbook section, and `flota cost` prices them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { loadFleet } from '../fleet';
import { resolveRoute, routingTree } from '../fleet/model/alert-routing';
import { observabilityCost } from '../fleet/model/alerting-cost';
import { CLOUDWATCH_LIMITS, equivalentSearch, type MetricQuerySpec } from '../fleet/model/cloudwatch-queries';
import { generateFleet } from '../fleet/model/generated-fleet';
import { OPERATIONAL_ALARM_IDS, OPS_ALARM_BY_ID, opsAlarmClasses, opsAlarmGroups, type OperationalAlarmId } from '../fleet/model/ops-alarms';
import type { FleetModel, TenantModel } from '../fleet/model/types';
import { GRAFANA_FOLDER_UID, ObservabilityStack } from './observability-stack';
import { checkAgainstSchema, GRAFANA_RESOURCE_SCHEMA, META_ARGUMENTS } from './providers/grafana/schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = path.join(__dirname, '..');
const fleet = loadFleet(path.join(ROOT, 'tenants'));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-ops-alarms-test-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const app = new App({ outdir, stackTraces: false });
const stack = JSON.parse(Testing.synth(new ObservabilityStack(app, { fleet }))) as Json;
const opsGroups = Object.values(stack.resource.grafana_rule_group as Record<string, Json>).filter((g) => (g.name as string).startsWith('ops-'));
const opsRules: Json[] = opsGroups.flatMap((g) => g.rule as Json[]);
const byId = new Map<string, TenantModel>(fleet.tenants.map((t) => [t.id, t]));

/** The synthesized stage A model (Terraform escaping undone). */
const queryOf = (rule: Json): Json => JSON.parse((rule.data[0].model as string).replace(/\$\$\{/g, '${')) as Json;
const stageOf = (rule: Json, refId: string): Json => JSON.parse((rule.data as Json[]).find((d) => d.ref_id === refId)!.model as string) as Json;

/**
 * What Grafana makes of the `tenant` label for a series: the label is `{{ reReplaceAll "<re>" "$1" $labels.<Dim> }}`
 * (Go regexp; the patterns are plain `^prefix-(.+)suffix$`, which JavaScript reads the same way).
 */
function tenantLabel(rule: Json, dimensionValue: string): string {
  const match = /^\{\{ reReplaceAll "([^"]+)" "\$1" \$labels\.(\w+) \}\}$/.exec(rule.labels.tenant as string);
  if (match === null) throw new Error(`unexpected tenant label ${rule.labels.tenant}`);
  return dimensionValue.replace(new RegExp(match[1]!), '$1');
}

/** Tenant ids each rule of an alarm covers, through the label Grafana will compute. */
function coveredTenants(alarm: OperationalAlarmId): string[] {
  return opsRules
    .filter((rule) => rule.labels.alarm === alarm)
    .flatMap((rule) => {
      const query = queryOf(rule);
      const values = query.dimensions[OPS_ALARM_BY_ID[alarm].dimension] as string[];
      return values.map((value) => tenantLabel(rule, value));
    });
}

describe('operational alarms in the synthesized observability stack', () => {
  test('one rule group per alarm, in their own folder, each rule a documented grafana_rule_group', () => {
    expect(opsGroups.map((g) => g.name).sort()).toEqual(OPERATIONAL_ALARM_IDS.map((id) => `ops-${id}`).sort());
    const folders = Object.values(stack.resource.grafana_folder as Record<string, Json>).map((f) => f.uid);
    expect(folders).toContain(GRAFANA_FOLDER_UID.opsAlarms);
    for (const group of opsGroups) {
      expect(group.folder_uid).toMatch(/^\$\{grafana_folder\..+\.uid\}$/);
      expect(group.interval_seconds).toBe(OPS_ALARM_BY_ID[(group.name as string).slice(4) as OperationalAlarmId].intervalSeconds);
      expect(checkAgainstSchema(group, GRAFANA_RESOURCE_SCHEMA.grafana_rule_group!, group.name as string, META_ARGUMENTS)).toEqual([]);
    }
  });

  test.each(OPERATIONAL_ALARM_IDS)('%s covers every shipped tenant exactly once, and its label names the tenant', (alarm) => {
    const covered = coveredTenants(alarm);
    expect(covered.length).toBe(fleet.tenants.length);
    expect([...covered].sort()).toEqual(fleet.tenants.map((t) => t.id).sort());
  });

  test('queries read the tenant resource by its exact name (never `*`: that would match the whole account)', () => {
    for (const rule of opsRules) {
      const alarm = OPS_ALARM_BY_ID[rule.labels.alarm as OperationalAlarmId];
      const query = queryOf(rule);
      expect(query).toMatchObject({ namespace: alarm.namespace, metricName: alarm.metricName, matchExact: true, statistic: alarm.statistic, period: String(alarm.periodSeconds) });
      expect(query.label).toBe(`\${PROP('Dim.${alarm.dimension}')}`);
      for (const value of query.dimensions[alarm.dimension] as string[]) {
        expect(value).toBe(alarm.resource(byId.get(tenantLabel(rule, value))!.names));
      }
      // stage A reads the alarm's range, ending 60 s before evaluation
      expect(rule.data[0].relative_time_range).toEqual([{ from: alarm.rangeSeconds + 60, to: 60 }]);
      expect(rule.data[0].model).toContain(`$\${PROP('Dim.${alarm.dimension}')}`);
    }
  });

  test('thresholds come from the manifest: freshness threshold, 15 % of allocated storage, 90 % of the connection budget, 80 % CPU, > 0', () => {
    const expected: Record<OperationalAlarmId, (t: TenantModel) => number> = {
      'dlq-not-empty': () => 0,
      'oldest-message-age': (t) => t.slo.freshness.withinSeconds,
      'db-storage-low': (t) => Math.round(0.15 * t.database.allocatedStorageGb * 1024 ** 3),
      'db-cpu-high': () => 80,
      'db-connections-high': (t) => Math.round(0.9 * t.connectionBudget.budget * 1000) / 1000,
      'migrate-failing': () => 0,
    };
    for (const rule of opsRules) {
      const alarm = rule.labels.alarm as OperationalAlarmId;
      const [threshold] = stageOf(rule, 'C').conditions[0].evaluator.params as number[];
      expect(stageOf(rule, 'C').conditions[0].evaluator.type).toBe(alarm === 'db-storage-low' ? 'lt' : 'gt');
      const query = queryOf(rule);
      for (const value of query.dimensions[OPS_ALARM_BY_ID[alarm].dimension] as string[]) {
        expect({ alarm, value, threshold }).toEqual({ alarm, value, threshold: expected[alarm](byId.get(tenantLabel(rule, value))!) });
      }
    }
  });

  test('routed like the SLO alerts: ticket by default, page where alerts.pageOn says so, to the tenant’s own contact', () => {
    const tree = routingTree(fleet);
    for (const rule of opsRules) {
      const alarm = rule.labels.alarm as OperationalAlarmId;
      for (const value of queryOf(rule).dimensions[OPS_ALARM_BY_ID[alarm].dimension] as string[]) {
        const tenant = byId.get(tenantLabel(rule, value))!;
        expect({ tenant: tenant.id, alarm, severity: rule.labels.severity }).toEqual({
          tenant: tenant.id,
          alarm,
          severity: tenant.pageOn.includes(alarm) ? 'page' : 'ticket',
        });
      }
    }
    // the shipped manifest: the fleet pages on db-storage-low; payments-ledger replaces the list with its own
    const ledger = byId.get('payments-ledger')!;
    expect(ledger.pageOn).toEqual(['db-storage-low', 'dlq-not-empty', 'oldest-message-age']);
    expect(resolveRoute(tree, { tenant: 'payments-ledger', severity: 'page', alarm: 'dlq-not-empty' })).toBe('tenant-payments-ledger-page');
    expect(resolveRoute(tree, { tenant: 'payments-ledger', severity: 'ticket', alarm: 'db-cpu-high' })).toBe('tenant-payments-ledger-ticket');
    const severities = new Set(opsRules.map((r) => `${r.labels.alarm}:${r.labels.severity}`));
    expect(severities).toContain('dlq-not-empty:page');
    expect(severities).toContain('dlq-not-empty:ticket');
    expect(severities).not.toContain('db-storage-low:ticket');
    // notifications group per alarm, not one bucket for every alarm of a tenant
    expect(tree.groupBy).toContain('alarm');
  });

  test('every alert links its runbook section in the repository, and the section exists', () => {
    const runbooks = fs.readFileSync(path.join(ROOT, 'docs', 'runbooks.md'), 'utf8');
    const anchors = new Set([...runbooks.matchAll(/^#{2,3} (.+)$/gm)].map((m) => githubAnchor(m[1]!)));
    for (const rule of opsRules) {
      expect(rule.annotations.runbook_url).toBe(`${fleet.observability.runbooksUrl}#${rule.labels.alarm}`);
      expect(rule.annotations.runbook_url).toMatch(/^https:\/\/.+\/docs\/runbooks\.md#/);
      expect(anchors).toContain(rule.labels.alarm);
      expect(rule.annotations.summary).toContain(rule.labels.tenant);
      expect(rule.annotations.dashboard_url).toMatch(/^\$\{data\.aws_ssm_parameter\.grafana-url\.value\}\/d\/flota-tenant-detail\/tenant-detail\?var-tenant=\{\{ reReplaceAll /);
    }
    for (const id of OPERATIONAL_ALARM_IDS) expect(githubAnchor(OPS_ALARM_BY_ID[id].title)).toBe(id);
  });

  test('flota cost includes them: one metric per tenant per evaluation of each alarm', () => {
    const cost = observabilityCost(fleet);
    expect(cost.opsAlarms.groups.map((g) => g.name).sort()).toEqual(opsGroups.map((g) => g.name).sort());
    for (const group of cost.opsAlarms.groups) expect(group.metricsPerEvaluation).toBe(fleet.tenants.length);
    expect(cost.opsAlarms.rules).toBe(opsRules.length);
    expect(cost.opsAlarms.usdPerMonth).toBeGreaterThan(0);
    expect(cost.totalUsdPerMonth).toBeCloseTo(cost.alertEvaluation.usdPerMonth + cost.opsAlarms.usdPerMonth + cost.customMetrics.usdPerMonth, 6);
  });
});

describe('operational alarms at scale', () => {
  const big: FleetModel = generateFleet(fleet, 500);

  test('classes (and so rules, up to CloudWatch query limits) grow with thresholds and severities, not tenants', () => {
    const ids = (m: FleetModel) => opsAlarmClasses(m).map((c) => c.id);
    expect(ids(big)).toEqual(ids(fleet));
    expect(opsAlarmClasses(big).reduce((n, c) => n + c.tenantIds.length, 0)).toBe(500 * OPERATIONAL_ALARM_IDS.length);
  });

  test('every query of a 500-tenant fleet fits one SEARCH (≤ 1,024 characters, ≤ 500 series) and every tenant is covered', () => {
    for (const group of opsAlarmGroups(big)) {
      const covered: string[] = [];
      for (const rule of group.rules) {
        const [query] = rule.queries as [MetricQuerySpec];
        expect((equivalentSearch(query) ?? '').length).toBeLessThanOrEqual(CLOUDWATCH_LIMITS.maxSearchExpressionChars);
        expect((query.dimensions[group.alarm.dimension] as readonly string[]).length).toBeLessThanOrEqual(CLOUDWATCH_LIMITS.maxSeriesPerSearch);
        expect(rule.uid.length).toBeLessThanOrEqual(40);
        covered.push(...rule.tenantIds);
      }
      expect(covered.sort()).toEqual(big.tenants.map((t) => t.id).sort());
    }
  });
});

/** GitHub's heading anchor: lower case, punctuation except - and _ removed, spaces → -. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
