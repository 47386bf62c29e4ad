/**
 * Reduce, resample and threshold (grafana/grafana v10.4.x pkg/expr/commands.go, mathexp/{reduce,resample}.go,
 * threshold.go) on plain values. Pure.
 */
import type { Point } from './values';

// ---------------------------------------------------------------------------------------------------------------
// Reduce (pkg/expr/commands.go ReduceCommand, mathexp/reduce.go)

export type Reducer = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'last';
export type ReduceMode = 'strict' | 'dropNN' | 'replaceNN';

export const isNonNumber = (v: number | null): boolean => v === null || !Number.isFinite(v);

/**
 * reduce.go reducers over a field that may hold nil: sum / mean / min / max return NaN on any nil or NaN ("strict");
 * sum of nothing = 0, mean of nothing = 0/0 = NaN, min / max / last of nothing = NaN, count = length (nils counted);
 * last returns the last value as is (nil included).
 */
export function reduceValues(values: readonly (number | null)[], reducer: Reducer): number | null {
  switch (reducer) {
    case 'count':
      return values.length;
    case 'last':
      return values.length === 0 ? NaN : (values[values.length - 1] ?? null);
    case 'sum':
    case 'mean': {
      let sum = 0;
      for (const v of values) {
        if (v === null || Number.isNaN(v)) return NaN;
        sum += v;
      }
      return reducer === 'sum' ? sum : sum / values.length;
    }
    case 'min':
    case 'max': {
      if (values.length === 0) return NaN;
      let best = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? null;
        if (v === null || Number.isNaN(v)) return NaN;
        if (i === 0 || (reducer === 'min' ? v < best : v > best)) best = v;
      }
      return best;
    }
  }
}

/**
 * reduce.go Series.Reduce with a mapper: dropNN drops nil/NaN/±Inf points and maps a NaN result to nil (so
 * `mean` of nothing is null, `sum` of nothing 0); replaceNN replaces them with the value and maps a NaN result to it.
 */
export function reduceSeries(points: readonly Point[], reducer: Reducer, mode: ReduceMode, replaceWith = 0): number | null {
  let values: (number | null)[] = points.map((p) => p.value);
  if (mode === 'dropNN') values = values.filter((v) => !isNonNumber(v));
  if (mode === 'replaceNN') values = values.map((v) => (isNonNumber(v) ? replaceWith : v));
  const result = reduceValues(values, reducer);
  if (mode !== 'strict' && result !== null && Number.isNaN(result)) return mode === 'dropNN' ? null : replaceWith;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Resample (pkg/expr/commands.go ResampleCommand, mathexp/resample.go)

export type Downsampler = 'sum' | 'mean' | 'min' | 'max' | 'last';
export type Upsampler = 'pad' | 'backfilling' | 'fillna';

export const RESAMPLE_RANGE_ERROR = 'the series cannot be sampled further; the time range is shorter than the interval';

/**
 * resample.go Series.Resample over the ABSOLUTE range [from, to] of the resample stage's own relativeTimeRange:
 * n = ⌊(to − from) / window⌋ (n ≤ 0 → RESAMPLE_RANGE_ERROR); grid points t = from, from + w, …, from + n·w (n + 1
 * points, anchored at `from`, not at window boundaries). Point t takes every not-yet-consumed input point with
 * time ≤ t, i.e. the window (t − w, t] (the first grid point also takes everything before `from`; points after the
 * last grid point are dropped). One value → that value; several → the downsampler (reduce.go, strict: a nil makes
 * NaN); none → the upsampler: fillna = nil, pad = last value seen so far, backfilling = the next input point.
 */
export function resampleSeries(
  points: readonly Point[],
  windowSeconds: number,
  downsampler: Downsampler,
  upsampler: Upsampler,
  from: number,
  to: number,
): Point[] {
  const n = Math.trunc((to - from) / windowSeconds);
  if (n <= 0) throw new Error(RESAMPLE_RANGE_ERROR);
  const out: Point[] = [];
  let next = 0;
  let lastSeen: number | null | undefined;
  for (let idx = 0, t = from; t <= to && idx <= n; idx++, t += windowSeconds) {
    const values: (number | null)[] = [];
    while (next < points.length && (points[next]?.time ?? Infinity) <= t) {
      const v = points[next]?.value ?? null;
      values.push(v);
      lastSeen = v;
      next++;
    }
    let value: number | null;
    if (values.length === 0) {
      if (upsampler === 'pad') value = lastSeen ?? null;
      else if (upsampler === 'backfilling') value = next < points.length ? (points[next]?.value ?? null) : null;
      else value = null;
    } else if (values.length === 1) value = values[0] ?? null;
    else value = reduceValues(values, downsampler);
    out.push({ time: t, value });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Threshold (pkg/expr/threshold.go)

export type ThresholdType = 'gt' | 'lt' | 'within_range' | 'outside_range';

/** The threshold as Grafana 10.4 writes it: a math expression over the referenced variable. */
export function thresholdMath(input: string, type: ThresholdType, params: readonly number[]): string {
  const p = params.map((x) => x.toFixed(6)); // Go's %f
  switch (type) {
    case 'gt':
      return `\${${input}} > ${p[0]}`;
    case 'lt':
      return `\${${input}} < ${p[0]}`;
    case 'within_range':
      return `\${${input}} > ${p[0]} && \${${input}} < ${p[1]}`;
    case 'outside_range':
      return `\${${input}} < ${p[0]} || \${${input}} > ${p[1]}`;
  }
}

/** Grafana 11's predicate form: nil stays nil, otherwise 1 when the predicate holds (false for NaN), else 0. */
export function thresholdPredicate(type: ThresholdType, params: readonly number[]): (v: number | null) => number | null {
  const [a = 0, b = 0] = params;
  const holds: (f: number) => boolean =
    type === 'gt' ? (f) => f > a : type === 'lt' ? (f) => f < a : type === 'within_range' ? (f) => f > a && f < b : (f) => f < a || f > b;
  return (v) => (v === null ? null : holds(v) ? 1 : 0);
}
