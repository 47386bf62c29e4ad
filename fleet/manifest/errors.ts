/**
 * Manifest errors: one record per problem, each pointing at the offending key or value, printed as
 * `FILE:LINE:COL: field.path: what is wrong (got VALUE; how to fix)`.
 */
import type { RuleCode } from './rules';

export interface ManifestError {
  /** Stable rule code (see RULES in rules.ts), e.g. `unknown-key`. */
  readonly code: RuleCode;
  /** File path relative to the working directory (or the directory, for directory-level problems). */
  readonly file: string;
  /** 1-based line and column of the offending key or value (1:1 when the whole file is at fault). */
  readonly line: number;
  readonly col: number;
  /** Dotted field path inside the file, e.g. `slo.latency.target`; `(file)` when the whole file is at fault. */
  readonly path: string;
  /** What is wrong, without the value (`must be at most 99.999`). */
  readonly message: string;
  /** The value found, rendered for humans (secrets are redacted). */
  readonly got: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `FILE:LINE:COL: field.path: message (got VALUE; fix)`: one line, grep- and editor-friendly. */
export function formatError(e: ManifestError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path}: ${e.message} (got ${e.got}; ${e.fix})`;
}

/**
 * A field path as printed: `slo.latency.target`, `tags.cost-centre`; a key that is empty or holds dots, spaces or
 * quotes is quoted (`tags."a.b"`), so the path always reads as one unambiguous token. `(file)` for the whole file.
 */
export function fieldPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(file)';
  return path.map((s) => (typeof s === 'number' || /^[^\s."'\\\p{C}]+$/u.test(s) ? String(s) : JSON.stringify(s))).join('.');
}

/** Orders errors by file, then position, then path, so output is stable and reads top to bottom. */
export function compareErrors(a: ManifestError, b: ManifestError): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Thrown by `loadFleet` when the manifest is invalid; `.errors` holds every problem found (not just the first). */
export class ManifestValidationError extends Error {
  readonly errors: readonly ManifestError[];

  constructor(errors: readonly ManifestError[]) {
    const files = new Set(errors.map((e) => e.file)).size;
    super(
      `${errors.length} manifest error${errors.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}:\n` +
        errors.map(formatError).join('\n'),
    );
    this.name = 'ManifestValidationError';
    this.errors = errors;
  }
}

/** Renders a value found in a manifest for an error message: short, single-line, JSON-ish. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return 'an empty mapping';
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
    return `a mapping with ${shown.join(', ')}${keys.length > 5 ? `, … (${keys.length} keys)` : ''}`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}
