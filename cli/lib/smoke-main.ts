/**
 * Entry point of the self-contained smoke bundle the deploy workflow builds once per run
 * (`esbuild cli/lib/smoke-main.ts --bundle --platform=node`): each tenant's apply job runs
 * `node flota-smoke.js <tenant> --outputs-file …` without installing the project's ~500 MB of dependencies.
 */
import { run } from '../commands/smoke';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An error that escaped the command is a bug: one sentence, the stack only on request.
    const stack = process.env.FLOTA_DEBUG === '1' && error instanceof Error ? `\n${error.stack ?? ''}` : '';
    process.stderr.write(`flota smoke: unexpected error: ${error instanceof Error ? error.message : String(error)} (FLOTA_DEBUG=1 prints the stack trace)${stack}\n`);
    process.exitCode = 2;
  },
);
