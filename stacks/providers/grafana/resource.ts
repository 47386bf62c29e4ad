import { TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { GRAFANA_GENERATOR_METADATA } from './provider';

/** Base of every grafana_* binding: type, generator metadata and meta-arguments; subclasses map their config. */
export abstract class GrafanaResource extends TerraformResource {
  protected constructor(scope: Construct, id: string, terraformResourceType: string, meta: TerraformMetaArguments = {}) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: GRAFANA_GENERATOR_METADATA,
      provider: meta.provider,
      dependsOn: meta.dependsOn,
      count: meta.count,
      lifecycle: meta.lifecycle,
      forEach: meta.forEach,
    });
  }
}

/** Drop undefined values so optional attributes are omitted, not emitted as null. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Terraform treats `${…}` and `%{…}` inside ANY string as template syntax, but Grafana JSON is full of literal ones
 * (`${__field.labels.Tenant}`, CloudWatch labels like `${PROP('Dim.Tenant')}`). Escape them (`$${`, `%%{`) in
 * strings that hold no Terraform reference, e.g. a dashboard's config_json or a rule's model.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
