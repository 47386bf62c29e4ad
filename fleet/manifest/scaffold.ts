/**
 * A new tenant file, as text: what `flota tenant add` writes. Pure; the command validates the result with the real
 * loader before keeping it, so this never has to duplicate a rule.
 */

export interface TenantScaffold {
  readonly id: string;
  readonly name: string;
  readonly tier: string;
  readonly team: string;
  readonly email: string;
  /** Tags in the order given (required tags first). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tier names the fleet defines, for the comment next to `tier:`. */
  readonly tiers: readonly string[];
}

/** "order-events" → "Order events". */
export function displayNameOf(id: string): string {
  const words = id.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A YAML string scalar: plain when that reads back as the same string, else double-quoted JSON (valid YAML). */
function scalar(value: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9 ._@/+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[0-9.+-]+$/.test(value) && !/ $/.test(value);
  return plain ? value : JSON.stringify(value);
}

export function renderTenantFile(s: TenantScaffold): string {
  const tags = Object.entries(s.tags).map(([k, v]) => `  ${scalar(k)}: ${scalar(v)}`);
  return [
    '# yaml-language-server: $schema=./tenant.schema.json',
    `# Tenant ${s.id}. Every field not set here comes from tier "${s.tier}" and _fleet.yaml; see tenants/REFERENCE.md.`,
    '# The id is permanent: every AWS name derives from it, so renaming a tenant replaces its database.',
    `id: ${s.id}`,
    `name: ${scalar(s.name)}`,
    'owner:',
    `  team: ${scalar(s.team)}`,
    `  email: ${scalar(s.email)}`,
    `tier: ${s.tier}${' '.repeat(Math.max(1, 12 - s.tier.length))}# ${s.tiers.join(' | ')}, defined in _fleet.yaml`,
    '# Optional overrides, for example:',
    '# wave: 2                       # deploy wave (1 = first)',
    '# slo:',
    '#   availability: 99.9',
    '# alerts:                       # contacts name Secrets Manager secrets, never their values',
    '#   page:',
    '#     pagerduty: { integrationKeySecret: flota/<team>/pagerduty-integration-key }',
    '# records:',
    '#   types: ["order.*"]          # omit to accept any record type',
    ...(tags.length > 0 ? ['tags:', ...tags] : []),
    '',
  ].join('\n');
}
