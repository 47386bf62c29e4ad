/**
 * Thin typed bindings for the hashicorp/time Terraform provider (`@cdktf/provider-time` would pull a generated package
 * for one resource). Only what flota uses: `time_rotating`, which drives the Grafana token rotation
 * (stacks/constructs/grafana-workspace.ts). Attribute names: registry.terraform.io/providers/hashicorp/time, docs for
 * `time_rotating` (v0.13).
 */
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';

export const TIME_PROVIDER_SOURCE = 'hashicorp/time';
export const TIME_PROVIDER_VERSION = '~> 0.13';
const TIME_GENERATOR_METADATA = { providerName: 'time', providerVersionConstraint: TIME_PROVIDER_VERSION };

/** The time provider has no configuration; declaring it pins the source and version (`required_providers.time`). */
export class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'time',
      terraformGeneratorMetadata: TIME_GENERATOR_METADATA,
      terraformProviderSource: TIME_PROVIDER_SOURCE,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

export interface TimeRotatingConfig extends TerraformMetaArguments {
  /** Days after the base timestamp (creation) at which the resource is due for rotation. */
  readonly rotationDays?: number;
  readonly rotationHours?: number;
  /** Arbitrary values that force a new base timestamp when they change. */
  readonly triggers?: Readonly<Record<string, string>>;
}

/**
 * time_rotating: on every plan/refresh after its rotation timestamp the provider removes it from state, so the plan
 * re-creates it; a resource whose force-new argument references it (e.g. a name with `unix`) is replaced in the same
 * apply.
 */
export class TimeRotating extends TerraformResource {
  private readonly config: TimeRotatingConfig;

  constructor(scope: Construct, id: string, config: TimeRotatingConfig) {
    super(scope, id, {
      terraformResourceType: 'time_rotating',
      terraformGeneratorMetadata: TIME_GENERATOR_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    if (config.rotationDays === undefined && config.rotationHours === undefined) throw new Error('time_rotating: set rotationDays or rotationHours');
    this.config = config;
  }

  /** Base timestamp as Unix epoch seconds, as a string (for names); changes at each rotation, unknown until applied. */
  get unix(): string {
    return this.getStringAttribute('unix');
  }

  /** When the next rotation is due (RFC 3339). */
  get rotationRfc3339(): string {
    return this.getStringAttribute('rotation_rfc3339');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return Object.fromEntries(
      Object.entries({ rotation_days: c.rotationDays, rotation_hours: c.rotationHours, triggers: c.triggers }).filter(([, v]) => v !== undefined),
    );
  }
}
