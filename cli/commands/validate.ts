/**
 * `flota validate [--tenants DIR] [--base REF] [--json]`: validates the manifest and prints EVERY error, one per line
 * (`FILE:LINE:COL: field.path: message (got VALUE; fix)`), or a JSON array with `--json`. The summary goes to stderr so
 * stdout stays scriptable. Exit code: 0 valid, 1 invalid, 2 usage error.
 *
 * `--base REF` (CI passes the PR's base branch) also checks the change against the fleet deployed from REF: a change
 * whose new Lambda concurrency would exceed the max_connections still in force until the database reboots is refused
 * with the two-step plan that deploys it safely (connection-transition).
 *
 * `--aws` also checks, with the caller's AWS credentials (secretsmanager:DescribeSecret), that every contact secret
 * the manifest names exists in the fleet region, before any plan needs it (missing-secret). Exit 2 when a secret
 * cannot be checked at all (e.g. access denied).
 */
import { contactSecretsToCheck, deployedBudgets, loadFleet, loadManifest, type DeployedBudgets } from '../../fleet';
import { formatError } from '../../fleet/manifest';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkSecretsExist } from '../lib/contact-secrets';
import { withManifestAt } from '../lib/fleet-index';
import { GitError } from '../lib/git';
import { quotaCodeText } from '../../fleet/manifest/schema';
import { buildFleetModel } from '../../fleet/model/fleet';
import { cellLabel, fleetQuotaReport } from '../../fleet/model/quotas';

const USAGE = `usage: flota validate [--tenants DIR] [--base REF] [--aws] [--json]

  --tenants DIR  directory holding _fleet.yaml and one <tenant-id>.yaml per tenant (default: tenants)
  --base REF     also check the change against the fleet deployed from git REF (e.g. origin/main): concurrency that
                 would outrun a max_connections still waiting for a reboot is refused with the two-step fix
  --aws          also check that every alert-contact secret exists in Secrets Manager (fleet region; needs
                 secretsmanager:DescribeSecret; never reads a value)
  --json         print errors as a JSON array of {file, line, col, path, code, message, got, fix}
`;

interface Options {
  readonly tenants: string;
  readonly json: boolean;
  readonly base?: string;
  readonly aws: boolean;
}

function parseArgs(args: readonly string[]): Options | { readonly help: true } | { readonly error: string } {
  let tenants = 'tenants';
  let json = false;
  let base: string | undefined;
  let aws = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--json') json = true;
    else if (arg === '--aws') aws = true;
    else if (arg === '--base') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return { error: '--base needs a git ref' };
      base = value;
    } else if (arg.startsWith('--base=')) base = arg.slice('--base='.length);
    else if (arg === '--tenants') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return { error: '--tenants needs a directory' };
      tenants = value;
    } else if (arg.startsWith('--tenants=')) tenants = arg.slice('--tenants='.length);
    else return { error: `unknown option '${arg}'` };
  }
  return base === undefined ? { tenants, json, aws } : { tenants, json, aws, base };
}

/**
 * The connection budgets deployed from `ref`, or undefined when the manifest there is absent or invalid (nothing
 * trustworthy to compare with; the base's own CI reported that). A ref that does not exist is a usage error.
 */
function budgetsAt(ref: string): DeployedBudgets | undefined {
  return withManifestAt(process.cwd(), ref, (dir) => {
    try {
      return deployedBudgets(loadFleet(dir));
    } catch {
      return undefined;
    }
  });
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
  let deployed: DeployedBudgets | undefined;
  if (options.base !== undefined) {
    try {
      deployed = budgetsAt(options.base);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      process.stderr.write(`flota validate: ${error.message}\n`);
      return 2;
    }
    if (deployed === undefined) process.stderr.write(`flota validate: the manifest at ${options.base} is missing or invalid; not checking the change against it\n`);
  }
  let missingSecrets: ReadonlySet<string> | undefined;
  if (options.aws) {
    const { region, secrets } = contactSecretsToCheck(options.tenants);
    if (region !== undefined) {
      const check = await checkSecretsExist(secrets, new SecretsManagerClient({ region }));
      if (check.unchecked.length > 0) {
        for (const { secret, reason } of check.unchecked) process.stderr.write(`flota validate: cannot check secret ${JSON.stringify(secret)}: ${reason}\n`);
        process.stderr.write('flota validate: --aws needs secretsmanager:DescribeSecret on the contact secrets in the fleet region\n');
        return 2;
      }
      missingSecrets = check.missing;
      process.stderr.write(`checked ${secrets.length} contact secret${secrets.length === 1 ? '' : 's'} in ${region}: ${check.missing.size} missing\n`);
    }
  }
  const result = loadManifest(options.tenants, {
    ...(deployed === undefined ? {} : { deployed }),
    ...(missingSecrets === undefined ? {} : { missingSecrets }),
  });
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
