import * as path from 'node:path';
import { run } from './slo';

const FIXTURE = path.join(__dirname, '..', '..', 'fleet', 'manifest', 'fixtures', 'good', 'overrides');

function capture() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }, out: () => stdout, err: () => stderr };
}

interface Pair {
  windowId: string;
  intervalSeconds: number;
  expected: 'fire' | 'silent';
  detectionSeconds?: number;
  workbookSeconds?: number;
  ok: boolean;
}
interface Json {
  classes: { sloClass: string; tenant: string; scenarios: { id: string; pairs: Pair[] }[] }[];
  problems: string[];
}

describe('flota slo simulate', () => {
  let json: Json;
  beforeAll(async () => {
    const c = capture();
    expect(await run(['simulate', '--tenants', FIXTURE, '--tenant', 'orders', '--sli', 'availability', '--json'], c.io)).toBe(0);
    json = JSON.parse(c.out()) as Json;
  });
  const pair = (scenario: string, windowId: string): Pair => json.classes[0]!.scenarios.find((s) => s.id === scenario)!.pairs.find((p) => p.windowId === windowId)!;
  const within = (p: Pair): boolean => Math.abs(p.detectionSeconds! - p.workbookSeconds!) <= p.intervalSeconds + 60; // + the query's 60 s end offset

  test('--json: one class of the tenant, no problem: every rule fires exactly where the table says', () => {
    expect(json.classes.map((c) => [c.sloClass, c.tenant])).toEqual([['availability-99.95-30d-min500', 'orders']]);
    expect(json.problems).toEqual([]);
  });

  test('at 14.4× and 6× the pages fire within one evaluation interval of the Workbook’s detection time', () => {
    expect(within(pair('steady-14.4x', 'page-1h'))).toBe(true);
    expect(within(pair('steady-6x', 'page-6h'))).toBe(true);
  });

  // Until the query period was bounded by the evaluation interval (it was the SHORT window), the period-aligned buckets
  // starting in [now − L − 60 s, now − 60 s) covered between L − P and L: 3× fired at 22 h 30 m, 1× at 67 h.
  test('at 3× and 1× the tickets fire within one evaluation interval of the Workbook’s detection time', () => {
    expect(within(pair('steady-3x', 'ticket-1d'))).toBe(true);
    expect(within(pair('steady-1x', 'ticket-3d'))).toBe(true);
  });

  test('below the minimum-traffic guard and with missing data nothing fires', () => {
    for (const scenario of ['low-traffic', 'no-metrics', 'no-bad-metric']) {
      for (const id of ['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']) expect([scenario, id, pair(scenario, id).detectionSeconds]).toEqual([scenario, id, undefined]);
    }
  });

  test('the table: per window pair and scenario, time to page / ticket next to the Workbook figure', async () => {
    const c = capture();
    expect(await run(['simulate', '--tenants', FIXTURE, '--tenant', 'billing', '--sli', 'latency'], c.io)).toBe(0);
    expect(c.out()).toContain('latency-99-30d-min100: latency 99 % over 30 d, guard 100 events (tenant billing)');
    expect(c.out()).toMatch(/steady 14\.4× budget \(error ratio 14\.4 %\)\s+page-1h\s+14\.4×\s+must fire\s+page after 1h\s+1h\s+\+0s \(≤ 1 interval\)\s+ok/);
    expect(c.out()).toMatch(/1 event \/ 60 min, all bad .*page-1h\s+14\.4×\s+must not\s+never\s+ok/);
    expect(c.out()).toContain('every rule fires exactly where the table says it must');
  });

  test('usage errors exit 2; an unknown tenant exits 1', async () => {
    const c = capture();
    expect(await run(['simulate', '--sli', 'speed'], c.io)).toBe(2);
    expect(await run(['explain'], c.io)).toBe(2);
    expect(await run(['simulate', '--tenants', FIXTURE, '--tenant', 'nope'], c.io)).toBe(1);
    expect(c.err()).toContain("unknown tenant 'nope'");
  });
});
