/**
 * Argument parsing shared by flota's commands: node:util parseArgs in strict mode, with errors that name the option
 * and point at `--help`, so a typo never silently does something else.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: the command prints it with its help text and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<O extends Options> {
  readonly values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
  readonly positionals: readonly string[];
}

/** Parses `args` against `options`; unknown options and missing values throw UsageError naming the option. */
export function parseCommandArgs<O extends Options>(
  args: readonly string[],
  options: O,
  { allowPositionals = true }: { allowPositionals?: boolean } = {},
): ParsedArgs<O> {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true });
    return { values: parsed.values as ParsedArgs<O>['values'], positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** --tenants DIR, and --manifest DIR, its deprecated alias (older scripts and workflows still pass it). */
export const TENANTS_OPTIONS = {
  tenants: { type: 'string' },
  manifest: { type: 'string' },
} as const;

/** The manifest directory from --tenants, or from --manifest with a deprecation warning; 'tenants' by default. */
export function tenantsDirectory(values: { readonly tenants?: string; readonly manifest?: string }, warn: (text: string) => void): string {
  if (values.manifest !== undefined) {
    if (values.tenants !== undefined && values.tenants !== values.manifest) {
      throw new UsageError(`--manifest is the old name of --tenants: pass only --tenants (got --tenants ${values.tenants} and --manifest ${values.manifest})`);
    }
    warn('warning: --manifest is deprecated; use --tenants\n');
  }
  return values.tenants ?? values.manifest ?? 'tenants';
}

/** Parses a positive number option (seconds, counts), naming the option in the error. */
export function positiveNumber(name: string, value: string | undefined, fallback: number, { integer = false } = {}): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got '${value}')`);
  }
  return parsed;
}
