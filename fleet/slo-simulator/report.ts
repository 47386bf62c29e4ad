/**
 * The scenario matrix of `flota slo simulate`: for one tenant of each SLO class, every generated window pair is run
 * through the standard scenarios, and each outcome is set against the SRE Workbook's table (ch. 5 "Alerting on SLOs",
 * table 5-8: the pair must fire iff the burn reaches its burn rate, after long window × burn rate ÷ k).
 *
 * Scenarios: a steady error ratio of k × budget for k in BURNS; a short full outage (spike); a 20× burn that stops
 * (recovery); low traffic under the minimum-traffic guard; missing data (no metrics; no bad-event metric).
 *
 * Expectations are the ideal multiwindow alert on exact sliding windows: a burn of k for D minutes reaches, in budget
 * units, k × min(D, W) / W over a window of W minutes, so a pair (long L, short S, burn rate b) must fire iff
 * k × min(D, L) / L ≥ b and k × min(D, S) / S ≥ b (and, for the guard, only with ≥ minEventsPerWindow events in L).
 * Pure: no I/O.
 */
import type { SliName } from '../../contract/telemetry';
import { QUERY_END_OFFSET_SECONDS, sloClasses, sloRuleGroups, type SloClass, type SloRuleGroup } from '../model/slo-rules';
import { burnRateThresholds, type AlertSeverity, type BurnRateThreshold } from '../model/slo-windows';
import type { FleetModel } from '../model/types';
import { burnThenRecover, DAY, lowTraffic, missingMetrics, spike, steadyBurn, type Scenario } from './scenario';
import { simulate, workbookDetectionSeconds, type SimulateOptions } from './simulate';

/** Steady burns of the matrix (multiples of the error budget). */
export const BURNS: readonly number[] = [1, 2, 3, 6, 10, 14.4, 20, 100];
const SPIKE_MINUTES = 2;
const RECOVERY = { burn: 20, minutes: 90 } as const;
/** Long enough for the slowest expected detection (3 d at 1×) plus the 2 h margin of the Workbook figure. */
const STEADY_INCIDENT_MINUTES = 3 * 24 * 60 + 120;

export type Expectation = 'fire' | 'silent';

export interface PairOutcome {
  readonly windowId: string;
  readonly severity: AlertSeverity;
  readonly burnRate: number;
  readonly intervalSeconds: number;
  readonly expected: Expectation;
  /** Seconds from the incident start to the first firing evaluation (time to page / ticket); undefined = never fired. */
  readonly detectionSeconds?: number;
  /** The Workbook's detection time for a steady burn (long window × burn rate ÷ k); undefined when it must not fire. */
  readonly workbookSeconds?: number;
  /** Seconds from the end of the burn to the last firing evaluation (recovery scenario). */
  readonly resetSeconds?: number;
  readonly errorEvaluations: number;
  readonly firstError?: string;
  /** Fired iff expected, and never evaluated to Error. */
  readonly ok: boolean;
}

export interface ScenarioOutcome {
  readonly id: string;
  readonly description: string;
  /** Steady scenarios: the burn multiple k. */
  readonly burn?: number;
  readonly timeToPage?: number;
  readonly timeToTicket?: number;
  readonly pairs: readonly PairOutcome[];
}

export interface ClassSimulation {
  readonly sloClass: string;
  readonly sli: SliName;
  readonly target: number;
  readonly windowDays: number;
  readonly minEventsPerWindow: number;
  /** The tenant whose traffic was simulated (every tenant of the class shares its rules). */
  readonly tenant: string;
  readonly scenarios: readonly ScenarioOutcome[];
  /** Window pairs of the table that the class has no rule for (threshold above 100 %: can never fire). */
  readonly unattainable: readonly string[];
  /** One line per outcome that contradicts the table. Empty = every rule fires exactly where it must. */
  readonly problems: readonly string[];
}

interface Case {
  readonly id: string;
  readonly description: string;
  readonly scenario: Scenario;
  readonly burn?: number;
  readonly expect: (w: BurnRateThreshold) => Expectation;
  /** Minutes of burn (recovery: reset is measured from its end). */
  readonly burnMinutes?: number;
}

/** Must a pair fire on a burn of k (budget multiples) lasting `minutes`? (The ideal alert on exact windows.) */
export function idealFires(w: Pick<BurnRateThreshold, 'burnRate' | 'longWindowMinutes' | 'shortWindowMinutes'>, k: number, minutes = Infinity): boolean {
  const reach = (window: number): number => (k * Math.min(minutes, window)) / window;
  return reach(w.longWindowMinutes) >= w.burnRate && reach(w.shortWindowMinutes) >= w.burnRate;
}

function cases(c: SloClass, tenant: string): Case[] {
  const budget = Math.round((1 - c.target) * 1e12) / 1e12;
  const common = { sli: c.sli, tenant } as const;
  const out: Case[] = [];
  for (const k of BURNS) {
    if (k * budget > 1) continue; // an error ratio above 100 % does not exist
    out.push({
      id: `steady-${k}x`,
      description: `steady ${k}× budget (error ratio ${round(k * budget * 100, 4)} %)`,
      burn: k,
      scenario: steadyBurn({ ...common, burn: k, budget, incidentMinutes: STEADY_INCIDENT_MINUTES }),
      expect: (w) => (idealFires(w, k) ? 'fire' : 'silent'),
    });
  }
  out.push({
    id: 'spike',
    description: `${SPIKE_MINUTES}-minute full outage (100 % errors)`,
    scenario: spike({ ...common, spikeMinutes: SPIKE_MINUTES, incidentMinutes: 2 * 24 * 60 }),
    expect: (w) => (idealFires(w, 1 / budget, SPIKE_MINUTES) ? 'fire' : 'silent'),
    burnMinutes: SPIKE_MINUTES,
  });
  if (RECOVERY.burn * budget <= 1) {
    out.push({
      id: 'recovery',
      description: `${RECOVERY.burn}× for ${RECOVERY.minutes} min, then no errors`,
      scenario: burnThenRecover({ ...common, burn: RECOVERY.burn, budget, burnMinutes: RECOVERY.minutes, incidentMinutes: 24 * 60 }),
      expect: (w) => (idealFires(w, RECOVERY.burn, RECOVERY.minutes) ? 'fire' : 'silent'),
      burnMinutes: RECOVERY.minutes,
    });
  }
  // one event every E minutes, all bad: fewer than minEventsPerWindow events in even the longest window
  const longest = Math.max(...burnRateThresholds(c.target, c.windowDays).map((w) => w.longWindowMinutes));
  if (c.minEventsPerWindow > 1) {
    const every = Math.max(60, Math.ceil(longest / (c.minEventsPerWindow - 1)) + 1);
    out.push({
      id: 'low-traffic',
      description: `1 event / ${every} min, all bad (≤ ${Math.floor(longest / every) + 1} events per window < guard ${c.minEventsPerWindow})`,
      scenario: lowTraffic({ ...common, everyMinutes: every }),
      expect: () => 'silent',
    });
  }
  out.push({
    id: 'no-metrics',
    description: 'missing data: no metrics at all (50 % errors unseen)',
    scenario: missingMetrics({ ...common, emits: 'none', errorRatio: 0.5 }),
    expect: () => 'silent',
  });
  out.push({
    id: 'no-bad-metric',
    description: 'missing data: only the total metric is emitted',
    scenario: missingMetrics({ ...common, emits: 'totalsOnly', errorRatio: 0.5 }),
    expect: () => 'silent',
  });
  return out;
}

export interface ClassOptions extends Pick<SimulateOptions, 'thresholdSemantics' | 'alignment' | 'lagSeconds' | 'jitterOffsetTicks'> {
  /** Only these scenario ids (default: all). */
  readonly scenarios?: readonly string[];
}

/** Runs the matrix for one class on `tenant`'s rules (the rules of `groups` that evaluate it). */
export function simulateClass(groups: readonly SloRuleGroup[], c: SloClass, tenant: string, options: ClassOptions = {}): ClassSimulation {
  const own = groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.sloClass.id === c.id && r.tenantIds.includes(tenant)) }))
    .filter((g) => g.rules.length > 0);
  const thresholds = burnRateThresholds(c.target, c.windowDays);
  const problems: string[] = [];
  const scenarios: ScenarioOutcome[] = [];
  for (const kase of cases(c, tenant)) {
    if (options.scenarios && !options.scenarios.includes(kase.id)) continue;
    const report = simulate(own, kase.scenario, { ...options, sli: c.sli, tenant, from: kase.scenario.incidentStart - 3600 });
    const pairs = own.map((group): PairOutcome => {
      const w = group.rules[0]!.window;
      const run = report.byWindow[group.windowId];
      const expected = kase.expect(w);
      const detectionSeconds = run?.detectionSeconds;
      const workbookSeconds = kase.burn === undefined ? undefined : workbookDetectionSeconds(w, kase.burn);
      const fired = detectionSeconds !== undefined;
      const errors = run?.errorEvaluations ?? 0;
      const ok = fired === (expected === 'fire') && errors === 0;
      let resetSeconds: number | undefined;
      if (fired && kase.burnMinutes !== undefined) {
        const last = Math.max(...(run?.runs ?? []).map((r) => r.lastFiring ?? -Infinity));
        resetSeconds = last - (kase.scenario.incidentStart + kase.burnMinutes * 60);
      }
      if (!ok) {
        problems.push(
          errors > 0
            ? `${c.id} ${kase.id} ${group.windowId}: ${errors} evaluations in Error (${run?.firstError ?? ''})`
            : fired
              ? `${c.id} ${kase.id} ${group.windowId}: fired after ${formatDuration(detectionSeconds)} where the table says it must not`
              : `${c.id} ${kase.id} ${group.windowId}: never fired where the table says it must${workbookSeconds === undefined ? '' : ` (Workbook: ${formatDuration(workbookSeconds)})`}`,
        );
      }
      return {
        windowId: group.windowId,
        severity: group.severity,
        burnRate: w.burnRate,
        intervalSeconds: group.intervalSeconds,
        expected,
        errorEvaluations: errors,
        ok,
        ...(detectionSeconds === undefined ? {} : { detectionSeconds }),
        ...(workbookSeconds === undefined ? {} : { workbookSeconds }),
        ...(resetSeconds === undefined ? {} : { resetSeconds }),
        ...(run?.firstError === undefined ? {} : { firstError: run.firstError }),
      };
    });
    scenarios.push({
      id: kase.id,
      description: kase.description,
      pairs,
      ...(kase.burn === undefined ? {} : { burn: kase.burn }),
      ...(report.timeToPage === undefined ? {} : { timeToPage: report.timeToPage }),
      ...(report.timeToTicket === undefined ? {} : { timeToTicket: report.timeToTicket }),
    });
  }
  return {
    sloClass: c.id,
    sli: c.sli,
    target: c.target,
    windowDays: c.windowDays,
    minEventsPerWindow: c.minEventsPerWindow,
    tenant,
    scenarios,
    unattainable: thresholds.filter((t) => !t.attainable).map((t) => t.id),
    problems,
  };
}

export interface FleetOptions extends ClassOptions {
  /** Only this tenant's classes, simulated on it (default: every class, on its first tenant). */
  readonly tenant?: string;
  readonly sli?: SliName;
}

/** The matrix for every SLO class of the fleet (or of one tenant). */
export function simulateFleet(model: FleetModel, options: FleetOptions = {}): ClassSimulation[] {
  if (options.tenant !== undefined && !model.tenants.some((t) => t.id === options.tenant)) {
    throw new Error(`unknown tenant '${options.tenant}' (tenants: ${model.tenants.map((t) => t.id).join(', ')})`);
  }
  const groups = sloRuleGroups(model);
  return sloClasses(model)
    .filter((c) => (options.tenant === undefined || c.tenantIds.includes(options.tenant)) && (options.sli === undefined || c.sli === options.sli))
    .map((c) => simulateClass(groups, c, options.tenant ?? c.tenantIds[0]!, options));
}

/** "1h30m", "52m", "45s"; "—" for undefined. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / DAY);
  s -= d * DAY;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s || (!d && !h && !m) ? `${s}s` : ''];
  return sign + parts.join('');
}

/** Tolerance of the detection-time comparison: one evaluation interval plus the query's end offset. */
export function detectionTolerance(pair: Pick<PairOutcome, 'intervalSeconds'>): number {
  return pair.intervalSeconds + QUERY_END_OFFSET_SECONDS;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
