/**
 * Loads a tenants directory: reads every `*.yaml` / `*.yml`, parses it keeping source positions, validates each file with
 * the zod schema and then the cross-file rules, and returns either the validated manifest or EVERY error found (never
 * just the first), each pointing at the offending key or value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { compareErrors, renderValue, type ManifestError } from './errors';
import { checkAccountConcurrency, checkFleet, checkIdentities, checkTenants, didYouMean, type CheckedFile, type Locate, type RuleCode, type TenantIdentity } from './rules';
import { CUSTOM_CODE, FleetSchema, TenantSchema, type FleetDefaults, type Manifest, type TenantManifest, type TenantSource } from './schema';

export const FLEET_FILE = '_fleet.yaml';

/** File system access, injectable so tests can simulate unreadable files (tests run as root, where chmod 000 is readable). */
export interface ManifestFileSystem {
  readdir(dir: string): string[];
  readFile(file: string): string;
}

const nodeFileSystem: ManifestFileSystem = {
  readdir: (dir) => fs.readdirSync(dir),
  readFile: (file) => fs.readFileSync(file, 'utf8'),
};

export interface LoadOptions {
  readonly fileSystem?: ManifestFileSystem;
  /** Error paths are printed relative to this directory. Default: process.cwd(). */
  readonly cwd?: string;
}

export type LoadResult =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly errors: readonly ManifestError[] };

/** Loads and validates `dir`. Never throws for a bad manifest: problems come back as `errors`. */
export function loadManifest(dir: string, options: LoadOptions = {}): LoadResult {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const cwd = options.cwd ?? process.cwd();
  const display = (p: string) => path.relative(cwd, path.resolve(cwd, p)) || '.';
  const errors: ManifestError[] = [];
  const dirError = (code: RuleCode, message: string, got: string, fix: string, file = display(dir)) =>
    errors.push({ code, file, line: 1, col: 1, path: '(file)', message, got, fix });

  let entries: string[];
  try {
    entries = fileSystem.readdir(path.resolve(cwd, dir));
  } catch (error) {
    const code = errorCode(error);
    dirError(
      'unreadable-file',
      code === 'ENOENT' ? 'tenants directory does not exist' : 'cannot read the tenants directory',
      code,
      code === 'ENOENT' ? 'pass --tenants <dir> or create the directory' : 'check the directory permissions',
    );
    return { ok: false, errors };
  }

  const yamlFiles = entries.filter((name) => /\.ya?ml$/.test(name)).sort();
  const tenantFiles = yamlFiles.filter((name) => name !== FLEET_FILE);
  if (!yamlFiles.includes(FLEET_FILE)) {
    dirError(
      'missing-fleet-file',
      'fleet defaults file is missing',
      'no _fleet.yaml',
      'create _fleet.yaml (region, prefix, state, tiers, slo, alerts); see tenants/REFERENCE.md',
      display(path.join(dir, FLEET_FILE)),
    );
  }
  if (tenantFiles.length === 0) {
    dirError(
      'empty-directory',
      'no tenant files',
      entries.length === 0 ? 'an empty directory' : `only ${yamlFiles.length === 0 ? 'non-YAML files' : FLEET_FILE}`,
      'add one <tenant-id>.yaml per tenant (see tenants/REFERENCE.md)',
    );
  }

  let fleet: CheckedFile<FleetDefaults> | undefined;
  if (yamlFiles.includes(FLEET_FILE)) {
    const parsed = parseFile(fileSystem, path.resolve(cwd, dir, FLEET_FILE), display(path.join(dir, FLEET_FILE)), errors);
    if (parsed !== undefined) fleet = validate(parsed, FleetSchema, errors);
  }

  const tenants: CheckedFile<TenantManifest>[] = [];
  const identities: TenantIdentity[] = [];
  for (const name of tenantFiles) {
    const parsed = parseFile(fileSystem, path.resolve(cwd, dir, name), display(path.join(dir, name)), errors);
    if (parsed === undefined) continue;
    const id = parsed.valueAt(['id']);
    if (typeof id === 'string') identities.push({ file: parsed.file, fileId: name.replace(/\.ya?ml$/, ''), id, locate: parsed.locate });
    const checked = validate(parsed, TenantSchema, errors);
    if (checked !== undefined) tenants.push(checked);
  }

  errors.push(...checkIdentities(identities));
  if (fleet !== undefined) {
    errors.push(...checkFleet(fleet));
    errors.push(...checkTenants(fleet.data, tenants));
    errors.push(...checkAccountConcurrency(fleet, tenants));
  }

  if (errors.length > 0 || fleet === undefined) return { ok: false, errors: errors.sort(compareErrors) };
  const sources: TenantSource[] = tenants
    .map((t) => ({ file: t.file, tenant: t.data }))
    .sort((a, b) => (a.tenant.id < b.tenant.id ? -1 : a.tenant.id > b.tenant.id ? 1 : 0));
  return { ok: true, manifest: { fleetFile: fleet.file, fleet: fleet.data, tenants: sources } };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}

// ---------------------------------------------------------------------------------------------------------------------
// Parsing with positions
// ---------------------------------------------------------------------------------------------------------------------

interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly locate: Locate;
  readonly valueAt: (p: readonly (string | number)[]) => unknown;
  readonly data: unknown;
}

function parseFile(fileSystem: ManifestFileSystem, absolute: string, file: string, errors: ManifestError[]): ParsedFile | undefined {
  let text: string;
  try {
    text = fileSystem.readFile(absolute);
  } catch (error) {
    const code = errorCode(error);
    errors.push({
      code: 'unreadable-file',
      file,
      line: 1,
      col: 1,
      path: '(file)',
      message: code === 'EISDIR' ? 'is a directory, not a file' : 'cannot be read',
      got: code,
      fix: code === 'EISDIR' ? 'remove or rename the directory' : 'make the file readable (chmod 644) or remove it',
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      errors.push({
        code: 'yaml-syntax',
        file,
        line,
        col,
        path: '(file)',
        message: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        got: e.code,
        fix: yamlFix(e.code),
      });
    }
    return undefined;
  }
  const data: unknown = doc.toJS();
  const locate: Locate = (p, at) => {
    const offset = locateOffset(doc, p, at);
    return lineCounter.linePos(offset);
  };
  const valueAt = (p: readonly (string | number)[]) => {
    let v: unknown = data;
    for (const segment of p) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[segment];
    }
    return v;
  };
  return { file, doc, lineCounter, locate, valueAt, data };
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'keep one of the duplicate keys';
    case 'MISSING_CHAR':
      return 'close the quote or bracket';
    case 'BAD_INDENT':
    case 'MISSING_INDENT':
      return 'indent nested keys by two spaces, consistently';
    case 'MULTIPLE_DOCS':
      return 'keep one document per file (remove the --- separator)';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return 'fix the YAML at this position';
  }
}

/** Offset of the node at `p`: its key (`key`) or its value (`value`); the deepest existing ancestor if it is absent. */
function locateOffset(doc: Document, p: readonly (string | number)[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let best = rangeStart(doc.contents) ?? 0;
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    const last = i === p.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return best;
      const keyStart = rangeStart(pair.key as YamlNode) ?? best;
      const valueStart = rangeStart(pair.value as YamlNode | null);
      if (last) return at === 'key' ? keyStart : (valueStart ?? keyStart);
      best = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return best;
      best = rangeStart(item) ?? best;
      if (last) return best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

function rangeStart(node: YamlNode | null | undefined): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

// ---------------------------------------------------------------------------------------------------------------------
// Schema validation → errors
// ---------------------------------------------------------------------------------------------------------------------

function validate<S extends z.ZodType>(parsed: ParsedFile, schema: S, errors: ManifestError[]): CheckedFile<z.output<S>> | undefined {
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
    return { code, file: parsed.file, line, col, path: p.length === 0 ? '(file)' : p.join('.'), message, got, fix };
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
