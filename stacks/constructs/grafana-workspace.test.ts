import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { testFleet } from '../../fleet/testing/fleet-model';
import type { FleetModel } from '../../fleet/model/types';
import { AwsContext } from './aws-context';
import { GrafanaWorkspace, MAX_TOKEN_SECONDS_TO_LIVE, type GrafanaWorkspaceProps } from './grafana-workspace';

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

  test('fails if the token would outlive AMG’s 30-day limit', () => {
    expect(() => synth(fleet, { tokenSecondsToLive: MAX_TOKEN_SECONDS_TO_LIVE + 1 })).toThrow(/at most 30 days\); got 2592001/);
  });
});
