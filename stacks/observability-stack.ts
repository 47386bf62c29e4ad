import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { buildDashboards } from '../dashboards';
import { alertTopicArns, contactPoints, routingTree, type ContactPointSpec, type RoutingPolicy } from '../fleet/model/alert-routing';
import { sloRuleGroups } from '../fleet/model/slo-rules';
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
export const GRAFANA_FOLDER_UID = { dashboards: 'flota', alerts: 'flota-slo-alerts' } as const;

/**
 * Everything inside the shared Grafana workspace: the CloudWatch data source, the fleet dashboards, SLO burn-rate rule
 * groups, contact points and the ONE notification policy tree.
 *
 * It plans on its own: the workspace URL and the provider token come from the SSM parameters the platform stack
 * publishes (data sources, no cross-stack state), and every secret a contact point needs (Slack webhook, PagerDuty key)
 * is read at plan time from the Secrets Manager secret the manifest NAMES, so no secret value is ever in the
 * synthesized JSON (it is in Terraform state, which is encrypted).
 */
export class ObservabilityStack extends TerraformStack {
  readonly folder: Folder;
  readonly alertsFolder: Folder;
  readonly dataSource: DataSource;
  readonly dashboards: readonly Dashboard[];
  readonly contactPoints: readonly ContactPoint[];
  readonly ruleGroups: readonly RuleGroup[];
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
    this.contactPoints = contactPoints(fleet).map(
      (spec) => new ContactPoint(this, `contact-${spec.name}`, { name: spec.name, ...receiverOf(spec, secrets) }),
    );

    const tree = routingTree(fleet);
    this.notificationPolicy = new NotificationPolicy(this, 'notification-policy', {
      contactPoint: tree.contactPoint,
      groupBy: tree.groupBy,
      groupWait: tree.groupWait,
      groupInterval: tree.groupInterval,
      repeatInterval: tree.repeatInterval,
      policies: tree.policies.map(nestedPolicy),
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
  }
}

/** One `data "aws_secretsmanager_secret_version"` per distinct secret NAME; values stay Terraform references. */
class SecretValues extends Construct {
  private readonly byName = new Map<string, DataAwsSecretsmanagerSecretVersion>();

  value(secretName: string): string {
    let data = this.byName.get(secretName);
    if (data === undefined) {
      data = new DataAwsSecretsmanagerSecretVersion(this, secretName.replace(/[^A-Za-z0-9_-]/g, '_'), { secretId: secretName });
      this.byName.set(secretName, data);
    }
    return data.secretString;
  }
}

const TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.tenant }} {{ .CommonLabels.slo }} SLO ({{ .CommonLabels.severity }})';
const TEXT = '{{ range .Alerts }}{{ .Annotations.summary }}\nDashboard: {{ .Annotations.dashboard_url }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}';

function receiverOf(spec: ContactPointSpec, secrets: SecretValues): Omit<ContactPointConfig, 'name'> {
  const { contact } = spec;
  switch (contact.kind) {
    case 'email':
      return { email: [{ addresses: contact.addresses, subject: TITLE, singleEmail: true }] };
    case 'slack':
      // the secret's value is the webhook URL itself (a plain string)
      return { slack: [{ url: secrets.value(contact.webhookUrl.secretName), recipient: contact.channel, title: TITLE, text: TEXT }] };
    case 'pagerduty':
      return {
        pagerduty: [
          {
            integrationKey: secrets.value(contact.integrationKey.secretName),
            severity: spec.severity === 'page' ? 'critical' : 'warning',
            summary: TITLE,
            component: '{{ .CommonLabels.tenant }}',
            group: 'flota',
            class: '{{ .CommonLabels.slo }}',
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
