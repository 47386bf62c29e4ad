/**
 * Multiwindow, multi-burn-rate alert windows, kept as data that cites its source (the sloth approach).
 *
 * Source: Google, "The Site Reliability Workbook", chapter 5 "Alerting on SLOs", table 5-8 ("Recommended parameters for
 * a 99.9 % SLO alerting configuration", 30-day SLO window): page at burn rate 14.4 over 1 h AND 5 m (2 % of the budget),
 * page at 6 over 6 h AND 30 m (5 %), ticket at 1 over 3 d AND 6 h (10 %). sloth's 30-day windows add a ticket at 3 over
 * 1 d AND 2 h (10 %), which the workbook's text discusses but its table omits; flota keeps it.
 *
 * burn rate = observed error ratio ÷ (1 − SLO target); an alert fires when BOTH windows exceed the burn rate. The short
 * window is 1/12 of the long one, so the alert stops firing soon after the burn stops.
 *
 * Pure data and pure functions: no cdktf, no I/O.
 */

export type AlertSeverity = 'page' | 'ticket';

/** One row of the table, for the workbook's 30-day SLO window. */
export interface BurnRateWindowSpec {
  /** Stable id used in rule names and uids (never an index). */
  readonly id: string;
  readonly severity: AlertSeverity;
  /** Share of the whole SLO window's error budget consumed when the long window burns at exactly the burn rate. */
  readonly budgetShare: number;
  readonly longWindowMinutes: number;
  readonly shortWindowMinutes: number;
}

/** The reference SLO window of table 5-8. */
export const REFERENCE_SLO_WINDOW_DAYS = 30;

/**
 * Table 5-8 (30-day window), ordered fastest burn first. Burn rates are not stored: they follow from the share and the
 * windows (share × SLO window ÷ long window), so the table cannot contradict itself.
 */
export const SRE_WORKBOOK_WINDOWS: readonly BurnRateWindowSpec[] = [
  { id: 'page-1h', severity: 'page', budgetShare: 0.02, longWindowMinutes: 60, shortWindowMinutes: 5 },
  { id: 'page-6h', severity: 'page', budgetShare: 0.05, longWindowMinutes: 6 * 60, shortWindowMinutes: 30 },
  { id: 'ticket-1d', severity: 'ticket', budgetShare: 0.1, longWindowMinutes: 24 * 60, shortWindowMinutes: 2 * 60 },
  { id: 'ticket-3d', severity: 'ticket', budgetShare: 0.1, longWindowMinutes: 3 * 24 * 60, shortWindowMinutes: 6 * 60 },
];

/** A window pair resolved for a concrete SLO window length. */
export interface BurnRateWindow {
  readonly id: string;
  readonly severity: AlertSeverity;
  readonly budgetShare: number;
  /** Whole minutes (CloudWatch periods are whole minutes). */
  readonly longWindowMinutes: number;
  readonly shortWindowMinutes: number;
  /** share × SLO window ÷ long window (14.4 for the 1 h page at 30 days). */
  readonly burnRate: number;
}

/**
 * The four window pairs for an SLO window of `sloWindowDays`. Windows scale with the SLO window so each pair keeps
 * its budget share; they are rounded to whole minutes and the burn rate is recomputed from the rounded long window,
 * so "fires ⇒ at least `budgetShare` of the budget is gone" stays exact.
 */
export function burnRateWindows(sloWindowDays: number = REFERENCE_SLO_WINDOW_DAYS): readonly BurnRateWindow[] {
  if (!Number.isFinite(sloWindowDays) || sloWindowDays <= 0) {
    throw new RangeError(`SLO window must be a positive number of days (got ${sloWindowDays}); the workbook uses 30`);
  }
  const scale = sloWindowDays / REFERENCE_SLO_WINDOW_DAYS;
  const sloWindowMinutes = sloWindowDays * 24 * 60;
  return SRE_WORKBOOK_WINDOWS.map((spec) => {
    const longWindowMinutes = Math.max(1, Math.round(spec.longWindowMinutes * scale));
    const shortWindowMinutes = Math.max(1, Math.round(spec.shortWindowMinutes * scale));
    return {
      id: spec.id,
      severity: spec.severity,
      budgetShare: spec.budgetShare,
      longWindowMinutes,
      shortWindowMinutes,
      burnRate: roundTo((spec.budgetShare * sloWindowMinutes) / longWindowMinutes, 6),
    };
  });
}

/** Error-ratio threshold of one window pair for one SLO target. */
export interface BurnRateThreshold extends BurnRateWindow {
  /** 1 − target. */
  readonly errorBudget: number;
  /** burnRate × errorBudget: fire when the error ratio over both windows is at least this. */
  readonly errorRatioThreshold: number;
  /**
   * False when the threshold is above 100 % (e.g. a 90 % SLO at burn 14.4): such a pair can never fire, which
   * sloth-style generators hide; flota reports it (and `flota cost` / the docs list it).
   */
  readonly attainable: boolean;
}

/** 1 − target without floating-point noise (0.99 → 0.01, not 0.010000000000000009): the error budget, everywhere. */
export function errorBudget(target: number): number {
  return roundTo(1 - target, 12);
}

export function burnRateThresholds(target: number, sloWindowDays: number = REFERENCE_SLO_WINDOW_DAYS): readonly BurnRateThreshold[] {
  if (!(target > 0 && target < 1)) {
    throw new RangeError(`SLO target must be a fraction in (0, 1), e.g. 0.999 for 99.9 % (got ${target})`);
  }
  const budget = errorBudget(target);
  return burnRateWindows(sloWindowDays).map((window) => {
    const errorRatioThreshold = roundTo(window.burnRate * budget, 12);
    return { ...window, errorBudget: budget, errorRatioThreshold, attainable: errorRatioThreshold <= 1 };
  });
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
