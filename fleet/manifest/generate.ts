/**
 * Generates the committed artifacts that derive from the schema: the JSON Schemas editors use for autocompletion
 * (`tenants/tenant.schema.json`, `tenants/fleet.schema.json`) and the field reference (`tenants/REFERENCE.md`).
 * `generate.test.ts` fails when a committed file differs from what this produces.
 *
 *   npx tsx fleet/manifest/generate.ts          # rewrite the artifacts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { RULES } from './rules';
import { FleetSchema, TenantSchema } from './schema';

export interface Artifact {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  [key: string]: unknown;
};

/** Draft-07 (what yaml-language-server supports best), describing the input: fields with defaults are optional. */
function toJsonSchema(schema: z.ZodType, title: string): JsonSchema {
  const generated = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const { $schema, ...rest } = generated;
  return { $schema, title, ...rest };
}

export function tenantJsonSchema(): JsonSchema {
  return toJsonSchema(TenantSchema, 'flota tenant (tenants/<id>.yaml)');
}

export function fleetJsonSchema(): JsonSchema {
  return toJsonSchema(FleetSchema, 'flota fleet defaults (tenants/_fleet.yaml)');
}

// ---------------------------------------------------------------------------------------------------------------------
// Field reference
// ---------------------------------------------------------------------------------------------------------------------

export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** Rendered default: a JSON value, the documented inheritance, or `required`; undefined when not documented. */
  readonly defaultText: string | undefined;
  readonly description: string;
  readonly constraints: string;
}

const DEFAULT_IN_TEXT = /\s*Default: (.*?)\s*$/;

/** Flattens a JSON Schema into one row per field (records as `<key>`, list items as `[]`). */
export function fieldRows(schema: JsonSchema): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (node: JsonSchema, p: string, required: boolean) => {
    if (p !== '') rows.push(row(node, p, required));
    if (node.properties !== undefined) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, p === '' ? key : `${p}.${key}`, node.required?.includes(key) ?? false);
    }
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${p}.<key>`, false);
    if (node.items !== undefined && node.items.properties !== undefined) visit(node.items, `${p}[]`, true);
  };
  visit(schema, '', true);
  return rows;
}

function row(node: JsonSchema, p: string, required: boolean): FieldRow {
  const description = node.description ?? '';
  const inText = DEFAULT_IN_TEXT.exec(description);
  const defaultText =
    node.default !== undefined
      ? `\`${JSON.stringify(node.default)}\``
      : required
        ? 'required'
        : p.endsWith('.<key>')
          ? '—'
          : inText?.[1]?.replace(/\.$/, '');
  return {
    path: p,
    type: typeOf(node),
    required,
    defaultText,
    description: description.replace(DEFAULT_IN_TEXT, '').trim(),
    constraints: constraintsOf(node),
  };
}

function typeOf(node: JsonSchema): string {
  if (node.enum !== undefined) return node.type === 'number' || node.type === 'integer' ? `${node.type} (enum)` : 'enum';
  if (node.anyOf !== undefined) return node.anyOf.map(typeOf).join(' \\| ');
  if (node.type === 'object') return node.additionalProperties !== undefined && typeof node.additionalProperties === 'object' ? 'map' : 'object';
  if (node.type === 'array') return `list of ${node.items !== undefined ? typeOf(node.items) : 'any'}`;
  return Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'any');
}

function constraintsOf(node: JsonSchema): string {
  const parts: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) parts.push(`${lo}..${hi}${unit}`);
    else if (lo !== undefined) parts.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) parts.push(`≤ ${hi}${unit}`);
  };
  range(node.minimum, node.maximum, '');
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  range(node.minLength, node.maxLength, ' chars');
  range(node.minItems, node.maxItems, ' items');
  if (node.minProperties === 1 && node.maxProperties === 1) parts.push('exactly one key');
  if (node.enum !== undefined) parts.push(`one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (node.format !== undefined) parts.push(`format ${node.format}`);
  else if (node.pattern !== undefined) parts.push(`pattern \`${node.pattern}\``);
  if (node.items !== undefined && node.items.enum !== undefined) parts.push(`items: ${node.items.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (node.items?.format !== undefined) parts.push(`items: ${node.items.format}`);
  if (node.propertyNames?.pattern !== undefined) parts.push(`keys match \`${node.propertyNames.pattern}\``);
  if (node.additionalProperties === false) parts.push('no other keys');
  return parts.join('; ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(rows: readonly FieldRow[]): string {
  const lines = ['| field | type | default | constraints | description |', '|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(`| \`${r.path}\` | ${r.type} | ${cell(r.defaultText ?? '—')} | ${cell(r.constraints)} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}

export function referenceMarkdown(): string {
  const tenant = tenantJsonSchema();
  const fleet = fleetJsonSchema();
  return [
    '<!-- GENERATED by `npx tsx fleet/manifest/generate.ts` from fleet/manifest/schema/. Do not edit by hand. -->',
    '# Manifest field reference',
    '',
    'The tenants directory holds `_fleet.yaml` (fleet defaults) and one `<tenant-id>.yaml` per tenant. A tenant value',
    "overrides its tier's value, which comes from `_fleet.yaml`. Keys not listed here are errors. Validate with",
    '`npx flota validate`.',
    '',
    '## Tenant file: `tenants/<id>.yaml`',
    '',
    tenant.description ?? '',
    '',
    table(fieldRows(tenant)),
    '',
    '## Fleet defaults: `tenants/_fleet.yaml`',
    '',
    fleet.description ?? '',
    '',
    table(fieldRows(fleet)),
    '',
    '## Validation rules',
    '',
    'Every error prints as `FILE:LINE:COL: field.path: what is wrong (got VALUE; how to fix)`; `--json` adds the code.',
    '',
    '| code | rejects |',
    '|---|---|',
    ...RULES.map((r) => `| \`${r.code}\` | ${cell(r.title)} |`),
    '',
  ].join('\n');
}

/** Every generated artifact, with its content as it should be committed. */
export function generatedArtifacts(): Artifact[] {
  return [
    { path: 'tenants/tenant.schema.json', content: `${JSON.stringify(tenantJsonSchema(), null, 2)}\n` },
    { path: 'tenants/fleet.schema.json', content: `${JSON.stringify(fleetJsonSchema(), null, 2)}\n` },
    { path: 'tenants/REFERENCE.md', content: referenceMarkdown() },
  ];
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  for (const artifact of generatedArtifacts()) {
    const target = path.join(root, artifact.path);
    const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    fs.writeFileSync(target, artifact.content);
    process.stdout.write(`${before === artifact.content ? 'unchanged' : 'wrote    '} ${artifact.path}\n`);
  }
}
