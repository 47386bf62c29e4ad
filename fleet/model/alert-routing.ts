/**
 * Alert routing as data: contact points (fleet defaults plus each tenant's own where it differs) and ONE notification
 * policy tree that routes every alert by its tenant and severity labels. Pure: the observability stack turns it into
 * grafana_contact_point / grafana_notification_policy resources.
 */
import type { AlertSeverity } from './slo-windows';
import { ALERT_LABEL } from './slo-rules';
import { OPS_ALERT_LABEL } from './ops-alarms';
import type { AlertRoutingModel, ContactModel, FleetModel, TenantModel } from './types';

export interface ContactPointSpec {
  /** Grafana contact point name (unique), derived from the tenant id or "fleet-default". */
  readonly name: string;
  readonly contact: ContactModel;
  /** Tenant that owns it, if any (for secret data-source naming). */
  readonly tenantId?: string;
  readonly severity: AlertSeverity;
}

export interface PolicyMatcher {
  readonly label: string;
  readonly match: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface RoutingPolicy {
  readonly matchers: readonly PolicyMatcher[];
  readonly contactPoint?: string;
  readonly groupBy?: readonly string[];
  readonly policies?: readonly RoutingPolicy[];
}

export interface RoutingTree {
  /** Root: where anything unmatched goes (the fleet default ticket contact). */
  readonly contactPoint: string;
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  readonly policies: readonly RoutingPolicy[];
}

export const FLEET_DEFAULT_CONTACT = { page: 'fleet-default-page', ticket: 'fleet-default-ticket' } as const;

export function contactPointName(tenantId: string, severity: AlertSeverity): string {
  return `tenant-${tenantId}-${severity}`;
}

/**
 * Contact points: the fleet defaults plus, per tenant and severity, one whose contact differs from the fleet default.
 * A tenant that routes to the same destination as the fleet reuses the fleet's contact point.
 */
export function contactPoints(model: FleetModel): readonly ContactPointSpec[] {
  const defaults = model.observability.defaultAlerts;
  const specs: ContactPointSpec[] = [
    { name: FLEET_DEFAULT_CONTACT.page, contact: defaults.page, severity: 'page' },
    { name: FLEET_DEFAULT_CONTACT.ticket, contact: defaults.ticket, severity: 'ticket' },
  ];
  for (const tenant of model.tenants) {
    for (const severity of ['page', 'ticket'] as const) {
      // the same decision routingTree routes by, so every route names a contact point that exists
      const name = tenantContactPoint(tenant, defaults, severity);
      if (name !== FLEET_DEFAULT_CONTACT[severity]) specs.push({ name, contact: tenant.alerts[severity], tenantId: tenant.id, severity });
    }
  }
  return specs;
}

function tenantContactPoint(tenant: TenantModel, defaults: AlertRoutingModel, severity: AlertSeverity): string {
  return sameContact(tenant.alerts[severity], defaults[severity]) ? FLEET_DEFAULT_CONTACT[severity] : contactPointName(tenant.id, severity);
}

/**
 * ONE tree: root = fleet default (ticket); one policy per tenant (matcher tenant=<id>) with two children, severity=page
 * and severity=ticket, each to the tenant's contact; then a fleet-wide severity=page fallback for alerts whose tenant
 * label matches no tenant (e.g. a tenant removed from the manifest whose metrics are still searchable). Depth 2 ≤ 5.
 */
export function routingTree(model: FleetModel): RoutingTree {
  const defaults = model.observability.defaultAlerts;
  const tenantPolicies: RoutingPolicy[] = model.tenants.map((tenant) => ({
    matchers: [{ label: ALERT_LABEL.tenant, match: '=', value: tenant.id }],
    policies: (['page', 'ticket'] as const).map((severity) => ({
      matchers: [{ label: ALERT_LABEL.severity, match: '=', value: severity }],
      contactPoint: tenantContactPoint(tenant, defaults, severity),
    })),
  }));
  return {
    contactPoint: FLEET_DEFAULT_CONTACT.ticket,
    // `alarm` keeps each operational alarm (fleet/model/ops-alarms.ts) in its own notification
    groupBy: [ALERT_LABEL.tenant, ALERT_LABEL.slo, OPS_ALERT_LABEL.alarm, ALERT_LABEL.severity],
    groupWait: '30s',
    groupInterval: '5m',
    repeatInterval: '4h',
    policies: [
      ...tenantPolicies,
      { matchers: [{ label: ALERT_LABEL.severity, match: '=', value: 'page' }], contactPoint: FLEET_DEFAULT_CONTACT.page },
    ],
  };
}

/** Contact point a (tenant, severity) alert reaches by walking the tree as Alertmanager does (first match wins). */
export function resolveRoute(tree: RoutingTree, labels: Readonly<Record<string, string>>): string {
  const walk = (policies: readonly RoutingPolicy[] | undefined, inherited: string): string => {
    for (const policy of policies ?? []) {
      if (policy.matchers.every((m) => matches(m, labels[m.label] ?? ''))) {
        return walk(policy.policies, policy.contactPoint ?? inherited);
      }
    }
    return inherited;
  };
  return walk(tree.policies, tree.contactPoint);
}

function matches(matcher: PolicyMatcher, value: string): boolean {
  switch (matcher.match) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/**
 * SNS topic ARNs named by the manifest's contacts (fleet defaults and tenants), sorted: the Grafana workspace role may
 * publish alert notifications to these and no other topic.
 */
export function alertTopicArns(model: FleetModel): string[] {
  const contacts: ContactModel[] = [
    model.observability.defaultAlerts.page,
    model.observability.defaultAlerts.ticket,
    ...model.tenants.flatMap((t) => [t.alerts.page, t.alerts.ticket]),
  ];
  return [...new Set(contacts.flatMap((c) => (c.kind === 'sns' ? [c.topicArn] : [])))].sort();
}

/** The Secrets Manager secret (name or ARN) a contact reads its credential from, if it has one. */
export function contactSecretName(contact: ContactModel): string | undefined {
  if (contact.kind === 'slack') return contact.webhookUrl.secretName;
  if (contact.kind === 'pagerduty') return contact.integrationKey.secretName;
  return undefined;
}

/**
 * The secret NAME to look a secret up by (Secrets Manager ListSecrets filters by name prefix): a name as is, or the
 * name inside a full secret ARN (`…:secret:<name>-<6 random characters>`).
 */
export function secretLookupName(secret: string): string {
  const arn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/.exec(secret);
  if (arn === null) return secret;
  return arn[1]!.replace(/-[A-Za-z0-9]{6}$/, '');
}

export function sameContact(a: ContactModel, b: ContactModel): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
