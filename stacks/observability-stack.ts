import { Construct } from 'constructs';
import { conditional, Fn, Token, TerraformStack } from 'cdktf';
import { DataAwsSecretsmanagerSecrets } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secrets';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { buildDashboards } from '../dashboards';
import { alertTopicArns, contactPoints, contactSecretName, FLEET_DEFAULT_CONTACT, routingTree, secretLookupName, type ContactPointSpec, type RoutingPolicy } from '../fleet/model/alert-routing';
import { opsAlarmGroups } from '../fleet/model/ops-alarms';
import { sloRuleGroups, type RuleStage } from '../fleet/model/slo-rules';
import { CLOUDWATCH_DATASOURCE_UID } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { policyDocument } from './constructs/policy-document';
import { addBackendAndProvider } from './constructs/stack-backend';
import { ContactPoint, type ContactPointConfig } from './providers/grafana/contact-point';
import { Dashboard } from './providers/grafana/dashboard';
import { DataSource } from './providers/grafana/data-source';
import { Folder } from './providers/grafana/folder';
import { NotificationPolicy, type NestedPolicyConfig } from './providers/grafana/notification-policy';
import { GrafanaProvider } from './providers/grafana/provider';
import { RuleGroup } from './providers/grafana/rule-group';
import { terraformLiteral } from './providers/grafana/resource';

export interface ObservabilityStackProps {
  readonly fleet: FleetModel;
}

/** Folder UIDs are API: dashboards and rule groups live in them. */
export const GRAFANA_FOLDER_UID = { dashboards: 'flota', alerts: 'flota-slo-alerts', opsAlarms: 'flota-ops-alarms' } as const;

/**
 * Everything inside the shared Grafana workspace: the CloudWatch data source, the fleet dashboards, SLO burn-rate rule
 * groups, contact points and the ONE notification policy tree.
 *
 * It plans on its own: the workspace URL and the provider token come from the SSM parameters the platform stack
 * publishes (data sources, no cross-stack state), and every secret a contact point needs (Slack webhook, PagerDuty key)
 * is read at plan time from the Secrets Manager secret the manifest NAMES, so no secret value is ever in the
 * synthesized JSON (it is in Terraform state, which is encrypted).
 *
 * A missing TENANT contact secret never fails the plan: each tenant secret is first looked up by name (a list data
 * source, empty rather than an error when nothing matches); only when it exists is its value read and the tenant's
 * contact point created, otherwise that tenant's alerts of that severity route to the fleet default contact point until
 * the secret exists (the next plan picks it up). `flota validate --aws` reports missing secrets before any plan. The
 * fleet defaults' own secrets are required: they are the fallback, there is nothing to fall back to.
 */
export class ObservabilityStack extends TerraformStack {
  readonly folder: Folder;
  readonly alertsFolder: Folder;
  readonly opsAlarmsFolder: Folder;
  readonly dataSource: DataSource;
  readonly dashboards: readonly Dashboard[];
  readonly contactPoints: readonly ContactPoint[];
  readonly ruleGroups: readonly RuleGroup[];
  readonly opsAlarmGroups: readonly RuleGroup[];
  readonly notificationPolicy: NotificationPolicy;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    const { fleet } = props;
    const { observability } = fleet;
    super(scope, observability.stackName);
    // Everything it reads and writes lives in the first cell's account (the monitoring account; see PlatformStack).
    const monitoring = fleet.cells.find((c) => c.hostsObservability) ?? fleet.cells[0]!;
    addBackendAndProvider(this, {
      stackName: observability.stackName,
      state: fleet.state,
      region: monitoring.region,
      tags: fleet.tags,
      assumeRoleArn: monitoring.deployRoleArn,
    });

    const url = new DataAwsSsmParameter(this, 'grafana-url', { name: observability.workspaceUrlParameter });
    const token = new DataAwsSsmParameter(this, 'grafana-token', { name: observability.workspaceTokenParameter, withDecryption: true });
    new GrafanaProvider(this, 'grafana', { url: url.value, auth: token.value, retries: 5, retryWait: 10 });

    this.folder = new Folder(this, 'folder', { title: 'flota', uid: GRAFANA_FOLDER_UID.dashboards });
    this.alertsFolder = new Folder(this, 'alerts-folder', { title: 'flota SLO alerts', uid: GRAFANA_FOLDER_UID.alerts });
    this.opsAlarmsFolder = new Folder(this, 'ops-alarms-folder', { title: 'flota operational alarms', uid: GRAFANA_FOLDER_UID.opsAlarms });
    this.dataSource = new DataSource(this, 'cloudwatch', {
      name: 'CloudWatch (flota)',
      type: 'cloudwatch',
      uid: CLOUDWATCH_DATASOURCE_UID,
      isDefault: true,
      // on AMG, ec2_iam_role = the workspace IAM role (CUSTOMER_MANAGED, CloudWatch read-only)
      jsonDataEncoded: JSON.stringify({ authType: 'ec2_iam_role', defaultRegion: fleet.region }),
    });

    this.dashboards = buildDashboards(fleet).map(
      (built) =>
        new Dashboard(this, `dashboard-${built.uid}`, {
          configJson: terraformLiteral(JSON.stringify(built.json)),
          folder: this.folder.uid,
          overwrite: true,
          dependsOn: [this.dataSource],
        }),
    );

    // The workspace role (platform stack) may publish only to the SNS topics the manifest names. The grant lives here, not
    // in the platform stack, because the list changes with tenant files and a tenant change deploys only its own stack
    // and this one.
    const topics = alertTopicArns(fleet);
    if (topics.length > 0) {
      new IamRolePolicy(this, 'grafana-sns-publish', {
        name: 'sns-publish-alert-notifications',
        role: observability.workspaceRoleName,
        policy: policyDocument([{ Sid: 'PublishAlertNotifications', Effect: 'Allow', Action: 'sns:Publish', Resource: topics }]),
      });
    }

    const secrets = new SecretValues(this, 'contact-secrets');
    /** Contact point name → the Terraform expression naming it, or the fleet default while its secret is missing. */
    const routeTo = new Map<string, string>();
    const specs = contactPoints(fleet);
    // A secret a fleet default uses is required anyway (no fallback without it): tenants sharing it read it plainly.
    const fleetSecrets = new Set(specs.filter((spec) => spec.tenantId === undefined).map((spec) => contactSecretName(spec.contact)));
    this.contactPoints = specs.map((spec) => {
      const secret = contactSecretName(spec.contact);
      if (spec.tenantId === undefined || secret === undefined || fleetSecrets.has(secret)) {
        return new ContactPoint(this, `contact-${spec.name}`, { name: spec.name, ...receiverOf(spec, (name) => secrets.required(name)) });
      }
      const exists = secrets.exists(secret);
      routeTo.set(spec.name, Token.asString(conditional(exists, spec.name, FLEET_DEFAULT_CONTACT[spec.severity])));
      return new ContactPoint(this, `contact-${spec.name}`, {
        name: spec.name,
        ...receiverOf(spec, (name) => secrets.optional(name)),
        count: Token.asNumber(conditional(exists, 1, 0)),
      });
    });

    const tree = routingTree(fleet);
    const route = (policy: RoutingPolicy): RoutingPolicy => ({
      ...policy,
      ...(policy.contactPoint === undefined ? {} : { contactPoint: routeTo.get(policy.contactPoint) ?? policy.contactPoint }),
      ...(policy.policies === undefined ? {} : { policies: policy.policies.map(route) }),
    });
    this.notificationPolicy = new NotificationPolicy(this, 'notification-policy', {
      contactPoint: tree.contactPoint,
      groupBy: tree.groupBy,
      groupWait: tree.groupWait,
      groupInterval: tree.groupInterval,
      repeatInterval: tree.repeatInterval,
      policies: tree.policies.map(route).map(nestedPolicy),
      dependsOn: [...this.contactPoints],
    });

    this.ruleGroups = sloRuleGroups(fleet, { grafanaUrl: url.value }).map(
      (group) =>
        new RuleGroup(this, `rules-${group.name}`, {
          name: group.name,
          folderUid: this.alertsFolder.uid,
          intervalSeconds: group.intervalSeconds,
          dependsOn: [this.dataSource],
          rules: group.rules.map((rule) => ({
            name: rule.title,
            uid: rule.uid,
            condition: rule.condition,
            labels: rule.labels,
            annotations: rule.annotations,
            noDataState: rule.noDataState,
            execErrState: rule.execErrState,
            data: rule.stages.map((stage) => ({
              refId: stage.refId,
              datasourceUid: stage.datasourceUid,
              relativeTimeRange: stage.relativeTimeRange,
              model: terraformLiteral(JSON.stringify(stage.model)),
            })),
          })),
        }),
    );

    // Operational alarms (fleet/model/ops-alarms.ts): same routing (tenant + severity labels), own folder, one group each.
    this.opsAlarmGroups = opsAlarmGroups(fleet, { grafanaUrl: url.value }).map(
      (group) =>
        new RuleGroup(this, `rules-${group.name}`, {
          name: group.name,
          folderUid: this.opsAlarmsFolder.uid,
          intervalSeconds: group.intervalSeconds,
          dependsOn: [this.dataSource],
          rules: group.rules.map((rule) => ({
            name: rule.title,
            uid: rule.uid,
            condition: rule.condition,
            labels: rule.labels,
            annotations: rule.annotations,
            noDataState: rule.noDataState,
            execErrState: rule.execErrState,
            data: rule.stages.map(ruleData),
          })),
        }),
    );
  }
}

function ruleData(stage: RuleStage): { refId: string; datasourceUid: string; relativeTimeRange: RuleStage['relativeTimeRange']; model: string } {
  return {
    refId: stage.refId,
    datasourceUid: stage.datasourceUid,
    relativeTimeRange: stage.relativeTimeRange,
    model: terraformLiteral(JSON.stringify(stage.model)),
  };
}

/**
 * One `data "aws_secretsmanager_secret_version"` per distinct secret NAME; values stay Terraform references.
 * `required` reads it unconditionally (fleet defaults: a missing one fails the plan, as it must — it is the fallback).
 * `optional` (tenant contacts) first looks the name up with `data "aws_secretsmanager_secrets"` (no error when nothing
 * matches) and reads the value only if the secret exists (`count`), so a missing tenant secret costs only its routing.
 */
class SecretValues extends Construct {
  private readonly versions = new Map<string, DataAwsSecretsmanagerSecretVersion>();
  private readonly lookups = new Map<string, string>();

  private idOf(secretName: string): string {
    return secretName.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  required(secretName: string): string {
    let data = this.versions.get(secretName);
    if (data === undefined) {
      data = new DataAwsSecretsmanagerSecretVersion(this, this.idOf(secretName), { secretId: secretName });
      this.versions.set(secretName, data);
    }
    return data.secretString;
  }

  /** A Terraform boolean expression: the secret exists (exact name, or exact ARN when the manifest gives an ARN). */
  exists(secretName: string): string {
    let expression = this.lookups.get(secretName);
    if (expression === undefined) {
      const list = new DataAwsSecretsmanagerSecrets(this, `${this.idOf(secretName)}-lookup`, {
        filter: [{ name: 'name', values: [secretLookupName(secretName)] }],
      });
      const isArn = secretName.startsWith('arn:');
      expression = Token.asString(Fn.contains(isArn ? list.arns : list.names, secretName));
      this.lookups.set(secretName, expression);
    }
    return expression;
  }

  optional(secretName: string): string {
    let data = this.versions.get(secretName);
    if (data === undefined) {
      data = new DataAwsSecretsmanagerSecretVersion(this, this.idOf(secretName), {
        secretId: secretName,
        count: Token.asNumber(conditional(this.exists(secretName), 1, 0)),
      });
      this.versions.set(secretName, data);
    }
    // With count, the value is element 0 (read only where the contact point exists too: same condition).
    return `\${data.aws_secretsmanager_secret_version.${data.friendlyUniqueId}[0].secret_string}`;
  }
}

// SLO alerts carry `slo`, operational alarms `alarm` (fleet/model/ops-alarms.ts)
const TITLE =
  '[{{ .Status | toUpper }}] {{ .CommonLabels.tenant }} {{ if .CommonLabels.alarm }}{{ .CommonLabels.alarm }}{{ else }}{{ .CommonLabels.slo }} SLO{{ end }} ({{ .CommonLabels.severity }})';
const TEXT = '{{ range .Alerts }}{{ .Annotations.summary }}\nDashboard: {{ .Annotations.dashboard_url }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}';

function receiverOf(spec: ContactPointSpec, secret: (name: string) => string): Omit<ContactPointConfig, 'name'> {
  const { contact } = spec;
  switch (contact.kind) {
    case 'email':
      return { email: [{ addresses: contact.addresses, subject: TITLE, singleEmail: true }] };
    case 'slack':
      // the secret's value is the webhook URL itself (a plain string)
      return { slack: [{ url: secret(contact.webhookUrl.secretName), recipient: contact.channel, title: TITLE, text: TEXT }] };
    case 'pagerduty':
      return {
        pagerduty: [
          {
            integrationKey: secret(contact.integrationKey.secretName),
            severity: spec.severity === 'page' ? 'critical' : 'warning',
            summary: TITLE,
            component: '{{ .CommonLabels.tenant }}',
            group: 'flota',
            class: '{{ if .CommonLabels.alarm }}{{ .CommonLabels.alarm }}{{ else }}{{ .CommonLabels.slo }}{{ end }}',
          },
        ],
      };
    case 'sns':
      // authenticated by the workspace role (auth_provider default), which may publish only to manifest-named topics
      return { sns: [{ topic: contact.topicArn, subject: TITLE, body: TEXT, messageFormat: 'text' }] };
  }
}

function nestedPolicy(policy: RoutingPolicy): NestedPolicyConfig {
  return {
    matchers: policy.matchers,
    contactPoint: policy.contactPoint,
    groupBy: policy.groupBy,
    policies: policy.policies?.map(nestedPolicy),
  };
}
