/**
 * Synthetic traffic for the SLO rule simulator: per-minute good / bad event counts per tenant, and a CloudWatch-like
 * metric source that serves them to the rules' queries.
 *
 * CloudWatch model (the simulator's assumptions, from the CloudWatch GetMetricData documentation and Grafana's plugin):
 * - flota's functions emit the bad metric (ServerErrors, SlowRequests, StaleRecords) only in minutes with bad events
 *   and the total metric only in minutes with traffic (EMF), so a period bucket without data has NO datapoint;
 * - a query with period P returns one Sum datapoint per P-second bucket whose start lies in [from, to) — buckets
 *   aligned to multiples of P ('period', the default) or to StartTime rounded down to the minute ('start');
 * - a minute's data becomes visible `lagSeconds` after the minute ends (EMF ≈ 1 min late);
 * - Grafana's builder wraps the SEARCH in REMOVE_EMPTY (pkg/tsdb/cloudwatch buildSearchExpression), so a tenant with no
 *   datapoint in the range has no series at all.
 *
 * Pure and fast: counts are prefix-summed once, so any bucket is O(1).
 */
import { DIMENSION, SLI, type SliName } from '../../contract/telemetry';
import type { DatasourceQuery, MetricSource, Point, SeriesData } from './evaluate';

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;

/** Which metrics a tenant emits: both, the total only (the bad metric is absent entirely), or nothing. */
export type Emission = 'both' | 'totalsOnly' | 'none';

export interface TenantTraffic {
  /** Good events per minute. */
  readonly good: Float64Array;
  /** Bad events per minute. */
  readonly bad: Float64Array;
  readonly emits: Emission;
}

export interface Scenario {
  readonly name: string;
  /** Unix seconds of minute 0 (a multiple of 60). */
  readonly start: number;
  readonly minutes: number;
  /** Unix seconds the incident starts (the reference for time-to-detect). */
  readonly incidentStart: number;
  /** CloudWatch metric names of the SLI the traffic belongs to. */
  readonly metrics: { readonly bad: string; readonly total: string };
  readonly tenants: Readonly<Record<string, TenantTraffic>>;
}

/** Default epoch of synthetic scenarios: 2024-03-04T00:00:00Z (a Monday; any minute-aligned instant works). */
export const DEFAULT_START = Date.UTC(2024, 2, 4) / 1000;

/** Long enough for the 3-day window to be full of pre-incident traffic. */
export const DEFAULT_WARMUP_MINUTES = 3 * 24 * 60;

export interface TrafficSpec {
  readonly name: string;
  readonly sli?: SliName;
  readonly tenant?: string;
  readonly start?: number;
  /** Minutes of healthy traffic before the incident (default 3 days). */
  readonly warmupMinutes?: number;
  /** Minutes from the incident start to the end of the scenario. */
  readonly incidentMinutes: number;
  /** Events per minute at minute m of the scenario (m counts from the scenario start). */
  readonly requestsPerMinute: number | ((minute: number) => number);
  /** Error ratio at minute m (0 before the incident unless the function says otherwise). */
  readonly errorRatio: (minute: number, incidentMinute: number) => number;
  readonly emits?: Emission;
}

/**
 * Builds a one-tenant scenario. Bad counts are whole events: the running total of expected bad events is rounded, so
 * an integral expectation (e.g. 10,000 req/min × 14.4 × 0.1 %) is exact and a fractional one keeps its long-run ratio.
 */
export function trafficScenario(spec: TrafficSpec): Scenario {
  const warmup = spec.warmupMinutes ?? DEFAULT_WARMUP_MINUTES;
  const minutes = warmup + spec.incidentMinutes;
  const start = spec.start ?? DEFAULT_START;
  if (start % MINUTE !== 0) throw new RangeError(`scenario start must be minute-aligned (got ${start})`);
  const good = new Float64Array(minutes);
  const bad = new Float64Array(minutes);
  let expectedBad = 0;
  let emittedBad = 0;
  for (let m = 0; m < minutes; m++) {
    const total = Math.max(0, Math.round(typeof spec.requestsPerMinute === 'number' ? spec.requestsPerMinute : spec.requestsPerMinute(m)));
    const ratio = Math.min(1, Math.max(0, spec.errorRatio(m, m - warmup)));
    expectedBad += total * ratio;
    const b = Math.min(total, Math.max(0, Math.round(expectedBad) - emittedBad));
    emittedBad += b;
    bad[m] = b;
    good[m] = total - b;
  }
  const sli = SLI[spec.sli ?? 'availability'];
  return {
    name: spec.name,
    start,
    minutes,
    incidentStart: start + warmup * MINUTE,
    metrics: { bad: sli.bad, total: sli.total },
    tenants: { [spec.tenant ?? 'acme']: { good, bad, emits: spec.emits ?? 'both' } },
  };
}

/** Several one-tenant scenarios over the same clock and SLI, merged (each tenant keeps its own traffic). */
export function mergeScenarios(name: string, scenarios: readonly Scenario[]): Scenario {
  const [first] = scenarios;
  if (first === undefined) throw new RangeError('mergeScenarios needs at least one scenario');
  for (const s of scenarios) {
    if (s.start !== first.start || s.minutes !== first.minutes || s.metrics.bad !== first.metrics.bad) {
      throw new RangeError(`scenario ${s.name} does not share ${first.name}'s clock and SLI`);
    }
  }
  return { ...first, name, tenants: Object.assign({}, ...scenarios.map((s) => s.tenants)) as Record<string, TenantTraffic> };
}

export interface CommonSpec {
  readonly sli?: SliName;
  readonly tenant?: string;
  /** Default 10,000: with a 0.1 % or 1 % budget every burn of the test matrix is a whole number of bad events. */
  readonly requestsPerMinute?: number;
  readonly warmupMinutes?: number;
  /** Default 3 days. */
  readonly incidentMinutes?: number;
}

const DEFAULT_RPM = 10_000;
const DEFAULT_INCIDENT_MINUTES = 3 * 24 * 60;

/** Steady burn: error ratio k × budget from the incident start to the end (none before). */
export function steadyBurn(spec: CommonSpec & { readonly burn: number; readonly budget: number }): Scenario {
  return trafficScenario({
    name: `steady ${spec.burn}x`,
    ...common(spec),
    errorRatio: (_m, im) => (im >= 0 ? spec.burn * spec.budget : 0),
  });
}

/** A short spike: `errorRatio` (default 100 %) for `spikeMinutes`, healthy otherwise. */
export function spike(spec: CommonSpec & { readonly spikeMinutes: number; readonly errorRatio?: number }): Scenario {
  return trafficScenario({
    name: `spike ${spec.spikeMinutes}m`,
    ...common(spec),
    errorRatio: (_m, im) => (im >= 0 && im < spec.spikeMinutes ? (spec.errorRatio ?? 1) : 0),
  });
}

/** Recovery: burn k × budget for `burnMinutes`, then errors stop (traffic continues). */
export function burnThenRecover(spec: CommonSpec & { readonly burn: number; readonly budget: number; readonly burnMinutes: number }): Scenario {
  return trafficScenario({
    name: `burn ${spec.burn}x for ${spec.burnMinutes}m then recover`,
    ...common(spec),
    errorRatio: (_m, im) => (im >= 0 && im < spec.burnMinutes ? spec.burn * spec.budget : 0),
  });
}

/**
 * Low traffic: one event every `everyMinutes` minutes (e.g. 60 → 72 events in 3 days, under a 100-event guard for
 * every window), a share `errorRatio` (default 100 %) of them bad from the incident on.
 */
export function lowTraffic(spec: CommonSpec & { readonly everyMinutes: number; readonly errorRatio?: number }): Scenario {
  return trafficScenario({
    name: `low traffic 1/${spec.everyMinutes}m`,
    ...common(spec),
    requestsPerMinute: (m) => (m % spec.everyMinutes === 0 ? 1 : 0),
    errorRatio: (_m, im) => (im >= 0 ? (spec.errorRatio ?? 1) : 0),
  });
}

/** Missing data: traffic with errors, but no metrics at all ('none') or only the total metric ('totalsOnly'). */
export function missingMetrics(spec: CommonSpec & { readonly emits: Exclude<Emission, 'both'>; readonly errorRatio?: number }): Scenario {
  return trafficScenario({
    name: `missing metrics (${spec.emits})`,
    ...common(spec),
    emits: spec.emits,
    errorRatio: (_m, im) => (im >= 0 ? (spec.errorRatio ?? 0.5) : 0),
  });
}

function common(spec: CommonSpec): Pick<TrafficSpec, 'sli' | 'tenant' | 'warmupMinutes' | 'incidentMinutes' | 'requestsPerMinute'> {
  return {
    ...(spec.sli === undefined ? {} : { sli: spec.sli }),
    ...(spec.tenant === undefined ? {} : { tenant: spec.tenant }),
    ...(spec.warmupMinutes === undefined ? {} : { warmupMinutes: spec.warmupMinutes }),
    incidentMinutes: spec.incidentMinutes ?? DEFAULT_INCIDENT_MINUTES,
    requestsPerMinute: spec.requestsPerMinute ?? DEFAULT_RPM,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch period buckets

/** Per-minute counts prefix-summed: sum and number of minutes with a datapoint over any minute range in O(1). */
export class MinuteMetric {
  private readonly sums: Float64Array;
  private readonly emitted: Int32Array;

  constructor(
    /** Unix seconds of minute 0. */
    readonly start: number,
    values: ArrayLike<number>,
  ) {
    this.sums = new Float64Array(values.length + 1);
    this.emitted = new Int32Array(values.length + 1);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? 0;
      this.sums[i + 1] = (this.sums[i] ?? 0) + v;
      this.emitted[i + 1] = (this.emitted[i] ?? 0) + (v > 0 ? 1 : 0);
    }
  }

  get minutes(): number {
    return this.sums.length - 1;
  }

  /** Minute index range [lo, hi) of minutes starting in [fromTime, toTime), clipped to the data. */
  private span(fromTime: number, toTime: number): [number, number] {
    const lo = Math.min(this.minutes, Math.max(0, Math.ceil((fromTime - this.start) / MINUTE)));
    const hi = Math.min(this.minutes, Math.max(lo, Math.ceil((toTime - this.start) / MINUTE)));
    return [lo, hi];
  }

  /** Sum over minutes starting in [fromTime, toTime), or null when none of them has a datapoint. */
  sum(fromTime: number, toTime: number): number | null {
    const [lo, hi] = this.span(fromTime, toTime);
    if ((this.emitted[hi] ?? 0) - (this.emitted[lo] ?? 0) === 0) return null;
    return (this.sums[hi] ?? 0) - (this.sums[lo] ?? 0);
  }
}

export type BucketAlignment = 'period' | 'start';

export interface BucketOptions {
  readonly periodSeconds: number;
  /** Query range [from, to), absolute Unix seconds. */
  readonly from: number;
  readonly to: number;
  /** Evaluation instant: minutes that end later than now − lagSeconds are not visible yet. */
  readonly now: number;
  /** Default 60 (EMF metrics arrive about a minute late). */
  readonly lagSeconds?: number;
  /** Default 'period'. */
  readonly alignment?: BucketAlignment;
}

/**
 * CloudWatch-style Sum datapoints of one metric for one query: one point per P-second bucket with data, timestamped
 * with the bucket start; buckets without data have no point.
 */
export function cloudWatchBuckets(metric: MinuteMetric, options: BucketOptions): Point[] {
  const { periodSeconds: p, from, to, now } = options;
  const lag = options.lagSeconds ?? 60;
  // a minute [m, m + 60) is visible once m + 60 + lag ≤ now
  const visibleEnd = Math.floor((now - lag - MINUTE) / MINUTE) * MINUTE + MINUTE;
  const first = (options.alignment ?? 'period') === 'period' ? Math.ceil(from / p) * p : Math.floor(from / MINUTE) * MINUTE;
  const points: Point[] = [];
  for (let b = first; b < to; b += p) {
    const value = metric.sum(b, Math.min(b + p, visibleEnd));
    if (value !== null) points.push({ time: b, value });
  }
  return points;
}

export interface SourceOptions {
  readonly lagSeconds?: number;
  readonly alignment?: BucketAlignment;
}

/**
 * A MetricSource serving `scenario` to flota's CloudWatch query models: metricName picks the metric, the Tenant
 * dimension ('*' or a list) the tenants, `period` the bucket size. Series are labelled {Service, Tenant} as Grafana's
 * builder mode labels a multi-valued dimension. Other metrics (other SLIs) have no data.
 */
export function scenarioSource(scenario: Scenario, options: SourceOptions = {}): MetricSource {
  const metrics = new Map<string, Map<string, MinuteMetric>>([
    [scenario.metrics.bad, new Map()],
    [scenario.metrics.total, new Map()],
  ]);
  // only the bucket options: callers pass wider option objects (SimulateOptions has its own from / to)
  const bucketOptions = {
    ...(options.lagSeconds === undefined ? {} : { lagSeconds: options.lagSeconds }),
    ...(options.alignment === undefined ? {} : { alignment: options.alignment }),
  };
  for (const [tenant, traffic] of Object.entries(scenario.tenants)) {
    if (traffic.emits === 'none') continue;
    const total = new Float64Array(traffic.good.length);
    for (let i = 0; i < total.length; i++) total[i] = (traffic.good[i] ?? 0) + (traffic.bad[i] ?? 0);
    metrics.get(scenario.metrics.total)?.set(tenant, new MinuteMetric(scenario.start, total));
    if (traffic.emits === 'both') metrics.get(scenario.metrics.bad)?.set(tenant, new MinuteMetric(scenario.start, traffic.bad));
  }
  return (query: DatasourceQuery, from: number, to: number, now: number): SeriesData[] => {
    const model = query.model;
    const byTenant = metrics.get(String(model.metricName));
    if (byTenant === undefined) return [];
    const periodSeconds = Number(model.period);
    if (!(periodSeconds > 0)) throw new Error(`query ${query.refId}: the simulator needs an explicit period (got '${String(model.period)}')`);
    const dimensions = (model.dimensions ?? {}) as Record<string, string | string[]>;
    const wanted = dimensions[DIMENSION.tenant];
    const selected = (tenant: string): boolean => wanted === '*' || wanted === tenant || (Array.isArray(wanted) && wanted.includes(tenant));
    const service = dimensions[DIMENSION.service];
    const series: SeriesData[] = [];
    for (const [tenant, metric] of byTenant) {
      if (!selected(tenant)) continue;
      const points = cloudWatchBuckets(metric, { ...bucketOptions, periodSeconds, from, to, now });
      // REMOVE_EMPTY: a series without datapoints is not returned
      if (points.length > 0) {
        series.push({ labels: { ...(typeof service === 'string' ? { [DIMENSION.service]: service } : {}), [DIMENSION.tenant]: tenant }, points });
      }
    }
    return series;
  };
}
