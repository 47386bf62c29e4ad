/**
 * `flota validate [--tenants DIR] [--json]`: validates the manifest and prints EVERY error, one per line
 * (`FILE:LINE:COL: field.path: message (got VALUE; fix)`), or a JSON array with `--json`. The summary goes to stderr so
 * stdout stays scriptable. Exit code: 0 valid, 1 invalid, 2 usage error.
 */
import { loadManifest } from '../../fleet';
import { formatError } from '../../fleet/manifest';
import { quotaCodeText } from '../../fleet/manifest/schema';
import { buildFleetModel } from '../../fleet/model/fleet';
import { cellLabel, fleetQuotaReport } from '../../fleet/model/quotas';

const USAGE = `usage: flota validate [--tenants DIR] [--json]

  --tenants DIR  directory holding _fleet.yaml and one <tenant-id>.yaml per tenant (default: tenants)
  --json         print errors as a JSON array of {file, line, col, path, code, message, got, fix}
`;

interface Options {
  readonly tenants: string;
  readonly json: boolean;
}

function parseArgs(args: readonly string[]): Options | { readonly help: true } | { readonly error: string } {
  let tenants = 'tenants';
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--json') json = true;
    else if (arg === '--tenants') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return { error: '--tenants needs a directory' };
      tenants = value;
    } else if (arg.startsWith('--tenants=')) tenants = arg.slice('--tenants='.length);
    else return { error: `unknown option '${arg}'` };
  }
  return { tenants, json };
}

/**
 * The quota increases a new account needs before the first deploy: every quota `_fleet.yaml` declares above the AWS
 * default (validation has already proven the fleet fits the declared values). `flota quotas --aws` shows which of them
 * an account already has.
 */
export function increasesText(model: Parameters<typeof fleetQuotaReport>[0]): string {
  const lines = fleetQuotaReport(model).flatMap((report) =>
    report.increases.map(
      (i) => `  ${cellLabel(report.cell)}: ${quotaCodeText(i.quota)} "${i.quota.name}" ${i.from} → ${i.to} (uses ${i.usage})`,
    ),
  );
  if (lines.length === 0) return '';
  return `quota increases to request (Service Quotas) before the first deploy into a new account — _fleet.yaml declares these values:\n${lines.join('\n')}\n`;
}

export async function run(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if ('help' in options) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('error' in options) {
    process.stderr.write(`flota validate: ${options.error}\n\n${USAGE}`);
    return 2;
  }
  const result = loadManifest(options.tenants);
  if (result.ok) {
    if (options.json) process.stdout.write('[]\n');
    const n = result.manifest.tenants.length;
    process.stderr.write(`✓ ${n} tenant${n === 1 ? '' : 's'} valid\n`);
    process.stderr.write(increasesText(buildFleetModel(result.manifest)));
    return 0;
  }
  const { errors } = result;
  if (options.json) {
    const rows = errors.map((e) => ({ file: e.file, line: e.line, col: e.col, path: e.path, code: e.code, message: e.message, got: e.got, fix: e.fix }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(errors.map((e) => `${formatError(e)}\n`).join(''));
  }
  const files = new Set(errors.map((e) => e.file)).size;
  process.stderr.write(`✗ ${errors.length} error${errors.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`);
  return 1;
}
