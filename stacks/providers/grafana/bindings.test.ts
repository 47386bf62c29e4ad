import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { ContactPoint } from './contact-point';
import { Folder } from './folder';
import { NotificationPolicy, type NestedPolicyConfig } from './notification-policy';
import { GrafanaProvider } from './provider';
import { terraformLiteral } from './resource';
import { RuleGroup } from './rule-group';
import { checkAgainstSchema, GRAFANA_RESOURCE_SCHEMA, META_ARGUMENTS } from './schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-grafana-bindings-test-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function stack(): TerraformStack {
  const s = new TerraformStack(new App({ outdir, stackTraces: false }), 'test');
  new GrafanaProvider(s, 'grafana', { url: 'https://grafana.example.com' });
  return s;
}

describe('grafana bindings', () => {
  test('synthesize snake_case attributes, blocks as arrays, and omit unset optionals', () => {
    const s = stack();
    const folder = new Folder(s, 'folder', { title: 'flota', uid: 'flota' });
    new RuleGroup(s, 'rules', {
      name: 'g',
      folderUid: folder.uid,
      intervalSeconds: 60,
      rules: [{ name: 'r', condition: 'A', data: [{ refId: 'A', datasourceUid: '__expr__', model: '{}', relativeTimeRange: { from: 0, to: 0 } }] }],
    });
    const json = JSON.parse(Testing.synth(s)) as Json;
    const group = Object.values(json.resource.grafana_rule_group as Record<string, Json>)[0];
    expect(group).toMatchObject({ folder_uid: '${grafana_folder.folder.uid}', interval_seconds: 60 });
    expect(group.rule[0].data[0]).toEqual({ ref_id: 'A', datasource_uid: '__expr__', model: '{}', relative_time_range: [{ from: 0, to: 0 }] });
    expect(group.rule[0]).not.toHaveProperty('labels');
    expect(checkAgainstSchema(group, GRAFANA_RESOURCE_SCHEMA.grafana_rule_group!, 'g', META_ARGUMENTS)).toEqual([]);
  });

  test('fails if a rule group has no rule', () => {
    expect(() => new RuleGroup(stack(), 'rules', { name: 'empty', folderUid: 'f', intervalSeconds: 60, rules: [] })).toThrow(
      "grafana_rule_group 'empty': needs at least one rule",
    );
  });

  test('fails if a contact point has no receiver', () => {
    expect(() => new ContactPoint(stack(), 'cp', { name: 'nobody' })).toThrow(/'nobody': needs at least one receiver/);
  });

  test('fails if notification policies nest deeper than the provider documents', () => {
    let deep: NestedPolicyConfig = { contactPoint: 'x' };
    for (let i = 0; i < 5; i++) deep = { policies: [deep] };
    const s = stack();
    new NotificationPolicy(s, 'policy', { contactPoint: 'x', groupBy: ['...'], policies: [deep] });
    expect(() => Testing.synth(s)).toThrow(/at most 4 levels below the root/);
  });

  test('terraformLiteral escapes Terraform template syntax and nothing else', () => {
    expect(terraformLiteral("${PROP('Dim.Tenant')} %{if} $tenant {{ $labels.Tenant }}")).toBe("$${PROP('Dim.Tenant')} %%{if} $tenant {{ $labels.Tenant }}");
  });
});
