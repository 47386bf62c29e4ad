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
    process.stderr.write(`flota smoke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
