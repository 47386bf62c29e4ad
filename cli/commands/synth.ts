/**
 * `flota synth [--tenants DIR] [--out DIR] [--json]`: validate the manifest, bundle the functions, synthesize every stack.
 * `npm start` runs it, and so does `cdktf synth` (cdktf.json `app`), which passes its output directory in CDKTF_OUTDIR.
 */
import * as path from 'node:path';
import { ManifestValidationError, formatError } from '../../fleet/manifest/errors';
import { FunctionBundleError } from '../../stacks/assets/bundle';
import { synthesize, type SynthProgress } from '../../stacks/main';
import { parseCommandArgs } from '../lib/args';
import { printJson, processIo, runCommand, type Io } from '../lib/output';

export const HELP = `usage: flota synth [--tenants DIR] [--out DIR] [--json]

Validates the manifest (every error is printed, nothing is written when one is found), bundles the Lambda functions
once, and synthesizes the platform stack and one stack per tenant. The output directory is replaced atomically.

options:
  --tenants DIR  manifest directory (default: tenants)
  --out DIR      output directory (default: $CDKTF_OUTDIR, else cdktf.out)
  --json         print a machine-readable summary on stdout (progress still goes to stderr)
  --quiet        no progress lines
`;

const OPTIONS = {
  tenants: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describe(event: SynthProgress): string {
  switch (event.step) {
    case 'validated':
      return `validated ${event.tenants} tenant${event.tenants === 1 ? '' : 's'} (${seconds(event.ms)})`;
    case 'bundled': {
      const sizes = Object.values(event.bundles).map((b) => `${b.name} ${Math.round(b.bytes / 1024)} KiB`);
      const cached = Object.values(event.bundles).every((b) => b.cached === true) ? ', cached' : '';
      return `bundled functions: ${sizes.join(', ')} (${seconds(event.ms)}${cached})`;
    }
    case 'synthesized':
      return `synthesized ${event.stacks} stacks (${seconds(event.ms)})`;
  }
}

export async function runSynth(args: readonly string[], io: Io, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return runCommand(io, HELP, async () => {
    const { values } = parseCommandArgs(args, OPTIONS, { allowPositionals: false });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const tenantsDir = values.tenants ?? 'tenants';
    const outDir = values.out ?? env.CDKTF_OUTDIR ?? 'cdktf.out';
    try {
      const result = await synthesize({
        rootDir: cwd,
        tenantsDir,
        outDir: path.resolve(cwd, outDir),
        onProgress: values.quiet ? undefined : (event) => io.stderr(`flota synth: ${describe(event)}\n`),
      });
      if (values.json) {
        printJson(io, {
          ok: true,
          outDir,
          tenants: result.tenants,
          stacks: result.stackNames,
          functions: Object.fromEntries(
            Object.values(result.bundles).map((b) => [b.name, { sha256: b.sha256Hex, bytes: b.bytes }]),
          ),
          ms: result.ms,
        });
      } else if (!values.quiet) {
        io.stderr(`flota synth: wrote ${outDir}/ in ${seconds(result.ms)}\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ManifestValidationError) {
        for (const e of error.errors) io.stderr(`${formatError(e)}\n`);
        io.stderr(`flota synth: ${error.errors.length} manifest error(s); nothing was written\n`);
        if (values.json) printJson(io, { ok: false, errors: error.errors });
        return 1;
      }
      if (error instanceof FunctionBundleError) {
        io.stderr(`flota synth: ${error.message}\nnothing was written\n`);
        return 1;
      }
      throw error;
    }
  });
}

export async function run(args: string[]): Promise<number> {
  return runSynth(args, processIo, process.env, process.cwd());
}
