import { sloRuleGroups, type RuleStage, type SloAlertRule } from '../model/slo-rules';
import { testFleet } from '../testing/fleet-model';
import {
  binaryOp,
  evaluateMath,
  evaluateRule,
  parseMath,
  reduceSeries,
  reduceValues,
  resampleSeries,
  RESAMPLE_RANGE_ERROR,
  validateRule,
  type EvaluableRule,
  type MetricSource,
  type Point,
  type Results,
} from './evaluate';
import { DAY, scenarioSource, steadyBurn } from './scenario';

const pts = (...values: (number | null)[]): Point[] => values.map((value, i) => ({ time: 60 * i, value }));
const num = (value: number | null, tenant?: string): Results[number] => ({ kind: 'number', labels: tenant ? { Tenant: tenant } : {}, value });
const vars = (entries: Record<string, Results>): Map<string, Results> => new Map(Object.entries(entries));
const valueOf = (r: Results): (number | null | string)[] => r.map((v) => (v.kind === 'number' || v.kind === 'scalar' ? v.value : v.kind));

const rules = (): SloAlertRule[] => sloRuleGroups(testFleet(['acme', 'globex'])).flatMap((g) => g.rules);
const rule = (sli: SloAlertRule['sli'], windowId: string): SloAlertRule => rules().find((r) => r.sli === sli && r.window.id === windowId)!;

/** Today's rule shape (before the fix): every expression stage, resample included, has relativeTimeRange 0/0. */
function withUnpatchedRanges(r: SloAlertRule): SloAlertRule {
  return { ...r, stages: r.stages.map((s): RuleStage => (s.datasourceUid === '__expr__' ? { ...s, relativeTimeRange: { from: 0, to: 0 } } : s)) };
}

describe('reduce (mathexp/reduce.go)', () => {
  test('strict mode: nil or NaN poisons sum/mean/min/max; empty sum 0, empty mean/min/max/last NaN, count counts nils', () => {
    expect(reduceValues([1, 2, 3], 'sum')).toBe(6);
    expect(reduceValues([1, null], 'sum')).toBeNaN();
    expect(reduceValues([], 'sum')).toBe(0);
    expect(reduceValues([], 'mean')).toBeNaN();
    expect(reduceValues([], 'min')).toBeNaN();
    expect(reduceValues([], 'last')).toBeNaN();
    expect(reduceValues([1, null], 'count')).toBe(2);
    expect(reduceValues([1, null], 'last')).toBeNull();
  });

  test('dropNN drops nil/NaN/Inf and turns a NaN result into null; replaceNN substitutes the value', () => {
    expect(reduceSeries(pts(1, null, NaN, Infinity, 2), 'sum', 'dropNN')).toBe(3);
    expect(reduceSeries([], 'sum', 'dropNN')).toBe(0);
    expect(reduceSeries([], 'mean', 'dropNN')).toBeNull();
    expect(reduceSeries(pts(1, null), 'last', 'replaceNN', 0)).toBe(0);
    expect(reduceSeries([], 'last', 'replaceNN', 0)).toBe(0);
    expect(reduceSeries(pts(null), 'sum', 'strict')).toBeNaN();
  });
});

describe('resample (mathexp/resample.go)', () => {
  test('grid from, from+w, …, to; point t takes the input in (t − w, t]; several values are downsampled', () => {
    const input: Point[] = [
      { time: 100, value: 1 },
      { time: 250, value: 2 },
      { time: 280, value: 3 },
      { time: 600, value: 4 },
    ];
    expect(resampleSeries(input, 300, 'sum', 'fillna', 0, 600)).toEqual([
      { time: 0, value: null },
      { time: 300, value: 6 },
      { time: 600, value: 4 },
    ]);
  });

  test('upsamplers: fillna → null, pad → last seen, backfilling → next point', () => {
    const input: Point[] = [{ time: 0, value: 5 }, { time: 900, value: 7 }];
    const values = (up: 'fillna' | 'pad' | 'backfilling'): (number | null)[] => resampleSeries(input, 300, 'sum', up, 0, 900).map((p) => p.value);
    expect(values('fillna')).toEqual([5, null, null, 7]);
    expect(values('pad')).toEqual([5, 5, 5, 7]);
    expect(values('backfilling')).toEqual([5, 7, 7, 7]);
  });

  test('a range shorter than the window raises Grafana’s error', () => {
    expect(() => resampleSeries(pts(1), 300, 'sum', 'fillna', 1000, 1000)).toThrow(RESAMPLE_RANGE_ERROR);
    expect(() => resampleSeries(pts(1), 300, 'sum', 'fillna', 1000, 1299)).toThrow(RESAMPLE_RANGE_ERROR);
    expect(resampleSeries([], 300, 'sum', 'fillna', 0, 300)).toEqual([{ time: 0, value: null }, { time: 300, value: null }]);
  });
});

describe('math (mathexp/exp.go, parse/parse.go)', () => {
  test('precedence: * before +, comparison before &&, && before ||; parentheses', () => {
    const v = vars({});
    expect(valueOf(evaluateMath(parseMath('1 + 2 * 3'), v))).toEqual([7]);
    expect(valueOf(evaluateMath(parseMath('(1 + 2) * 3'), v))).toEqual([9]);
    expect(valueOf(evaluateMath(parseMath('1 > 2 || 3 >= 3 && 0'), v))).toEqual([0]);
    expect(valueOf(evaluateMath(parseMath('0.5 >= 5e-1'), v))).toEqual([1]);
  });

  test('&& and || short-circuit on the left operand before NaN; otherwise NaN propagates; x/0 is IEEE', () => {
    expect(binaryOp('&&', 0, NaN)).toBe(0);
    expect(binaryOp('&&', NaN, 0)).toBeNaN();
    expect(binaryOp('&&', 1, NaN)).toBeNaN();
    expect(binaryOp('||', 1, NaN)).toBe(1);
    expect(binaryOp('>=', NaN, 0)).toBeNaN();
    expect(binaryOp('/', 1, 0)).toBe(Infinity);
    expect(binaryOp('/', 0, 0)).toBeNaN();
  });

  test('numbers are joined by labels: equal sets pair, a subset pairs under the larger set, others drop', () => {
    const v = vars({
      C: [num(1, 'acme'), num(2, 'globex')],
      D: [num(10, 'acme'), num(20, 'globex'), num(30, 'initech')],
      S: [{ kind: 'number', labels: { Tenant: 'acme', Service: 'api' }, value: 4 }],
    });
    expect(evaluateMath(parseMath('$C / $D'), v)).toEqual([num(0.1, 'acme'), num(0.1, 'globex')]);
    expect(evaluateMath(parseMath('$S + $C'), v)).toEqual([{ kind: 'number', labels: { Tenant: 'acme', Service: 'api' }, value: 5 }]);
  });

  test('NoData on a one-value side yields NoData; one value each with different labels is combined unlabelled', () => {
    expect(evaluateMath(parseMath('$A / $B'), vars({ A: [{ kind: 'noData' }], B: [num(1, 'acme'), num(2, 'globex')] }))).toEqual([{ kind: 'noData' }]);
    expect(evaluateMath(parseMath('$A + $B'), vars({ A: [num(1, 'acme')], B: [num(2, 'globex')] }))).toEqual([num(3)]);
  });
});

/** A rule of hand-written stages over a fixed source (for threshold and condition semantics). */
function tinyRule(expression: string): EvaluableRule {
  return {
    condition: 'T',
    noDataState: 'OK',
    execErrState: 'Error',
    stages: [
      { refId: 'A', datasourceUid: 'ds', relativeTimeRange: { from: 600, to: 0 }, model: {} },
      { refId: 'B', datasourceUid: '__expr__', relativeTimeRange: { from: 0, to: 0 }, model: { type: 'reduce', expression: 'A', reducer: 'sum', settings: { mode: 'dropNN' } } },
      { refId: 'M', datasourceUid: '__expr__', relativeTimeRange: { from: 0, to: 0 }, model: { type: 'math', expression } },
      { refId: 'T', datasourceUid: '__expr__', relativeTimeRange: { from: 0, to: 0 }, model: { type: 'threshold', expression: 'M', conditions: [{ evaluator: { type: 'gt', params: [0] } }] } },
    ],
  };
}
const twoTenants: MetricSource = () => [
  { labels: { Tenant: 'acme' }, points: [{ time: 0, value: 0 }] },
  { labels: { Tenant: 'globex' }, points: [{ time: 0, value: 3 }] },
];

describe('threshold and alert instances (threshold.go, eval.go evaluateExecutionResult)', () => {
  test('10.4 (math threshold): a NaN condition is Alerting; 11 (predicates): NaN > 0 is false → Normal', () => {
    const r = tinyRule('$B / $B'); // acme 0/0 = NaN, globex 3/3 = 1
    expect(evaluateRule(r, 1000, twoTenants).instances.map((i) => [i.labels.Tenant, i.state])).toEqual([
      ['acme', 'Alerting'],
      ['globex', 'Alerting'],
    ]);
    expect(evaluateRule(r, 1000, twoTenants, { thresholdSemantics: 'predicate' }).instances.map((i) => i.state)).toEqual(['Normal', 'Alerting']);
  });

  test('one instance per label set; no series at all → one NoData result', () => {
    const r = tinyRule('$B > 1');
    expect(evaluateRule(r, 1000, twoTenants).instances.map((i) => [i.labels, i.state])).toEqual([
      [{ Tenant: 'acme' }, 'Normal'],
      [{ Tenant: 'globex' }, 'Alerting'],
    ]);
    expect(evaluateRule(r, 1000, () => []).instances).toEqual([{ labels: {}, state: 'NoData' }]);
  });

  test('a time series as the condition is an Error; two unlabelled errors collapse into the duplicate-labels Error', () => {
    const r = { ...tinyRule('$B'), condition: 'A' };
    const oneTenant: MetricSource = (q, f, t, n) => twoTenants(q, f, t, n).slice(0, 1);
    expect(evaluateRule(r, 1000, oneTenant).instances[0]?.error).toMatch(/looks like time series data, only reduced data can be alerted on/);
    expect(evaluateRule(r, 1000, twoTenants).instances[0]?.error).toMatch(/has duplicate results with labels \{\}/);
  });
});

describe('rule validation (what Grafana rejects at save time)', () => {
  test('datasource queries need from > to; the condition must be a refId; references must exist', () => {
    const r = tinyRule('$B + $Z');
    const errors = validateRule({ ...r, condition: 'X', stages: r.stages.map((s) => (s.refId === 'A' ? { ...s, relativeTimeRange: { from: 60, to: 60 } } : s)) });
    expect(errors).toEqual([
      'Invalid alert rule query A: invalid relative time range [From: 60s, To: 60s]',
      'Condition X does not exist, must be one of [A B M T]',
      "M: unable to find dependent node 'Z'",
    ]);
  });

  test('every generated rule passes save-time validation — today’s 0/0 resample too (it only fails when evaluated)', () => {
    for (const r of rules()) {
      expect(validateRule(r)).toEqual([]);
      expect(validateRule(withUnpatchedRanges(r))).toEqual([]);
    }
  });
});

describe('generated rules under evaluation', () => {
  const scenario = steadyBurn({ burn: 2, budget: 0.001 });
  const source = scenarioSource(scenario);
  const instants = [scenario.incidentStart - DAY, scenario.incidentStart + 90 * 60, scenario.incidentStart + 2 * DAY + 300];

  test('TODAY’s rule shape (resample at 0/0) errors on every evaluation with Grafana’s resample error', () => {
    for (const r of rules().filter((x) => x.sli === 'availability')) {
      const evaluation = evaluateRule(withUnpatchedRanges(r), scenario.incidentStart + 3600, source);
      expect(evaluation.instances).toEqual([{ labels: {}, state: 'Error', error: RESAMPLE_RANGE_ERROR }]);
      expect(evaluation.error?.refId).toMatch(/^[IJ]$/);
    }
  });

  test('the generator’s rules evaluate without Error (fails against the unpatched generator: resample 0/0)', () => {
    for (const r of rules()) {
      for (const at of instants) {
        const evaluation = evaluateRule(r, at, source);
        expect(evaluation.instances.filter((i) => i.state === 'Error')).toEqual([]);
      }
    }
  });

  test('resample stages read the range of the query they resample: the grid ends at the query end', () => {
    const r = rule('availability', 'page-1h');
    const at = scenario.incidentStart + 3600;
    const evaluation = evaluateRule(r, at, source);
    const grid = evaluation.vars.get('J')?.[0];
    expect(grid?.kind).toBe('series');
    const points = grid?.kind === 'series' ? grid.points : [];
    expect(points).toHaveLength(13); // 60 min / 5 min + 1
    expect(points[points.length - 1]?.time).toBe(at - 60);
    expect(evaluation.instances.map((i) => [i.labels.Tenant, i.state])).toEqual([['acme', 'Normal']]);
  });
});
