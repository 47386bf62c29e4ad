import * as path from 'node:path';
import { run } from './cost';
import { shippedTenantCount } from '../../fleet/testing/shipped-fleet';

const TENANTS = path.join(__dirname, '..', '..', 'tenants');
const BAD = path.join(__dirname, '..', '..', 'fleet', 'manifest', 'fixtures', 'bad', 'unknown-tier');

function capture() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }, out: () => stdout, err: () => stderr };
}

describe('flota cost', () => {
  test('prints the shipped fleet and a generated fleet with alert, custom-metric and dashboard costs', async () => {
    const c = capture();
    expect(await run(['--tenants', TENANTS, '--generate', '120'], c.io)).toBe(0);
    expect(c.out()).toContain(`Shipped fleet: ${shippedTenantCount()} tenants`);
    expect(c.out()).toContain('Generated fleet: 120 tenants');
    expect(c.out()).toMatch(/alert evaluation \(GetMetricData\)\s+\$\d+\.\d\d\/month/);
    expect(c.out()).toMatch(/operational alarms \(GetMetricData\)\s+\$\d+\.\d\d\/month/);
    expect(c.out()).toContain('ops-dlq-not-empty');
    expect(c.out()).toContain('flota-status-grid');
  });

  test('--json gives both estimates for scripts', async () => {
    const c = capture();
    expect(await run(['--tenants', TENANTS, '--tenant-count', '60', '--json'], c.io)).toBe(0);
    const parsed = JSON.parse(c.out()) as { estimates: { fleet: string; tenants: number; alertEvaluation: { usdPerMonth: number } }[] };
    expect(parsed.estimates.map((e) => [e.fleet, e.tenants])).toEqual([
      ['shipped', shippedTenantCount()],
      ['generated', 60],
    ]);
    expect(parsed.estimates[0].alertEvaluation.usdPerMonth).toBeLessThanOrEqual(50);
    const ops = (parsed.estimates[0] as unknown as { opsAlarms: { usdPerMonth: number; groups: unknown[] } }).opsAlarms;
    expect(ops.groups).toHaveLength(6);
    expect(ops.usdPerMonth).toBeGreaterThan(0);
  });

  test('fails with exit 2 and the usage on a bad option value', async () => {
    const c = capture();
    expect(await run(['--generate', '0'], c.io)).toBe(2);
    expect(c.err()).toContain('--generate must be a positive integer');
  });

  test('fails with exit 1 and every manifest error on an invalid manifest', async () => {
    const c = capture();
    expect(await run(['--tenants', BAD], c.io)).toBe(1);
    expect(c.err()).toMatch(/manifest error/);
  });
});
