import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { testFleet } from '../../fleet/testing/fleet-model';
import type { FleetModel } from '../../fleet/model/types';
import { AwsContext } from './aws-context';
import { DEFAULT_TOKEN_ROTATION_DAYS, GrafanaWorkspace, MAX_TOKEN_SECONDS_TO_LIVE, type GrafanaWorkspaceProps } from './grafana-workspace';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-grafana-workspace-test-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function synth(fleet: FleetModel, props: Partial<GrafanaWorkspaceProps> = {}): Json {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'platform');
  new AwsProvider(stack, 'aws', { region: fleet.region });
  const aws = new AwsContext(stack, 'account', { region: fleet.region });
  new GrafanaWorkspace(stack, 'grafana', { aws, observability: fleet.observability, namePrefix: fleet.prefix, ...props });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const one = (json: Json, type: string): Json => {
  const all = Object.values((json.resource[type] ?? {}) as Record<string, Json>);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('GrafanaWorkspace', () => {
  const fleet = testFleet();
  const json = synth(fleet);

  test('Grafana 10.4 with unified alerting, CUSTOMER_MANAGED role, CloudWatch data source, SNS notifications, SSO', () => {
    const ws = one(json, 'aws_grafana_workspace');
    expect(ws).toMatchObject({
      grafana_version: '10.4',
      permission_type: 'CUSTOMER_MANAGED',
      account_access_type: 'CURRENT_ACCOUNT',
      authentication_providers: ['AWS_SSO'],
      data_sources: ['CLOUDWATCH'],
      notification_destinations: ['SNS'],
      name: fleet.observability.workspaceName,
    });
    expect(JSON.parse(ws.configuration).unifiedAlerting).toEqual({ enabled: true });
    expect(ws.role_arn).toMatch(/^\$\{aws_iam_role\./);
  });

  test('workspace role: only AMG of this account may assume it; CloudWatch read only, * only where CloudWatch has no resource scoping', () => {
    const role = one(json, 'aws_iam_role');
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'grafana.amazonaws.com' });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toBeDefined();
    const statements = JSON.parse(one(json, 'aws_iam_role_policy').policy).Statement as Json[];
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])) as string[];
    for (const action of actions) expect(action).toMatch(/^(cloudwatch:(Get|List|Describe)[A-Za-z]+|tag:GetResources)$/);
    const wildcard = statements.filter((s) => s.Resource === '*');
    expect(wildcard.map((s) => s.Sid)).toEqual(['ReadCloudWatchMetricsInFleetRegion']);
    expect(wildcard[0].Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': fleet.region } });
    expect(statements.find((s) => s.Sid === 'PublishAlertNotifications')).toBeUndefined();
  });

  test('ADMIN service account and a token that lives at most 30 days, replaced before the old one is destroyed', () => {
    expect(one(json, 'aws_grafana_workspace_service_account').grafana_role).toBe('ADMIN');
    const token = one(json, 'aws_grafana_workspace_service_account_token');
    expect(token.seconds_to_live).toBe(MAX_TOKEN_SECONDS_TO_LIVE);
    expect(token.lifecycle).toEqual({ create_before_destroy: true });
  });

  test('publishes the URL and the token (SecureString, dedicated rotating KMS key) under the model’s parameter names', () => {
    const params = Object.values(json.resource.aws_ssm_parameter as Record<string, Json>);
    const url = params.find((p) => p.name === fleet.observability.workspaceUrlParameter)!;
    const token = params.find((p) => p.name === fleet.observability.workspaceTokenParameter)!;
    expect(url.type).toBe('String');
    expect(url.value).toMatch(/^https:\/\/\$\{aws_grafana_workspace\.[^.]+\.endpoint\}$/);
    expect(token.type).toBe('SecureString');
    expect(token.key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    expect(token.value).toMatch(/^\$\{aws_grafana_workspace_service_account_token\..*\.key\}$/);
    expect(one(json, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  test('the token rotates by itself: a time_rotating (hashicorp/time) is in its name, so a due rotation replaces it', () => {
    expect(json.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: '~> 0.13' });
    const [rotationId, rotation] = Object.entries(json.resource.time_rotating as Record<string, Json>)[0]!;
    expect(Object.keys(json.resource.time_rotating)).toHaveLength(1);
    expect(rotation).toEqual({ rotation_days: DEFAULT_TOKEN_ROTATION_DAYS });
    const token = one(json, 'aws_grafana_workspace_service_account_token');
    // every argument of the token forces replacement; the rotation's timestamp keeps old and new names distinct
    expect(token.name).toBe(`flota-terraform-1-\${time_rotating.${rotationId}.unix}`);
    expect(token.lifecycle).toEqual({ create_before_destroy: true });
    // rotated at 14 days, so even a missed weekly run (28 days) replaces it before AMG's 30-day expiry
    expect((DEFAULT_TOKEN_ROTATION_DAYS + 14) * 86400).toBeLessThanOrEqual(token.seconds_to_live);
  });

  test('the scheduled rotation gate (.github/scripts/rotation-gate.cjs) recognises exactly the synthesized rotation', () => {
    const { rotationAddresses } = require('../../.github/scripts/rotation-gate.cjs') as { rotationAddresses: (stack: Json) => Set<string> }; // eslint-disable-line @typescript-eslint/no-require-imports
    const types = [...rotationAddresses(json)].map((address) => address.split('.')[0]).sort();
    expect(types).toEqual(['aws_grafana_workspace_service_account_token', 'aws_ssm_parameter', 'time_rotating']);
    const ssm = [...rotationAddresses(json)].find((a) => a.startsWith('aws_ssm_parameter.'))!.split('.')[1]!;
    expect(json.resource.aws_ssm_parameter[ssm].name).toBe(fleet.observability.workspaceTokenParameter);
  });

  test('refuses a rotation period that would let the token expire between two weekly rotation runs', () => {
    expect(() => synth(fleet, { tokenRotationDays: 17 })).toThrow(/tokenRotationDays must be .* got 17/);
    expect(() => synth(fleet, { tokenSecondsToLive: 20 * 86400 })).toThrow(/tokenRotationDays/);
    expect(() => synth(fleet, { tokenSecondsToLive: 20 * 86400, tokenRotationDays: 6 })).not.toThrow();
  });

  test('no role association without SSO groups in the manifest', () => {
    expect(json.resource.aws_grafana_role_association).toBeUndefined();
  });

  test('one aws_grafana_role_association per role that lists IAM Identity Center groups', () => {
    const withGroups: FleetModel = {
      ...fleet,
      observability: {
        ...fleet.observability,
        roleAssociations: [
          { role: 'ADMIN', groupIds: ['g-admin'] },
          { role: 'VIEWER', groupIds: ['g-view-1', 'g-view-2'] },
        ],
      },
    };
    const associations = Object.values(synth(withGroups).resource.aws_grafana_role_association as Record<string, Json>);
    expect(associations.map((a) => [a.role, a.group_ids])).toEqual([
      ['ADMIN', ['g-admin']],
      ['VIEWER', ['g-view-1', 'g-view-2']],
    ]);
    for (const a of associations) expect(a.workspace_id).toMatch(/^\$\{aws_grafana_workspace\.[^.]+\.id\}$/);
  });

  test('fails if the token would outlive AMG’s 30-day limit', () => {
    expect(() => synth(fleet, { tokenSecondsToLive: MAX_TOKEN_SECONDS_TO_LIVE + 1 })).toThrow(/at most 30 days\); got 2592001/);
  });
});
