/**
 * Thin cdktf bindings for the grafana/grafana Terraform provider (`@cdktf/provider-grafana` is not published on npm).
 * Only what flota uses; attribute names are the provider's documented snake_case names (see schema.ts, which records
 * them with their source, and is what the allow-list test checks synthesized output against).
 */
import { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';

export const GRAFANA_PROVIDER_SOURCE = 'grafana/grafana';
export const GRAFANA_PROVIDER_VERSION = '~> 4.0';

/** Generator metadata shared by the provider and every resource binding (emits `required_providers.grafana`). */
export const GRAFANA_GENERATOR_METADATA = { providerName: 'grafana', providerVersionConstraint: GRAFANA_PROVIDER_VERSION };

export interface GrafanaProviderConfig {
  /** Root URL of the Grafana server, e.g. "https://" + the AMG workspace endpoint. */
  readonly url?: string;
  /** Service-account token (sensitive). Pass a Terraform reference (SSM data source), never a literal. */
  readonly auth?: string;
  readonly orgId?: number;
  readonly httpHeaders?: Readonly<Record<string, string>>;
  readonly retries?: number;
  /** Seconds between retries. */
  readonly retryWait?: number;
  readonly retryStatusCodes?: readonly string[];
  readonly insecureSkipVerify?: boolean;
  readonly caCert?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly alias?: string;
}

export class GrafanaProvider extends TerraformProvider {
  private readonly config: GrafanaProviderConfig;

  constructor(scope: Construct, id: string, config: GrafanaProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'grafana',
      terraformGeneratorMetadata: GRAFANA_GENERATOR_METADATA,
      terraformProviderSource: GRAFANA_PROVIDER_SOURCE,
    });
    this.config = config;
    this.alias = config.alias;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      url: c.url,
      auth: c.auth,
      org_id: c.orgId,
      http_headers: c.httpHeaders,
      retries: c.retries,
      retry_wait: c.retryWait,
      retry_status_codes: c.retryStatusCodes,
      insecure_skip_verify: c.insecureSkipVerify,
      ca_cert: c.caCert,
      tls_cert: c.tlsCert,
      tls_key: c.tlsKey,
      alias: this.alias,
    };
  }
}
