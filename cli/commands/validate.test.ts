import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shippedTenantCount, SHIPPED_TENANTS_DIR } from '../../fleet/testing/shipped-fleet';
import { loadFleet } from '../../fleet';
import { reservedConcurrencyOf, UNRESERVED_CONCURRENCY_MINIMUM } from '../../fleet/model/sizing';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'fleet/manifest/fixtures';

function flota(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/flota.js', 'validate', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('flota validate', () => {
  test('exits 0 and prints a summary for the shipped fleet, with the quota increases a new account needs', () => {
    const { code, stdout, stderr } = flota();
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    const [summary, heading, ...increases] = stderr.trimEnd().split('\n');
    expect(summary).toBe(`✓ ${shippedTenantCount()} tenants valid`);
    expect(heading).toMatch(/^quota increases to request \(Service Quotas\) before the first deploy into a new account/);
    // 50 tenants = 50 RDS DB instances, over the AWS default of 40; their reserved concurrency (ingest + API + migrate of
    // each tenant, + the 100 AWS keeps unreserved) is over the default 1,000 concurrent executions.
    const fleet = loadFleet(SHIPPED_TENANTS_DIR);
    const reserved = fleet.tenants.reduce((sum, t) => sum + reservedConcurrencyOf(t), 0) + UNRESERVED_CONCURRENCY_MINIMUM;
    expect(increases).toEqual([
      `  cell default (the deploy account, eu-west-1): rds L-7B6409FD "DB instances" 40 → 60 (uses ${shippedTenantCount()})`,
      `  cell default (the deploy account, eu-west-1): lambda L-B99A9384 "Concurrent executions" 1000 → 2000 (uses ${reserved})`,
    ]);
  });

  test('a fleet within every AWS default prints no increases', () => {
    const { code, stderr } = flota('--tenants', `${FIXTURES}/good/minimal`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '✓ 1 tenant valid\n' });
  });

  test('exits 1 and prints every error line with a summary on stderr', () => {
    const dir = `${FIXTURES}/bad/out-of-range`;
    const { code, stdout, stderr } = flota('--tenants', dir);
    expect(code).toBe(1);
    expect(stdout).toBe(fs.readFileSync(path.join(ROOT, dir, 'expected.txt'), 'utf8'));
    expect(stdout.split('\n')[0]).toBe(`${dir}/alpha.yaml:9:14: ingest.batchSize: must be at most 10000 (got 20000; use a value from 1 to 10000)`);
    expect(stderr).toBe('✗ 9 errors in 2 files\n');
  });

  test('--json prints a machine-readable array with codes', () => {
    const { code, stdout } = flota('--tenants', `${FIXTURES}/bad/unknown-key`, '--json');
    expect(code).toBe(1);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      file: `${FIXTURES}/bad/unknown-key/alpha.yaml`,
      line: 9,
      col: 3,
      path: 'ingest.batchsize',
      code: 'unknown-key',
      message: 'unknown key',
      got: '"batchsize"',
      fix: 'did you mean "batchSize"?',
    });
  });

  test('--json prints [] for a valid directory', () => {
    const { code, stdout } = flota(`--tenants=${FIXTURES}/good/overrides`, '--json');
    expect({ code, stdout }).toEqual({ code: 0, stdout: '[]\n' });
  });

  test('--base checks the change against the fleet deployed from a git ref (here: HEAD, which the shipped fleet matches)', () => {
    const base = flota('--base', 'HEAD');
    expect({ code: base.code, stdout: base.stdout }).toEqual({ code: 0, stdout: '' });
    expect(base.stderr.split('\n')[0]).toBe(`✓ ${shippedTenantCount()} tenants valid`); // then the quota increases, as without --base
    const missing = flota('--base', 'no-such-ref-anywhere');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("git ref 'no-such-ref-anywhere' is not a commit");
    expect(flota('--base').code).toBe(2);
  });

  test('exits 2 on a usage error', () => {
    const { code, stderr } = flota('--tenant', 'x');
    expect(code).toBe(2);
    expect(stderr).toContain("flota validate: unknown option '--tenant'");
    expect(flota('--tenants').code).toBe(2);
  });
});
