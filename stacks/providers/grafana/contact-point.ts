import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { compact, GrafanaResource } from './resource';

export interface EmailReceiver {
  readonly addresses: readonly string[];
  readonly subject?: string;
  readonly message?: string;
  readonly singleEmail?: boolean;
  readonly disableResolveMessage?: boolean;
}

export interface SlackReceiver {
  /** Webhook URL (sensitive): a Terraform reference to a secret, never a literal. */
  readonly url?: string;
  readonly token?: string;
  readonly recipient?: string;
  readonly title?: string;
  readonly text?: string;
  readonly disableResolveMessage?: boolean;
}

export interface PagerdutyReceiver {
  /** Integration key (sensitive): a Terraform reference to a secret, never a literal. */
  readonly integrationKey: string;
  readonly severity?: string;
  readonly summary?: string;
  readonly component?: string;
  readonly group?: string;
  readonly class?: string;
  readonly disableResolveMessage?: boolean;
}

export interface SnsReceiver {
  readonly topic: string;
  readonly authProvider?: 'default' | 'arn' | 'keys';
  readonly assumeRoleArn?: string;
  readonly subject?: string;
  readonly body?: string;
  readonly messageFormat?: 'text' | 'body' | 'json';
  readonly disableResolveMessage?: boolean;
}

export interface ContactPointConfig extends TerraformMetaArguments {
  readonly name: string;
  readonly email?: readonly EmailReceiver[];
  readonly slack?: readonly SlackReceiver[];
  readonly pagerduty?: readonly PagerdutyReceiver[];
  readonly sns?: readonly SnsReceiver[];
  readonly orgId?: string;
  readonly disableProvenance?: boolean;
}

/** grafana_contact_point (email, slack, pagerduty and sns receivers) */
export class ContactPoint extends GrafanaResource {
  private readonly config: ContactPointConfig;

  constructor(scope: Construct, id: string, config: ContactPointConfig) {
    super(scope, id, 'grafana_contact_point', config);
    const receivers = (config.email?.length ?? 0) + (config.slack?.length ?? 0) + (config.pagerduty?.length ?? 0) + (config.sns?.length ?? 0);
    if (receivers === 0) throw new Error(`grafana_contact_point '${config.name}': needs at least one receiver (email, slack, pagerduty or sns)`);
    this.config = config;
  }

  get contactPointName(): string {
    return this.getStringAttribute('name');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return compact({
      name: c.name,
      org_id: c.orgId,
      disable_provenance: c.disableProvenance,
      email: c.email?.map((e) =>
        compact({ addresses: e.addresses, subject: e.subject, message: e.message, single_email: e.singleEmail, disable_resolve_message: e.disableResolveMessage }),
      ),
      slack: c.slack?.map((s) =>
        compact({ url: s.url, token: s.token, recipient: s.recipient, title: s.title, text: s.text, disable_resolve_message: s.disableResolveMessage }),
      ),
      pagerduty: c.pagerduty?.map((p) =>
        compact({
          integration_key: p.integrationKey,
          severity: p.severity,
          summary: p.summary,
          component: p.component,
          group: p.group,
          class: p.class,
          disable_resolve_message: p.disableResolveMessage,
        }),
      ),
      sns: c.sns?.map((s) =>
        compact({
          topic: s.topic,
          auth_provider: s.authProvider,
          assume_role_arn: s.assumeRoleArn,
          subject: s.subject,
          body: s.body,
          message_format: s.messageFormat,
          disable_resolve_message: s.disableResolveMessage,
        }),
      ),
    });
  }
}
