#!/usr/bin/env node
'use strict';
// The flota CLI. It bundles cli/main.ts with esbuild (~0.2 s, dependencies stay external) and runs plain JS without
// source maps: cdktf tokens capture a stack trace each, and source-mapped runners (ts-node, tsx) make synth several
// times slower. No separate build step is needed on a fresh clone.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.build', 'cli.js');
esbuild.buildSync({
  entryPoints: [path.join(root, 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
require(outfile)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`flota: ${error && error.stack ? error.stack : error}\n`);
      process.exitCode = 2;
    },
  );
