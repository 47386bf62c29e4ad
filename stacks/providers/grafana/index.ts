/** Thin typed bindings for the grafana/grafana Terraform provider (the resources flota uses, nothing more). */
export { GrafanaProvider, GRAFANA_PROVIDER_SOURCE, GRAFANA_PROVIDER_VERSION, type GrafanaProviderConfig } from './provider';
export { Folder, type FolderConfig } from './folder';
export { DataSource, type DataSourceConfig } from './data-source';
export { Dashboard, type DashboardConfig } from './dashboard';
export { RuleGroup, type RuleGroupConfig, type RuleConfig, type RuleDataConfig } from './rule-group';
export { ContactPoint, type ContactPointConfig, type EmailReceiver, type SlackReceiver, type PagerdutyReceiver, type SnsReceiver } from './contact-point';
export { NotificationPolicy, type NotificationPolicyConfig, type NestedPolicyConfig, type PolicyMatcherConfig } from './notification-policy';
export { GRAFANA_PROVIDER_SCHEMA, GRAFANA_RESOURCE_SCHEMA, META_ARGUMENTS, checkAgainstSchema, type BlockSchema } from './schema';
