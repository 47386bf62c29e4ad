/**
 * Runs flota's SLO rule groups over a traffic scenario on Grafana's schedule and reports when each window pair first
 * fires, next to the SRE Workbook's theoretical detection time.
 *
 * Grafana behaviour replayed here (grafana/grafana v10.4.x sources, paths relative to the repository root):
 * - schedule (pkg/services/ngalert/schedule/schedule.go processTick, ticker.go getStartTick): ticks every base interval
 *   (10 s) aligned to the Unix epoch; a rule group with interval I runs on ticks where
 *   (tick / base) mod (I / base) = jitter offset (0 without jitter), evaluated AT the tick time;
 * - group interval must be a positive multiple of the base interval (models/alert_rule.go ValidateRuleGroupInterval);
 * - states (pkg/services/ngalert/state/state.go resultNormal / resultAlerting / resultNoData / resultError): Alerting
 *   results go Pending → Alerting once `for` has elapsed (for = 0: Alerting at once); NoData and Error map through
 *   noDataState / execErrState (OK → Normal, Alerting → treated as Alerting, NoData / Error → kept as such);
 * - an instance missing from the results is resolved once stale: lastEval + 2 × interval ≤ now
 *   (pkg/services/ngalert/state/manager.go stateIsStale).
 */
import type { SloAlertRule, SloRuleGroup } from '../model/slo-rules';
import type { AlertSeverity, BurnRateWindow } from '../model/slo-windows';
import type { SliName } from '../../contract/telemetry';
import { evaluateRule, labelsKey, type EvaluableRule, type EvaluateOptions, type InstanceResult, type Labels, type MetricSource } from './evaluate';
import { scenarioSource, type Scenario, type SourceOptions } from './scenario';

/** Grafana's scheduler tick (unified_alerting.base_interval; not configurable on Amazon Managed Grafana). */
export const BASE_INTERVAL_SECONDS = 10;

/** Instants (Unix seconds) in [from, to] at which a group with `intervalSeconds` is evaluated. */
export function evaluationTimes(intervalSeconds: number, from: number, to: number, jitterOffsetTicks = 0, baseSeconds = BASE_INTERVAL_SECONDS): number[] {
  if (intervalSeconds <= 0 || intervalSeconds % baseSeconds !== 0) {
    throw new RangeError(`interval (${intervalSeconds}s) should be non-zero and divided exactly by scheduler interval: ${baseSeconds}`);
  }
  const frequency = intervalSeconds / baseSeconds;
  if (jitterOffsetTicks < 0 || jitterOffsetTicks >= frequency) throw new RangeError(`jitter offset must be in [0, ${frequency})`);
  const times: number[] = [];
  // first tick ≥ from whose tick number ≡ offset (mod frequency)
  let tick = Math.ceil(from / baseSeconds);
  tick += (((jitterOffsetTicks - (tick % frequency)) % frequency) + frequency) % frequency;
  for (; tick * baseSeconds <= to; tick += frequency) times.push(tick * baseSeconds);
  return times;
}

export type AlertState = 'Normal' | 'Pending' | 'Alerting' | 'NoData' | 'Error';

export interface InstanceState {
  readonly labels: Labels;
  readonly state: AlertState;
  /** When the current state started (Pending start for `for`). */
  readonly startsAt: number;
  readonly lastEval: number;
  readonly error?: string;
}

export interface StateOptions {
  /** The rule's `for`, seconds (flota sets none: 0). */
  readonly forSeconds?: number;
}

/** One evaluation's results applied to the previous instance state (state.go). */
export function nextState(
  previous: InstanceState | undefined,
  result: InstanceResult,
  rule: Pick<EvaluableRule, 'noDataState' | 'execErrState'>,
  at: number,
  options: StateOptions = {},
): InstanceState {
  const forSeconds = options.forSeconds ?? 0;
  const base = { labels: result.labels, lastEval: at };
  const normal = (): InstanceState => ({ ...base, state: 'Normal', startsAt: previous?.state === 'Normal' ? previous.startsAt : at });
  const alerting = (): InstanceState => {
    if (previous?.state === 'Alerting') return { ...base, state: 'Alerting', startsAt: previous.startsAt };
    if (previous?.state === 'Pending') {
      return at - previous.startsAt >= forSeconds ? { ...base, state: 'Alerting', startsAt: at } : { ...base, state: 'Pending', startsAt: previous.startsAt };
    }
    return { ...base, state: forSeconds > 0 ? 'Pending' : 'Alerting', startsAt: at };
  };
  const keep = (state: 'NoData' | 'Error'): InstanceState => ({
    ...base,
    state,
    startsAt: previous?.state === state ? previous.startsAt : at,
    ...(result.error === undefined ? {} : { error: result.error }),
  });
  switch (result.state) {
    case 'Normal':
      return normal();
    case 'Alerting':
      return alerting();
    case 'NoData':
      return rule.noDataState === 'OK' ? normal() : rule.noDataState === 'Alerting' ? alerting() : keep('NoData');
    case 'Error':
      return rule.execErrState === 'OK' ? normal() : rule.execErrState === 'Alerting' ? alerting() : keep('Error');
  }
}

export interface RuleRun {
  readonly rule: SloAlertRule;
  readonly evaluations: number;
  /** First evaluation at which an instance (of `tenant`, if given) is Alerting (firing). */
  readonly firstFiring?: number;
  /** Last such evaluation. */
  readonly lastFiring?: number;
  /** Evaluations with at least one firing instance. */
  readonly firingEvaluations: number;
  /** Evaluations whose result was an Error, and the first error message. */
  readonly errorEvaluations: number;
  readonly firstError?: string;
  /** Evaluations that returned a NoData result. */
  readonly noDataEvaluations: number;
  /** Instance states after the last evaluation. */
  readonly finalStates: readonly InstanceState[];
}

export interface RunOptions extends EvaluateOptions, StateOptions {
  readonly from: number;
  readonly to: number;
  /** Only instances with this Tenant label count as firing. */
  readonly tenant?: string;
  readonly jitterOffsetTicks?: number;
}

/** Evaluates one rule on its group's schedule over [from, to] and tracks its instances' states. */
export function runRule(rule: SloAlertRule, intervalSeconds: number, source: MetricSource, options: RunOptions): RuleRun {
  const states = new Map<string, InstanceState>();
  let firstFiring: number | undefined;
  let lastFiring: number | undefined;
  let firstError: string | undefined;
  let evaluations = 0;
  let firingEvaluations = 0;
  let errorEvaluations = 0;
  let noDataEvaluations = 0;
  const counts = (labels: Labels): boolean => options.tenant === undefined || labels.Tenant === options.tenant;
  for (const at of evaluationTimes(intervalSeconds, options.from, options.to, options.jitterOffsetTicks ?? 0)) {
    evaluations++;
    const evaluation = evaluateRule(rule, at, source, options);
    const seen = new Set<string>();
    for (const result of evaluation.instances) {
      const key = labelsKey(result.labels);
      seen.add(key);
      states.set(key, nextState(states.get(key), result, rule, at, options));
      if (result.state === 'Error') {
        errorEvaluations++;
        firstError ??= result.error;
      }
      if (result.state === 'NoData') noDataEvaluations++;
    }
    // manager.go stateIsStale: instances missing for two intervals are resolved (dropped)
    for (const [key, state] of states) {
      if (!seen.has(key) && state.lastEval + 2 * intervalSeconds <= at) states.delete(key);
    }
    const firing = [...states.values()].some((s) => s.state === 'Alerting' && counts(s.labels));
    if (firing) {
      firingEvaluations++;
      firstFiring ??= at;
      lastFiring = at;
    }
  }
  return {
    rule,
    evaluations,
    firingEvaluations,
    errorEvaluations,
    noDataEvaluations,
    finalStates: [...states.values()],
    ...(firstFiring === undefined ? {} : { firstFiring, lastFiring }),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

export interface WindowReport {
  readonly windowId: string;
  readonly severity: AlertSeverity;
  readonly intervalSeconds: number;
  readonly burnRate: number;
  readonly runs: readonly RuleRun[];
  /** Earliest firing over the group's rules. */
  readonly firstFiring?: number;
  /** firstFiring − scenario.incidentStart, seconds. */
  readonly detectionSeconds?: number;
  readonly errorEvaluations: number;
  readonly firstError?: string;
}

export interface SimulationReport {
  readonly scenario: string;
  readonly byWindow: Readonly<Record<string, WindowReport>>;
  /** Earliest detection over page / ticket windows (seconds after the incident start). */
  readonly timeToPage?: number;
  readonly timeToTicket?: number;
  readonly errorEvaluations: number;
}

export interface SimulateOptions extends EvaluateOptions, StateOptions, SourceOptions {
  /** Only rules of this SLI (default: every rule; rules of other SLIs see no data). */
  readonly sli?: SliName;
  readonly tenant?: string;
  /** Default: one hour before the incident. */
  readonly from?: number;
  /** Default: the scenario end. */
  readonly to?: number;
  /** Per-group jitter offset in ticks (default 0 = jitter disabled). */
  readonly jitterOffsetTicks?: (group: SloRuleGroup) => number;
  /** Override the scenario's metric source. */
  readonly source?: MetricSource;
}

/** Runs every group over the scenario and reports detection per window pair and severity. */
export function simulate(groups: readonly SloRuleGroup[], scenario: Scenario, options: SimulateOptions = {}): SimulationReport {
  const source = options.source ?? scenarioSource(scenario, options);
  const from = options.from ?? scenario.incidentStart - 3600;
  const to = options.to ?? scenario.start + scenario.minutes * 60;
  const byWindow: Record<string, WindowReport> = {};
  let errorEvaluations = 0;
  for (const group of groups) {
    const rules = group.rules.filter((r) => options.sli === undefined || r.sli === options.sli);
    const runs = rules.map((rule) =>
      runRule(rule, group.intervalSeconds, source, {
        ...options,
        from,
        to,
        jitterOffsetTicks: options.jitterOffsetTicks?.(group) ?? 0,
      }),
    );
    const firings = runs.flatMap((r) => (r.firstFiring === undefined ? [] : [r.firstFiring]));
    const firstFiring = firings.length > 0 ? Math.min(...firings) : undefined;
    const errors = runs.reduce((n, r) => n + r.errorEvaluations, 0);
    errorEvaluations += errors;
    const firstError = runs.find((r) => r.firstError !== undefined)?.firstError;
    byWindow[group.windowId] = {
      windowId: group.windowId,
      severity: group.severity,
      intervalSeconds: group.intervalSeconds,
      burnRate: rules[0]?.window.burnRate ?? NaN,
      runs,
      errorEvaluations: errors,
      ...(firstFiring === undefined ? {} : { firstFiring, detectionSeconds: firstFiring - scenario.incidentStart }),
      ...(firstError === undefined ? {} : { firstError }),
    };
  }
  const earliest = (severity: AlertSeverity): number | undefined => {
    const times = Object.values(byWindow).flatMap((w) => (w.severity === severity && w.detectionSeconds !== undefined ? [w.detectionSeconds] : []));
    return times.length > 0 ? Math.min(...times) : undefined;
  };
  const timeToPage = earliest('page');
  const timeToTicket = earliest('ticket');
  return {
    scenario: scenario.name,
    byWindow,
    errorEvaluations,
    ...(timeToPage === undefined ? {} : { timeToPage }),
    ...(timeToTicket === undefined ? {} : { timeToTicket }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Theory: Google SRE Workbook, chapter 5 "Alerting on SLOs"

/**
 * Detection time of a burn-rate alert (SRE Workbook ch. 5): for an alert on window W at burn-rate threshold b, a
 * sudden error ratio e is detected after ((1 − SLO) / e) × W × b. Derivation: after t of burning, the window's error
 * ratio is e × t / W (the window held no errors before); it reaches the threshold b × (1 − SLO) when
 * t = W × b × (1 − SLO) / e. With e = k × (1 − SLO) ("burn k"): t = W × b / k. The short window (W / 12) reaches it
 * 12× sooner, so the long window decides. For k < b the window's ratio caps at e < threshold: it never fires.
 * Returns seconds, or undefined when the pair must not fire.
 */
export function workbookDetectionSeconds(window: Pick<BurnRateWindow, 'longWindowMinutes' | 'burnRate'>, burn: number): number | undefined {
  if (!(burn >= window.burnRate)) return undefined;
  return (window.longWindowMinutes * 60 * window.burnRate) / burn;
}

/** A pair must fire iff the burn reaches its burn rate (given enough traffic and a long enough scenario). */
export function mustFire(window: Pick<BurnRateWindow, 'burnRate'>, burn: number): boolean {
  return burn >= window.burnRate;
}
