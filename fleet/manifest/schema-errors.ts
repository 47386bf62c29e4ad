/**
 * zod issues → manifest errors: each issue becomes one `FILE:LINE:COL: field: what (got …; fix)` line with a stable rule
 * code, "did you mean" for typos and the field's own description as the hint.
 */
import type { z } from 'zod';
import { fieldPath, renderValue, type ManifestError } from './errors';
import { didYouMean, type CheckedFile, type RuleCode } from './rules';
import { CUSTOM_CODE } from './schema';
import type { ParsedFile } from './yaml-source';


export function validate<S extends z.ZodType>(parsed: ParsedFile, schema: S, errors: ManifestError[]): CheckedFile<z.output<S>> | undefined {
  const result = schema.safeParse(parsed.data);
  if (result.success) {
    return { file: parsed.file, data: result.data, locate: parsed.locate, valueAt: parsed.valueAt };
  }
  errors.push(...withoutEchoes(result.error.issues.flatMap((issue) => issueToErrors(issue, parsed, schema))));
  return undefined;
}

/**
 * A misspelt key shows up twice in zod (an unknown key, and the field it was meant to be is missing, or a contact that
 * names nothing); report only the typo, whose "did you mean" fixes both.
 */
function withoutEchoes(errors: readonly ManifestError[]): ManifestError[] {
  const typos = errors.filter((e) => e.code === 'unknown-key');
  const parentOf = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf('.')));
  return errors.filter((e) => {
    if (e.code === 'missing-field') {
      const field = e.path.slice(e.path.lastIndexOf('.') + 1);
      return !typos.some((t) => parentOf(t.path) === parentOf(e.path) && t.fix === `did you mean ${JSON.stringify(field)}?`);
    }
    if (e.code === 'invalid-contact') return !typos.some((t) => parentOf(t.path) === e.path);
    return true;
  });
}

type Issue = z.core.$ZodIssue;
type Segment = string | number;

function issueToErrors(issue: Issue, parsed: ParsedFile, schema: z.ZodType): ManifestError[] {
  const issuePath = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
  const at = (p: readonly Segment[], where: 'key' | 'value', code: RuleCode, message: string, got: string, fix: string): ManifestError => {
    const { line, col } = parsed.locate(p, where);
    return { code, file: parsed.file, line, col, path: fieldPath(p), message, got, fix };
  };
  const value = parsed.valueAt(issuePath);
  const description = describeAt(schema, issuePath);
  const hint = description !== undefined ? ` (${firstSentence(description)})` : '';

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, issuePath);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, allowed);
        return at(
          [...issuePath, key],
          'key',
          'unknown-key',
          'unknown key',
          JSON.stringify(key),
          guess !== undefined ? `did you mean ${JSON.stringify(guess)}?` : `remove it; allowed keys here: ${allowed.join(', ')}`,
        );
      });
    }
    case 'invalid_type': {
      if (issuePath.length === 0 && (value === undefined || value === null)) {
        return [at([], 'value', 'missing-field', 'file is empty', 'nothing', 'write the fields as `key: value` lines; see tenants/REFERENCE.md')];
      }
      if (value === undefined) {
        if (issuePath.length === 0) {
          return [at([], 'value', 'missing-field', 'file is empty', 'nothing', 'write the tenant fields; see tenants/REFERENCE.md')];
        }
        const field = issuePath[issuePath.length - 1]!;
        return [
          at(issuePath, 'key', 'missing-field', 'is required', 'nothing', `add \`${field}:\` here${hint}`),
        ];
      }
      const expected = issue.expected as string;
      return [at(issuePath, 'value', 'wrong-type', `must be ${typeWords(expected)}`, renderValue(value), typeFix(expected, value))];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const guess = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      const fix =
        guess !== undefined
          ? allowed.length > 8
            ? `did you mean ${JSON.stringify(guess)}? (${allowed.length} allowed values, listed in tenants/REFERENCE.md)`
            : `did you mean ${JSON.stringify(guess)}? allowed: ${allowed.join(', ')}`
          : `use one of ${allowed.join(', ')}`;
      return [at(issuePath, 'value', 'invalid-enum', 'is not an allowed value', renderValue(value), fix)];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
      const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
      const origin = (issue as { origin?: string }).origin;
      const range = rangeAt(schema, issuePath);
      const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      const count = (n: number | bigint, unit: string) => `${String(n)} ${unit}${Number(n) === 1 ? '' : 's'}`;
      if (origin === 'array' || origin === 'string') {
        const unit = origin === 'array' ? 'item' : 'character';
        return [
          at(
            issuePath,
            'value',
            'out-of-range',
            `must have ${relation} ${count(bound, unit)}`,
            renderValue(value),
            range.min !== undefined && range.max !== undefined
              ? `give ${range.min}..${range.max} ${unit}s`
              : `give ${small ? 'at least' : 'at most'} ${count(bound, unit)}`,
          ),
        ];
      }
      return [
        at(
          issuePath,
          'value',
          'out-of-range',
          `must be ${relation} ${String(bound)}`,
          renderValue(value),
          range.min !== undefined && range.max !== undefined
            ? `use a value from ${range.min} to ${range.max}`
            : `use a value ${small ? '≥' : '≤'} ${String(bound)}`,
        ),
      ];
    }
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'custom': {
      const params = (issue as { params?: { flota?: string; fix?: string; redact?: boolean } }).params;
      if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
        // A record key failed (e.g. a tag key): point at the key itself.
        const inner = issue.issues[0];
        return [
          at(issuePath, 'key', 'invalid-format', inner?.message ?? 'is not a valid key', JSON.stringify(issue.path[issue.path.length - 1] ?? ''), `rename the key${hint}`),
        ];
      }
      const code: RuleCode =
        params?.flota === CUSTOM_CODE.secretLiteral
          ? 'secret-literal'
          : params?.flota === CUSTOM_CODE.oneContact
            ? 'invalid-contact'
            : params?.flota === CUSTOM_CODE.duplicateEntry
              ? 'duplicate-entry'
              : issue.code === 'not_multiple_of'
                ? 'out-of-range'
                : 'invalid-format';
      const got = params?.redact === true && typeof value === 'string' ? `${JSON.stringify(`${value.slice(0, 8)}…`)} (redacted)` : renderValue(value);
      const message = issue.message.startsWith('Invalid') && issue.code === 'invalid_format' ? `is not a valid ${issue.format}` : issue.message;
      const fix = params?.fix ?? formatFix(issue, description);
      return [at(issuePath, 'value', code, message, got, fix)];
    }
    default: {
      const never = issue as { message: string };
      return [at(issuePath, 'value', 'invalid-format', never.message, renderValue(value), `fix the value${hint}`)];
    }
  }
}

function formatFix(issue: Issue, description: string | undefined): string {
  if (issue.code === 'invalid_format') {
    if (issue.format === 'email') return 'write an address like team@example.com';
    if (issue.format === 'url') return 'write a URL like https://runbooks.example.com/slo';
  }
  return description !== undefined ? `expected: ${firstSentence(description)}` : 'fix the value';
}

function typeWords(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'text';
    default:
      return expected;
  }
}

function typeFix(expected: string, value: unknown): string {
  switch (expected) {
    case 'number':
    case 'int':
      return typeof value === 'string' ? 'write the number without quotes' : expected === 'int' ? 'drop the fraction' : 'write a number';
    case 'boolean':
      return 'write true or false, without quotes';
    case 'string':
      return 'write text; quote it if it looks like a number or boolean';
    case 'object':
      return 'write nested `key: value` lines indented under this key';
    case 'array':
      return 'write a list: one `- item` line per entry';
    default:
      return `write ${typeWords(expected)}`;
  }
}

function firstSentence(text: string): string {
  const cut = text.search(/(?<!\be\.g|\bi\.e)\.(\s|$)/);
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

// ---------------------------------------------------------------------------------------------------------------------
// Schema introspection (for "did you mean" and field descriptions)
// ---------------------------------------------------------------------------------------------------------------------

interface SchemaInternals {
  readonly _zod: { readonly def: Record<string, unknown> & { readonly type: string } };
  readonly description?: string;
}

function unwrapOnce(schema: SchemaInternals): SchemaInternals | undefined {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return def['innerType'] as SchemaInternals;
    case 'pipe':
      return def['in'] as SchemaInternals;
    default:
      return undefined;
  }
}

/** The schema at `p` plus its description (the outermost wrapper that carries one). */
function schemaAt(root: z.ZodType, p: readonly Segment[]): { schema?: SchemaInternals; description?: string } {
  let schema: SchemaInternals | undefined = root as unknown as SchemaInternals;
  let description: string | undefined = schema.description;
  for (const segment of p) {
    // unwrap to the structural type
    while (schema !== undefined && unwrapOnce(schema) !== undefined) schema = unwrapOnce(schema);
    if (schema === undefined) return {};
    const def: SchemaInternals["_zod"]["def"] = schema._zod.def;
    if (def.type === 'object') schema = (def['shape'] as Record<string, SchemaInternals>)[String(segment)];
    else if (def.type === 'record') schema = def['valueType'] as SchemaInternals;
    else if (def.type === 'array') schema = def['element'] as SchemaInternals;
    else return {};
    description = undefined;
    let s = schema;
    while (s !== undefined) {
      if (description === undefined && s.description !== undefined) description = s.description;
      s = unwrapOnce(s) as SchemaInternals;
    }
  }
  while (schema !== undefined && unwrapOnce(schema) !== undefined) schema = unwrapOnce(schema);
  return { schema, description };
}

/** The numeric or length bounds of the schema at `p`, for "use a value from A to B". */
function rangeAt(root: z.ZodType, p: readonly Segment[]): { min?: number; max?: number } {
  const { schema } = schemaAt(root, p);
  const checks = (schema?._zod.def['checks'] as { _zod: { def: { check: string; value?: number; minimum?: number; maximum?: number } } }[] | undefined) ?? [];
  const range: { min?: number; max?: number } = {};
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === 'greater_than' || d.check === 'min_length') range.min = d.value ?? d.minimum;
    if (d.check === 'less_than' || d.check === 'max_length') range.max = d.value ?? d.maximum;
  }
  return range;
}

function describeAt(root: z.ZodType, p: readonly Segment[]): string | undefined {
  return schemaAt(root, p).description;
}

function keysAt(root: z.ZodType, p: readonly Segment[]): string[] {
  const { schema } = schemaAt(root, p);
  if (schema === undefined || schema._zod.def.type !== 'object') return [];
  return Object.keys(schema._zod.def['shape'] as object);
}
