import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = join(__dirname, '..', '..');

test('the smoke bundle the deploy workflow builds is self-contained and runs without node_modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flota-smoke-bundle-'));
  try {
    const outfile = join(dir, 'flota-smoke.js');
    // Same options as deploy.yml's "bundle flota smoke" step.
    buildSync({ entryPoints: [join(__dirname, 'smoke-main.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'warning' });
    expect(readFileSync(outfile, 'utf8')).not.toMatch(/require\("(cdktf|@cdktf\/|esbuild|pg)"\)/);
    // Run from a directory without node_modules, reading the real manifest.
    expect(execFileSync(process.execPath, [outfile, '--help'], { cwd: dir, encoding: 'utf8' })).toMatch(/^usage: flota smoke/);
    const unknown = spawnSync(process.execPath, [outfile, 'no-such-tenant', '--tenants', join(root, 'tenants')], { cwd: dir, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown tenant(s): no-such-tenant");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
