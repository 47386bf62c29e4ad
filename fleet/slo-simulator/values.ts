/**
 * Values, labels and durations of Grafana server-side expressions (grafana/grafana v10.4.x), shared by the simulator's
 * expression commands and pipeline. Pure.
 */

// ---------------------------------------------------------------------------------------------------------------
// Values (pkg/expr/mathexp/types.go: Series, Number, Scalar, NoData)

export type Labels = Readonly<Record<string, string>>;

export interface Point {
  /** Unix seconds. */
  readonly time: number;
  /** null = Grafana's nil (*float64). */
  readonly value: number | null;
}

/** What a metric source returns: one labelled series (points sorted by time). */
export interface SeriesData {
  readonly labels: Labels;
  readonly points: readonly Point[];
}

export type Value =
  | { readonly kind: 'series'; readonly labels: Labels; readonly points: readonly Point[] }
  | { readonly kind: 'number'; readonly labels: Labels; readonly value: number | null }
  | { readonly kind: 'scalar'; readonly value: number | null }
  | { readonly kind: 'noData' };

export type Results = readonly Value[];

export const NO_DATA: Value = { kind: 'noData' };
export const EMPTY_LABELS: Labels = Object.freeze({});

// ---------------------------------------------------------------------------------------------------------------
// Labels (grafana-plugin-sdk-go data.Labels: String / Equals / Contains)

/** Grafana's data.Labels.String(): sorted `k=v, k2=v2`. Used as the instance identity. */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(', ');
}

export function labelCount(labels: Labels): number {
  return Object.keys(labels).length;
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  return labelCount(a) === labelCount(b) && labelsContain(a, b);
}

/** a ⊇ b: every label of b is in a with the same value. */
export function labelsContain(a: Labels, b: Labels): boolean {
  for (const key of Object.keys(b)) if (a[key] !== b[key]) return false;
  return true;
}

export function labelsOf(value: Value): Labels {
  return value.kind === 'series' || value.kind === 'number' ? value.labels : EMPTY_LABELS;
}

// ---------------------------------------------------------------------------------------------------------------
// Durations (grafana-plugin-sdk-go backend/gtime.ParseDuration: Go durations plus d, w, M, y)

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2629800, y: 31557600 };

/** Seconds of a duration string such as "5m", "2h", "1d" or "1h30m". */
export function parseDurationSeconds(text: string): number {
  const parts = /^(?:\d+(?:ms|s|m|h|d|w|M|y))+$/.test(text) ? text.match(/\d+(?:ms|s|m|h|d|w|M|y)/g) : null;
  if (!parts) throw new Error(`time: invalid duration "${text}"`);
  return parts.reduce((total, part) => {
    const [, digits, unit] = /^(\d+)(ms|s|m|h|d|w|M|y)$/.exec(part) ?? [];
    return total + Number(digits) * (DURATION_UNITS[unit ?? 's'] ?? 1);
  }, 0);
}
