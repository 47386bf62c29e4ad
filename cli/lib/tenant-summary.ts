/**
 * What `flota tenant show` prints: a tenant's resolved settings, read off the fleet model (defaults applied, names
 * derived, budget computed) plus the contact point each severity routes to. Plain data, so `--json` is the same thing.
 */
import { contactPointName, FLEET_DEFAULT_CONTACT, resolveRoute, routingTree } from '../../fleet/model/alert-routing';
import { ALERT_LABEL } from '../../fleet/model/slo-rules';
import type { ContactModel, FleetModel, TenantModel } from '../../fleet/model/types';

export interface TenantSummary {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly stack: string;
  readonly tier: string;
  readonly wave: number;
  readonly owner: { readonly team: string; readonly email: string };
  readonly database: Readonly<Record<string, unknown>>;
  readonly ingest: Readonly<Record<string, unknown>>;
  readonly api: Readonly<Record<string, unknown>>;
  readonly connectionBudget: Readonly<Record<string, unknown>>;
  readonly slo: Readonly<Record<string, unknown>>;
  readonly alerts: Readonly<Record<string, string>>;
  readonly records: Readonly<Record<string, unknown>>;
  readonly names: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
}

const percent = (fraction: number): string => `${Math.round(fraction * 100 * 1e6) / 1e6} %`;

function describeContact(contact: ContactModel): string {
  switch (contact.kind) {
    case 'email':
      return `email ${contact.addresses.join(', ')}`;
    case 'slack':
      return `slack (webhook in secret ${contact.webhookUrl.secretName}${contact.channel ? `, ${contact.channel}` : ''})`;
    case 'pagerduty':
      return `pagerduty (integration key in secret ${contact.integrationKey.secretName})`;
    case 'sns':
      return `sns ${contact.topicArn}`;
  }
}

export function tenantSummary(fleet: FleetModel, tenant: TenantModel): TenantSummary {
  const tree = routingTree(fleet);
  const route = (severity: 'page' | 'ticket'): string => {
    const contactPoint = resolveRoute(tree, { [ALERT_LABEL.tenant]: tenant.id, [ALERT_LABEL.severity]: severity });
    const own = contactPoint === contactPointName(tenant.id, severity);
    const fallback = contactPoint === FLEET_DEFAULT_CONTACT[severity] ? ' (fleet default)' : '';
    return `${describeContact(tenant.alerts[severity])} → contact point ${contactPoint}${own ? '' : fallback}`;
  };
  const { slo } = tenant;
  return {
    id: tenant.id,
    name: tenant.displayName,
    file: tenant.sourceFile,
    stack: tenant.stackName,
    tier: tenant.tier,
    wave: tenant.wave,
    owner: tenant.owner,
    database: { ...tenant.database },
    ingest: { ...tenant.ingest },
    api: { ...tenant.api },
    connectionBudget: { ...tenant.connectionBudget },
    slo: {
      windowDays: slo.windowDays,
      availability: `${percent(slo.availability.target)} (error budget ${percent(slo.availability.errorBudget)})`,
      latency: `${percent(slo.latency.target)} of requests under ${slo.latency.thresholdMs} ms`,
      freshness: `${percent(slo.freshness.target)} of records stored within ${slo.freshness.withinSeconds} s`,
      minEventsPerWindow: slo.minEventsPerWindow,
    },
    alerts: { page: route('page'), ticket: route('ticket') },
    records: { types: tenant.records.types ?? 'any', maxPayloadBytes: tenant.records.maxPayloadBytes },
    names: { ...tenant.names },
    tags: { ...tenant.tags },
  };
}
