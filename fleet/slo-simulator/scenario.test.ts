import { cloudWatchBuckets, DEFAULT_START, lowTraffic, mergeScenarios, MinuteMetric, missingMetrics, scenarioSource, spike, steadyBurn } from './scenario';
import { SLI } from '../../contract/telemetry';

const query = (metricName: string, period: number, tenants: string | string[] = '*') => ({
  refId: 'A',
  datasourceUid: 'flota-cloudwatch',
  model: { metricName, period: String(period), dimensions: { Service: 'api', Tenant: tenants } },
});

describe('traffic scenarios', () => {
  test('steady burn: whole bad events, exact ratio k × budget from the incident start, none before', () => {
    const s = steadyBurn({ burn: 14.4, budget: 0.001 });
    const acme = s.tenants.acme!;
    const warmup = (s.incidentStart - s.start) / 60;
    expect(acme.bad[warmup - 1]).toBe(0);
    expect(acme.bad[warmup]).toBe(144); // 10,000 req/min × 1.44 %
    expect(acme.good[warmup]! + acme.bad[warmup]!).toBe(10_000);
    expect(Number.isInteger(acme.bad.reduce((a, b) => a + b, 0))).toBe(true);
  });

  test('a fractional expectation keeps its long-run ratio with whole events', () => {
    const s = steadyBurn({ burn: 1, budget: 0.001, requestsPerMinute: 150 }); // 0.15 bad per minute
    const acme = s.tenants.acme!;
    const warmup = (s.incidentStart - s.start) / 60;
    const day = acme.bad.slice(warmup, warmup + 1440).reduce((a, b) => a + b, 0);
    expect(day).toBe(216);
  });

  test('spike, low traffic and missing-metric shapes', () => {
    const sp = spike({ spikeMinutes: 2 });
    const w = (sp.incidentStart - sp.start) / 60;
    expect([sp.tenants.acme!.bad[w], sp.tenants.acme!.bad[w + 1], sp.tenants.acme!.bad[w + 2]]).toEqual([10_000, 10_000, 0]);
    const low = lowTraffic({ everyMinutes: 60 });
    expect(low.tenants.acme!.good.reduce((a, b) => a + b, 0) + low.tenants.acme!.bad.reduce((a, b) => a + b, 0)).toBe(144); // 6 days, 1/h
    expect(missingMetrics({ emits: 'totalsOnly' }).tenants.acme!.emits).toBe('totalsOnly');
    expect(Object.keys(mergeScenarios('two', [steadyBurn({ burn: 1, budget: 0.001 }), steadyBurn({ burn: 2, budget: 0.001, tenant: 'globex' })]).tenants)).toEqual(['acme', 'globex']);
  });
});

describe('CloudWatch period buckets', () => {
  const metric = new MinuteMetric(DEFAULT_START, [1, 0, 2, 0, 0, 0, 0, 3, 0, 0]); // minutes 0..9

  test('one Sum point per period bucket aligned to the period, none for empty buckets, only buckets starting in [from, to)', () => {
    const points = cloudWatchBuckets(metric, { periodSeconds: 300, from: DEFAULT_START, to: DEFAULT_START + 600, now: DEFAULT_START + 3600 });
    expect(points).toEqual([
      { time: DEFAULT_START, value: 3 },
      { time: DEFAULT_START + 300, value: 3 },
    ]);
    const unaligned = cloudWatchBuckets(metric, { periodSeconds: 300, from: DEFAULT_START + 60, to: DEFAULT_START + 600, now: DEFAULT_START + 3600 });
    expect(unaligned).toEqual([{ time: DEFAULT_START + 300, value: 3 }]);
    const quiet = cloudWatchBuckets(new MinuteMetric(DEFAULT_START, [0, 0, 0, 0, 0, 5]), { periodSeconds: 300, from: DEFAULT_START, to: DEFAULT_START + 600, now: DEFAULT_START + 3600 });
    expect(quiet).toEqual([{ time: DEFAULT_START + 300, value: 5 }]);
  });

  test("late data: a minute is visible lagSeconds after it ends; 'start' alignment anchors buckets at the range start", () => {
    // at now = start + 180 with a 60 s lag only minute 0 ([0, 60)) is visible
    expect(cloudWatchBuckets(metric, { periodSeconds: 300, from: DEFAULT_START, to: DEFAULT_START + 300, now: DEFAULT_START + 180 })).toEqual([{ time: DEFAULT_START, value: 1 }]);
    expect(cloudWatchBuckets(metric, { periodSeconds: 300, from: DEFAULT_START + 60, to: DEFAULT_START + 600, now: DEFAULT_START + 3600, alignment: 'start' })).toEqual([
      { time: DEFAULT_START + 60, value: 2 },
      { time: DEFAULT_START + 360, value: 3 },
    ]);
  });

  test('the source follows the query model: metric, Tenant dimension, period; REMOVE_EMPTY drops empty series', () => {
    const s = mergeScenarios('two', [steadyBurn({ burn: 10, budget: 0.001 }), lowTraffic({ everyMinutes: 10_000, tenant: 'globex' })]);
    const source = scenarioSource(s);
    const now = s.incidentStart + 3600;
    const total = source(query(SLI.availability.total, 300), now - 3660, now - 60, now);
    expect(total.map((x) => x.labels)).toEqual([{ Service: 'api', Tenant: 'acme' }]); // globex: no request in the hour
    expect(total[0]?.points).toHaveLength(12);
    expect(source(query(SLI.availability.bad, 300, ['globex']), now - 3660, now - 60, now)).toEqual([]);
    expect(source(query(SLI.latency.bad, 300), now - 3660, now - 60, now)).toEqual([]);
    expect(scenarioSource(missingMetrics({ emits: 'totalsOnly' }))(query(SLI.availability.bad, 300), now - 3660, now - 60, now)).toEqual([]);
  });
});
