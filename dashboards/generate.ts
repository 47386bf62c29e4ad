/**
 * Writes dashboards/generated/<uid>.json from the shipped manifest (tenants/). Run `npx tsx dashboards/generate.ts`
 * (or `npm run dashboards:generate`) after changing a tenant or a builder; the drift test fails until you do.
 * `--check` only compares and exits 1 on drift (CI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet } from '../fleet';
import { buildDashboards, dashboardJsonText, generatedFileName } from './index';

export const GENERATED_DIR = path.join(__dirname, 'generated');

export function expectedFiles(tenantsDir: string): Map<string, string> {
  const fleet = loadFleet(tenantsDir);
  return new Map(buildDashboards(fleet).map((built) => [generatedFileName(built), dashboardJsonText(built)]));
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const tenantsDir = path.join(__dirname, '..', 'tenants');
  const expected = expectedFiles(tenantsDir);
  const existing = fs.existsSync(GENERATED_DIR) ? fs.readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.json')) : [];
  const stale = existing.filter((f) => !expected.has(f));
  const changed = [...expected].filter(([file, text]) => !fs.existsSync(path.join(GENERATED_DIR, file)) || fs.readFileSync(path.join(GENERATED_DIR, file), 'utf8') !== text);
  if (check) {
    for (const [file] of changed) process.stderr.write(`dashboards/generated/${file}: out of date\n`);
    for (const file of stale) process.stderr.write(`dashboards/generated/${file}: no longer generated\n`);
    if (changed.length + stale.length > 0) process.stderr.write('run `npx tsx dashboards/generate.ts` and commit the result\n');
    return changed.length + stale.length > 0 ? 1 : 0;
  }
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  for (const [file, text] of changed) fs.writeFileSync(path.join(GENERATED_DIR, file), text);
  for (const file of stale) fs.rmSync(path.join(GENERATED_DIR, file));
  process.stdout.write(`dashboards: ${expected.size} files, ${changed.length} written, ${stale.length} removed\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
