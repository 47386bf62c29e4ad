import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { App, Testing } from 'cdktf';
import { loadFleet } from '../fleet';
import { sloRuleGroups } from '../fleet/model/slo-rules';
import type { FleetModel, TenantModel } from '../fleet/model/types';
import { ObservabilityStack } from './observability-stack';
import { checkAgainstSchema, GRAFANA_PROVIDER_SCHEMA, GRAFANA_RESOURCE_SCHEMA, META_ARGUMENTS } from './providers/grafana/schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fleet = loadFleet(path.join(__dirname, '..', 'tenants'));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-observability-test-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function synth(model: FleetModel): Json {
  const app = new App({ outdir, stackTraces: false });
  const stack = new ObservabilityStack(app, { fleet: model });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const stack = synth(fleet);
const resources = (type: string): Json[] => Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);

describe('ObservabilityStack', () => {
  test('has its own state key with S3-native locking', () => {
    expect(stack.terraform.backend.s3).toMatchObject({ key: `${fleet.state.keyPrefix}/observability.tfstate` });
    expect(stack.terraform.backend.s3.use_lockfile).toBe(true);
  });

  test('requires grafana/grafana ~> 4.0 and configures it from SSM (no cross-stack state)', () => {
    expect(stack.terraform.required_providers.grafana).toEqual({ source: 'grafana/grafana', version: '~> 4.0' });
    const [grafana] = stack.provider.grafana as Json[];
    expect(grafana.url).toBe('${data.aws_ssm_parameter.grafana-url.value}');
    expect(grafana.auth).toBe('${data.aws_ssm_parameter.grafana-token.value}');
    const params = Object.values(stack.data.aws_ssm_parameter as Record<string, Json>);
    expect(params.map((p) => p.name).sort()).toEqual([fleet.observability.workspaceTokenParameter, fleet.observability.workspaceUrlParameter].sort());
    expect(JSON.stringify(stack)).not.toContain('terraform_remote_state');
  });

  test('grants the workspace role sns:Publish on exactly the SNS topics the manifest names (here, where tenant changes deploy)', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:payments-alerts';
    const withSns: FleetModel = {
      ...fleet,
      tenants: fleet.tenants.map((t, i) => (i === 0 ? { ...t, alerts: { ...t.alerts, ticket: { kind: 'sns', topicArn } } } : t)),
    };
    const expectedTopics = [...new Set([topicArn, ...shippedSnsTopics(fleet)])].sort();
    const policies = Object.values((synth(withSns).resource.aws_iam_role_policy ?? {}) as Record<string, Json>);
    expect(policies).toHaveLength(1);
    expect(policies[0].role).toBe(fleet.observability.workspaceRoleName);
    expect(JSON.parse(policies[0].policy).Statement).toEqual([
      { Sid: 'PublishAlertNotifications', Effect: 'Allow', Action: 'sns:Publish', Resource: expectedTopics },
    ]);
  });

  test('grants no SNS publish at all when no contact is an SNS topic', () => {
    const email = { kind: 'email' as const, addresses: ['sre@example.com'] };
    const noSns: FleetModel = {
      ...fleet,
      observability: { ...fleet.observability, defaultAlerts: { page: email, ticket: email } },
      tenants: fleet.tenants.map((t) => ({ ...t, alerts: { page: email, ticket: email } })),
    };
    expect(synth(noSns).resource.aws_iam_role_policy).toBeUndefined();
  });

  test('every synthesized grafana resource uses only documented attributes (allow-list)', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [type, byId] of Object.entries(stack.resource as Record<string, Record<string, Json>>)) {
      if (!type.startsWith('grafana_')) continue;
      const schema = GRAFANA_RESOURCE_SCHEMA[type];
      if (schema === undefined) {
        problems.push(`${type}: no binding is documented for this resource type`);
        continue;
      }
      for (const [id, resource] of Object.entries(byId)) {
        checked += 1;
        problems.push(...checkAgainstSchema(resource, schema, `${type}.${id}`, META_ARGUMENTS));
      }
    }
    for (const provider of stack.provider.grafana as Json[]) problems.push(...checkAgainstSchema(provider, GRAFANA_PROVIDER_SCHEMA, 'provider.grafana'));
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  test('the allow-list check catches an undocumented attribute and a block that is not an array', () => {
    const schema = GRAFANA_RESOURCE_SCHEMA.grafana_rule_group;
    expect(checkAgainstSchema({ name: 'x', folder_uid: 'f', interval_seconds: 60, rule: [{ name: 'r', data: [], bogus: 1 }] }, schema, 'g')).toEqual([
      expect.stringContaining('g.rule[0].bogus: not a documented argument'),
    ]);
    expect(checkAgainstSchema({ name: 'x', folder_uid: 'f', interval_seconds: 60, rule: { name: 'r' } }, schema, 'g')).toEqual([
      'g.rule: a block must be synthesized as an array of objects',
    ]);
  });

  test('CloudWatch data source authenticates with the workspace IAM role in the fleet region', () => {
    const [ds] = resources('grafana_data_source');
    expect(ds).toMatchObject({ type: 'cloudwatch', uid: 'flota-cloudwatch' });
    expect(JSON.parse(ds.json_data_encoded)).toEqual({ authType: 'ec2_iam_role', defaultRegion: fleet.region });
  });

  test('no secret value in the output: Slack and PagerDuty contacts reference the NAMED secret through a data source', () => {
    const contacts = resources('grafana_contact_point');
    const slack = contacts.flatMap((c) => (c.slack ?? []) as Json[]);
    const pagerduty = contacts.flatMap((c) => (c.pagerduty ?? []) as Json[]);
    expect(slack.length).toBeGreaterThan(0);
    expect(pagerduty.length).toBeGreaterThan(0);
    for (const receiver of slack) expect(receiver.url).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\.[^.}[]+(\[0\])?\.secret_string\}$/);
    for (const receiver of pagerduty) expect(receiver.integration_key).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\.[^.}[]+(\[0\])?\.secret_string\}$/);
    const secretIds = Object.values(stack.data.aws_secretsmanager_secret_version as Record<string, Json>).map((d) => d.secret_id);
    const named = new Set(
      [fleet.observability.defaultAlerts, ...fleet.tenants.map((t) => t.alerts)]
        .flatMap((a) => [a.page, a.ticket])
        .flatMap((c) => (c.kind === 'slack' ? [c.webhookUrl.secretName] : c.kind === 'pagerduty' ? [c.integrationKey.secretName] : [])),
    );
    expect(new Set(secretIds)).toEqual(named);
    expect(JSON.stringify(stack)).not.toMatch(/hooks\.slack\.com/);
  });

  test('ONE notification policy: per-tenant page/ticket routing, fleet default at the root and for pages', () => {
    const [policy] = resources('grafana_notification_policy');
    expect(resources('grafana_notification_policy')).toHaveLength(1);
    expect(policy.contact_point).toBe('fleet-default-ticket');
    expect(policy.policy).toHaveLength(fleet.tenants.length + 1);
    const tenantPolicy = (policy.policy as Json[]).find((p) => p.matcher[0].value === 'payments-ledger')!;
    expect(tenantPolicy.matcher).toEqual([{ label: 'tenant', match: '=', value: 'payments-ledger' }]);
    // (its own contact point when its secret exists: `${<exists> ? "tenant-…" : "fleet-default-…"}`)
    const whenSecretExists = (name: string) => name.replace(/^\$\{.+ \? "([^"]+)" : "[^"]+"\}$/, '$1');
    expect((tenantPolicy.policy as Json[]).map((p) => [p.matcher[0].value, whenSecretExists(p.contact_point as string)])).toEqual([
      ['page', 'tenant-payments-ledger-page'],
      ['ticket', 'tenant-payments-ledger-ticket'],
    ]);
    const names = new Set(resources('grafana_contact_point').map((c) => c.name));
    // A plain name, or `${<secret exists> ? "tenant-…" : "fleet-default-…"}` (see the missing-secret test): both must exist.
    const referenced = JSON.stringify(policy)
      .match(/"contact_point":"(?:[^"\\]|\\.)+"/g)!
      .flatMap((m) => {
        const value = JSON.parse(m.slice(16)) as string;
        const conditional = /\? "([^"]+)" : "([^"]+)"\}$/.exec(value);
        return conditional === null ? [value] : [conditional[1]!, conditional[2]!];
      });
    expect(referenced.length).toBeGreaterThan(fleet.tenants.length);
    for (const name of referenced) expect(names.has(name)).toBe(true);
  });

  test("a missing tenant contact secret fails only that tenant's routing (fleet-default fallback), never the plan", () => {
    const contacts = Object.entries(stack.resource.grafana_contact_point as Record<string, Json>);
    const lookups = (stack.data.aws_secretsmanager_secrets ?? {}) as Record<string, Json>;
    const versions = (stack.data.aws_secretsmanager_secret_version ?? {}) as Record<string, Json>;
    const defaults = fleet.observability.defaultAlerts;
    const defaultSecrets = new Set(
      [defaults.page, defaults.ticket].flatMap((c) => (c.kind === 'slack' ? [c.webhookUrl.secretName] : c.kind === 'pagerduty' ? [c.integrationKey.secretName] : [])),
    );
    const [policy] = resources('grafana_notification_policy');
    let guarded = 0;
    for (const [, contact] of contacts) {
      const receiver = ((contact.slack ?? contact.pagerduty ?? []) as Json[])[0];
      if (receiver === undefined) continue;
      const valueRef = (receiver.url ?? receiver.integration_key) as string;
      const versionId = /aws_secretsmanager_secret_version\.([^.[}]+)/.exec(valueRef)![1]!;
      const secretId = versions[versionId]!.secret_id as string;
      if (!(contact.name as string).startsWith('tenant-') || defaultSecrets.has(secretId)) {
        // Fleet defaults (and tenants sharing their secret): read unconditionally, they ARE the fallback.
        expect(contact.count).toBeUndefined();
        expect(versions[versionId]!.count).toBeUndefined();
        continue;
      }
      guarded++;
      // Looked up by exact name (an empty list, not an error, when it is missing) …
      const lookupId = /data\.aws_secretsmanager_secrets\.([^.]+)\.names/.exec(contact.count as string)![1]!;
      expect(lookups[lookupId]!.filter).toEqual([{ name: 'name', values: [secretId] }]);
      const exists = `contains(tolist(data.aws_secretsmanager_secrets.${lookupId}.names), "${secretId}")`;
      // … the value is read, and the contact point created, only if it exists …
      expect(contact.count).toBe(`\${${exists} ? 1 : 0}`);
      expect(versions[versionId]!.count).toBe(`\${${exists} ? 1 : 0}`);
      expect(valueRef).toBe(`\${data.aws_secretsmanager_secret_version.${versionId}[0].secret_string}`);
      // … and the tenant's route falls back to the fleet default of the same severity while it does not.
      const severity = (contact.name as string).endsWith('-page') ? 'page' : 'ticket';
      expect(JSON.stringify(policy)).toContain(JSON.stringify(`\${${exists} ? "${contact.name as string}" : "fleet-default-${severity}"}`).slice(1, -1));
    }
    expect(guarded).toBeGreaterThan(0);
  });

  test('rule groups: one per window pair, rules from the SLO classes, Grafana JSON escaped for Terraform', () => {
    // operational alarms (ops-*) are tested in stacks/ops-alarms.test.ts
    const groups = resources('grafana_rule_group').filter((g) => (g.name as string).startsWith('slo-'));
    expect(groups.map((g) => [g.name, g.interval_seconds])).toEqual([
      ['slo-page-1h', 300],
      ['slo-page-6h', 900],
      ['slo-ticket-1d', 1800],
      ['slo-ticket-3d', 3600],
    ]);
    const ruleCount = groups.reduce((n, g) => n + (g.rule as Json[]).length, 0);
    expect(ruleCount).toBe(sloRuleGroups(fleet).reduce((n, g) => n + g.rules.length, 0));
    const model = (groups[0].rule[0].data[0] as Json).model as string;
    expect(model).toContain("$${PROP('Dim.Tenant')}");
    expect(JSON.parse(model.replace(/\$\$\{/g, '${'))).toMatchObject({ namespace: 'Flota', matchExact: true });
    expect(groups[0].rule[0].annotations.dashboard_url).toMatch(/^\$\{data\.aws_ssm_parameter\.grafana-url\.value\}\/d\/flota-tenant-detail/);
  });

  test('dashboards: one per builder, JSON escaped so Terraform keeps Grafana variables literal', () => {
    const dashboards = resources('grafana_dashboard');
    expect(dashboards).toHaveLength(5);
    for (const d of dashboards) {
      const text = d.config_json as string;
      expect(text).not.toMatch(/(^|[^$])\$\{/); // every ${ is escaped as $${
      expect(JSON.parse(text.replace(/\$\$\{/g, '${')).uid).toMatch(/^flota-/);
    }
  });

  test('adding a tenant adds its contact points and routing with no other edit', () => {
    const template = fleet.tenants.find((t) => t.id === 'payments-ledger') as TenantModel;
    const newcomer = JSON.parse(JSON.stringify(template).split('payments-ledger').join('zz-newcomer')) as TenantModel;
    const grown = synth({ ...fleet, tenants: [...fleet.tenants, newcomer].sort((a, b) => a.id.localeCompare(b.id)) });
    const names = Object.values(grown.resource.grafana_contact_point as Record<string, Json>).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['tenant-zz-newcomer-page', 'tenant-zz-newcomer-ticket']));
    const policy = Object.values(grown.resource.grafana_notification_policy as Record<string, Json>)[0];
    expect((policy.policy as Json[]).some((p) => p.matcher?.[0]?.value === 'zz-newcomer')).toBe(true);
  });
});

function shippedSnsTopics(model: FleetModel): string[] {
  const contacts = [model.observability.defaultAlerts.page, model.observability.defaultAlerts.ticket, ...model.tenants.flatMap((t) => [t.alerts.page, t.alerts.ticket])];
  return contacts.flatMap((c) => (c.kind === 'sns' ? [c.topicArn] : []));
}
