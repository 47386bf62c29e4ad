#!/usr/bin/env node
'use strict';
// The flota CLI. It bundles cli/main.ts with esbuild (a fraction of a second; dependencies stay external) and runs plain
// JS without source maps: cdktf tokens capture a stack trace each, and source-mapped runners (ts-node, tsx) make synth
// several times slower. No separate build step is needed on a fresh clone.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
// flota pins Node 20 (see package.json engines); the AWS SDK's "Node 22 from January 2027" notice is not actionable per run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const outfile = path.join(root, '.build', 'cli.js');
// Write to a private file, then rename: concurrent invocations (parallel tests, CI jobs) never read a half-written bundle.
const privateOut = `${outfile}.${process.pid}.tmp`;
try {
  esbuild.buildSync({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    outfile: privateOut,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'silent',
  });
  fs.renameSync(privateOut, outfile);
} catch (error) {
  fs.rmSync(privateOut, { force: true });
  const messages = (error.errors || []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`);
  process.stderr.write(`flota: cannot build the CLI:\n${messages.length ? messages.join('\n') : error.message}\n`);
  process.exit(2);
}
require(outfile)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      // Commands turn bad input into sentences themselves; what reaches here is a bug. One line, the stack on request.
      const message = error instanceof Error ? error.message : String(error);
      const stack = process.env.FLOTA_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
      process.stderr.write(`flota: unexpected error: ${message} (FLOTA_DEBUG=1 prints the stack trace)${stack}\n`);
      process.exitCode = 2;
    },
  );
