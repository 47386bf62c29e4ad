/**
 * Every stage of every generated SLO rule, held to what Grafana's alerting engine enforces — when the rule is saved
 * (Terraform apply) AND when it is evaluated. A rule that saves but cannot evaluate goes to Error on every tick
 * (exec_err_state = Error) and never fires: plan and apply both accept it, so only a test like this one catches it.
 *
 * Sources are grafana/grafana at v10.4.x (flota's pinned workspace version), paths from the repository root. Each
 * constraint below cites the function that enforces it.
 */
import * as path from 'node:path';
import { loadFleet } from '..';
import { testFleet, testTenant } from '../testing/fleet-model';
import { evaluateRule } from '../slo-simulator/evaluate';
import { scenarioSource, steadyBurn } from '../slo-simulator/scenario';
import { generateFleet } from './generated-fleet';
import { sloRuleGroups, type RuleStage, type SloAlertRule, type SloRuleGroup } from './slo-rules';
import type { FleetModel } from './types';

const ROOT = path.resolve(__dirname, '..', '..');

/** pkg/expr/service.go DatasourceUID: stages with this uid are server-side expressions, all others data source queries. */
const EXPR = '__expr__';
/** unified_alerting.base_interval (pkg/setting/setting_unified_alerting.go; fixed at 10 s on Amazon Managed Grafana). */
const BASE_INTERVAL_SECONDS = 10;

const fleets: readonly [string, () => FleetModel][] = [
  ['shipped tenants/', () => loadFleet('tenants', { cwd: ROOT })],
  ['fixture good/overrides', () => loadFleet('fleet/manifest/fixtures/good/overrides', { cwd: ROOT })],
  ['fixture good/minimal', () => loadFleet('fleet/manifest/fixtures/good/minimal', { cwd: ROOT })],
  // 600 tenants over three classes: SEARCH chunking, several rules per class
  ['generated 600 tenants', () => generateFleet({ ...testFleet(), tenants: [testTenant('a'), testTenant('b', { tier: 'gold' }), testTenant('c', { tier: 'bronze' })] }, 600)],
];

/** Refs a stage reads: `expression` of reduce/resample/threshold, every $X / ${X} of a math expression. */
function inputsOf(stage: RuleStage): string[] {
  const expression = String(stage.model.expression ?? '');
  if (stage.model.type === 'math') return [...expression.matchAll(/\$(?:\{([^}]+)\}|([A-Za-z0-9_]+))/g)].map((m) => m[1] ?? m[2] ?? '');
  return [expression.replace(/^\$/, '')];
}

/** Seconds of a Grafana duration such as "5m" or "2h" (grafana-plugin-sdk-go backend/gtime ParseDuration). */
function durationSeconds(text: string): number {
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) throw new Error(`time: invalid duration "${text}"`);
  return Number(m[1]) * (unit[m[2] ?? 's'] ?? 1);
}

/** What a stage yields: a time series or reduced data (one number per label set). */
function shapes(rule: SloAlertRule): Map<string, 'series' | 'number'> {
  const byRef = new Map(rule.stages.map((s) => [s.refId, s]));
  const memo = new Map<string, 'series' | 'number'>();
  const shape = (refId: string, seen: readonly string[] = []): 'series' | 'number' => {
    const known = memo.get(refId);
    if (known) return known;
    if (seen.includes(refId)) throw new Error(`cycle through ${[...seen, refId].join(' → ')}`);
    const stage = byRef.get(refId);
    if (!stage) throw new Error(`unable to find dependent node '${refId}'`);
    let result: 'series' | 'number';
    if (stage.datasourceUid !== EXPR || stage.model.type === 'resample') result = 'series';
    else if (stage.model.type === 'reduce') result = 'number';
    else result = inputsOf(stage).some((i) => shape(i, [...seen, refId]) === 'series') ? 'series' : 'number';
    memo.set(refId, result);
    return result;
  };
  for (const s of rule.stages) shape(s.refId);
  return memo;
}

/** Every violation of Grafana's constraints by one rule of `group`, as readable strings (empty = valid). */
function violations(group: SloRuleGroup, rule: SloAlertRule): string[] {
  const out: string[] = [];
  const where = (stage: RuleStage, what: string): void => void out.push(`${rule.uid} ${stage.refId}: ${what}`);
  const byRef = new Map<string, RuleStage>();

  // pkg/services/ngalert/store/alert_rule.go validateAlertRule: data non-empty, title non-empty and ≤ 190 characters
  // (AlertRuleMaxTitleLength); pkg/util/shortid_generator.go MaxUIDLength: uid ≤ 40.
  if (rule.stages.length === 0) out.push(`${rule.uid}: no queries or expressions are found`);
  if (rule.title.length === 0 || rule.title.length > 190) out.push(`${rule.uid}: title length ${rule.title.length} not in 1..190`);
  if (rule.uid.length > 40) out.push(`${rule.uid}: uid longer than 40`);

  for (const stage of rule.stages) {
    // pkg/expr/graph.go buildNodeRegistry keys nodes by refId: a duplicate silently replaces the other stage
    if (byRef.has(stage.refId)) where(stage, 'duplicate refId');
    byRef.set(stage.refId, stage);
  }

  for (const stage of rule.stages) {
    const { from, to } = stage.relativeTimeRange;
    // models/alert_query.go ToTimeRange: the stage's range is [now − from, now − to]; negative offsets reach the future
    if (!(from >= 0 && to >= 0)) where(stage, `negative relative time range ${from}/${to}`);
    if (stage.datasourceUid !== EXPR) {
      // pkg/services/ngalert/models/alert_query.go PreSave → RelativeTimeRange.isValid (From > To) for every data
      // source query, else models/errors.go ErrInvalidRelativeTimeRange ("invalid relative time range")
      if (!(from > to)) where(stage, `datasource query needs from > to (got ${from}/${to})`);
      // flota: C/D sum the periods of the range and `last` reads the newest one, so the range is whole periods
      const period = Number(stage.model.period);
      if (!(period > 0 && (from - to) % period === 0 && from - to >= period)) where(stage, `range ${from - to}s is not a whole number of ${stage.model.period}s periods`);
      continue;
    }
    // pkg/expr/service.go DatasourceUID + graph.go rawNode.IsExpressionQuery: an expression's model names the
    // expression data source too
    if ((stage.model.datasource as { uid?: string } | undefined)?.uid !== EXPR) where(stage, 'expression model without the __expr__ data source');
    // pkg/expr/graph.go buildGraphEdges: every needed var must be a refId of the rule ("unable to find dependent
    // node") and not the stage itself ("cannot reference itself")
    for (const input of inputsOf(stage)) {
      if (input === stage.refId) where(stage, 'references itself');
      else if (!byRef.has(input)) where(stage, `unable to find dependent node '${input}'`);
    }
    switch (stage.model.type) {
      case 'reduce': {
        // pkg/expr/commands.go UnmarshalReduceCommand + mathexp/reduce.go: known reducer; mode '', dropNN or
        // replaceNN; replaceNN needs a numeric replaceWithValue
        if (!['sum', 'mean', 'min', 'max', 'count', 'last'].includes(String(stage.model.reducer))) where(stage, `reducer ${String(stage.model.reducer)} not implemented`);
        const settings = (stage.model.settings ?? {}) as { mode?: string; replaceWithValue?: unknown };
        if (!['', 'dropNN', 'replaceNN', undefined].includes(settings.mode)) where(stage, `reducer mode ${settings.mode} not supported`);
        if (settings.mode === 'replaceNN' && typeof settings.replaceWithValue !== 'number') where(stage, 'replaceNN without replaceWithValue');
        break;
      }
      case 'resample': {
        // pkg/expr/commands.go UnmarshalResampleCommand: window parses (gtime.ParseDuration); downsampler and
        // upsampler are known (mathexp/resample.go)
        let window = NaN;
        try {
          window = durationSeconds(String(stage.model.window));
        } catch (e) {
          where(stage, (e as Error).message);
        }
        if (!['sum', 'mean', 'min', 'max', 'last'].includes(String(stage.model.downsampler))) where(stage, `downsampling ${String(stage.model.downsampler)} not implemented`);
        if (!['pad', 'backfilling', 'fillna'].includes(String(stage.model.upsampler))) where(stage, `upsampling ${String(stage.model.upsampler)} not implemented`);
        // pkg/expr/commands.go ResampleCommand.Execute resamples onto THIS stage's range (gr.TimeRange.AbsoluteTime(now)),
        // and mathexp/resample.go Series.Resample fails when ⌊(to − from) / window⌋ ≤ 0: "the series cannot be sampled
        // further; the time range is shorter than the interval". So the range is non-zero and ≥ the window.
        const span = from - to;
        if (!(span > 0 && span >= window)) where(stage, `resample range ${span}s shorter than its ${String(stage.model.window)} window (Grafana: "the time range is shorter than the interval")`);
        // mathexp/resample.go: the grid is from, from + w, … while ≤ to, so its last point is `to` (where `last` must
        // read the newest window) only when the range is a whole number of windows
        if (span > 0 && span % window !== 0) where(stage, `resample range ${span}s is not a whole number of ${String(stage.model.window)} windows: the grid would end before the range`);
        // flota: the grid must cover exactly the data it resamples, i.e. the range of the query it reads
        const input = byRef.get(inputsOf(stage)[0] ?? '');
        if (input && (input.relativeTimeRange.from !== from || input.relativeTimeRange.to !== to)) {
          where(stage, `resample range ${from}/${to} differs from its input ${input.refId}'s ${input.relativeTimeRange.from}/${input.relativeTimeRange.to}`);
        }
        break;
      }
      case 'threshold': {
        // pkg/expr/threshold.go UnmarshalThresholdCommand: one condition, a known evaluator with enough params
        const conditions = (stage.model.conditions ?? []) as { evaluator?: { type?: string; params?: unknown[] } }[];
        const evaluator = conditions[0]?.evaluator;
        const needed = evaluator?.type === 'within_range' || evaluator?.type === 'outside_range' ? 2 : 1;
        if (conditions.length !== 1) where(stage, 'threshold needs exactly one condition');
        if (!['gt', 'lt', 'within_range', 'outside_range'].includes(String(evaluator?.type))) where(stage, `threshold type ${String(evaluator?.type)} unknown`);
        if ((evaluator?.params ?? []).filter((p) => typeof p === 'number').length < needed) where(stage, 'threshold without enough numeric params');
        break;
      }
      case 'math':
        // pkg/expr/mathexp/parse: only numbers, $refs, operators and parentheses appear in flota's expressions
        if (!/^[\s$A-Z0-9.()<>=!&|+\-*/%]+$/.test(String(stage.model.expression))) where(stage, `math expression has unexpected tokens: ${String(stage.model.expression)}`);
        break;
      default:
        // pkg/expr/commands.go ParseCommandType
        where(stage, `'${String(stage.model.type)}' is not a recognized expression type`);
    }
  }

  // pkg/services/ngalert/eval/eval.go (Validate / getEvaluator): the condition must be one of the pipeline's refIds
  // (models/errors.go ErrConditionNotExist) …
  if (!byRef.has(rule.condition)) out.push(`${rule.uid}: condition ${rule.condition} does not exist`);
  else {
    try {
      // … pkg/expr/graph.go buildExecutionOrder (topo.Sort): no cycles; eval.go evaluateExecutionResult: the
      // condition is reduced data ("looks like time series data, only reduced data can be alerted on")
      if (shapes(rule).get(rule.condition) !== 'number') out.push(`${rule.uid}: condition ${rule.condition} is a time series, not reduced data`);
    } catch (e) {
      out.push(`${rule.uid}: ${(e as Error).message}`);
    }
  }
  // pkg/services/ngalert/models/alert_rule.go ValidateRuleGroupInterval: interval > 0 and a multiple of base_interval
  if (!(group.intervalSeconds > 0 && group.intervalSeconds % BASE_INTERVAL_SECONDS === 0)) out.push(`${group.name}: interval ${group.intervalSeconds}s`);
  return out;
}

describe.each(fleets)('Grafana accepts and can evaluate every stage of every SLO rule: %s', (_name, fleet) => {
  const groups = sloRuleGroups(fleet());

  test('there are rules with every stage type (the checks below are not vacuous)', () => {
    const types = new Set(groups.flatMap((g) => g.rules.flatMap((r) => r.stages.map((s) => (s.datasourceUid === EXPR ? String(s.model.type) : 'query')))));
    expect([...types].sort()).toEqual(['math', 'query', 'reduce', 'resample', 'threshold']);
  });

  test('no stage violates a constraint of Grafana’s evaluator', () => {
    expect(groups.flatMap((g) => g.rules.flatMap((r) => violations(g, r)))).toEqual([]);
  });

  test('replayed by the simulator (fleet/slo-simulator), no rule evaluates to Error', () => {
    const scenario = steadyBurn({ burn: 20, budget: 0.001, incidentMinutes: 24 * 60 });
    const source = scenarioSource(scenario);
    const at = scenario.incidentStart + 12 * 3600;
    const errors = groups.flatMap((g) => g.rules.flatMap((r) => evaluateRule(r, at, source).instances.filter((i) => i.state === 'Error').map((i) => `${r.uid}: ${i.error}`)));
    expect(errors).toEqual([]);
  });
});

describe('the constraint checks catch what Grafana rejects', () => {
  const group = sloRuleGroups(testFleet(['acme'])).find((g) => g.windowId === 'page-1h')!;
  const rule = group.rules[0]!;
  const edit = (refId: string, change: (s: RuleStage) => RuleStage): SloAlertRule => ({ ...rule, stages: rule.stages.map((s) => (s.refId === refId ? change(s) : s)) });

  test('a resample stage at 0/0 (the pre-#10 rule shape) is the range Grafana cannot resample', () => {
    const broken = edit('I', (s) => ({ ...s, relativeTimeRange: { from: 0, to: 0 } }));
    expect(violations(group, broken)).toEqual([
      `${rule.uid} I: resample range 0s shorter than its 5m window (Grafana: "the time range is shorter than the interval")`,
      `${rule.uid} I: resample range 0/0 differs from its input A's 3660/60`,
    ]);
  });

  test('query ranges, references, condition and interval', () => {
    expect(violations(group, edit('A', (s) => ({ ...s, relativeTimeRange: { from: 60, to: 60 } })))).toContain(`${rule.uid} A: datasource query needs from > to (got 60/60)`);
    expect(violations(group, edit('C', (s) => ({ ...s, model: { ...s.model, expression: 'Z' } })))).toContain(`${rule.uid} C: unable to find dependent node 'Z'`);
    expect(violations(group, { ...rule, condition: 'X' })).toEqual([`${rule.uid}: condition X does not exist`]);
    expect(violations(group, { ...rule, condition: 'A' })).toEqual([`${rule.uid}: condition A is a time series, not reduced data`]);
    expect(violations({ ...group, intervalSeconds: 305 }, rule)).toEqual([`${group.name}: interval 305s`]);
    expect(violations(group, edit('I', (s) => ({ ...s, relativeTimeRange: { from: 3000, to: 60 } })))).toContain(`${rule.uid} I: resample range 2940s is not a whole number of 5m windows: the grid would end before the range`);
  });
});
