/**
 * A pure evaluator of ONE Grafana unified-alerting rule (the `SloAlertRule` data flota generates) at an instant.
 *
 * It replays, in TypeScript, what Grafana's alert evaluator does with `rule.data` (citations are to grafana/grafana,
 * v10.4.x, the version flota's workspace runs):
 *   1. every stage becomes a pipeline node; datasource stages query with their own relativeTimeRange made absolute at
 *      the evaluation instant (pkg/services/ngalert/eval/eval.go getExprRequest, models/alert_query.go ToTimeRange,
 *      pkg/expr/service.go RelativeTimeRange.AbsoluteTime);
 *   2. nodes run in dependency order (pkg/expr/graph.go buildPipeline / execute) — the first failing node aborts;
 *   3. reduce / resample / math / threshold follow pkg/expr/commands.go, mathexp/{reduce,resample,exp}.go, threshold.go;
 *   4. the condition's values become alert instances (eval.go evaluateExecutionResult): null → NoData, 0 → Normal,
 *      anything else — NaN included — → Alerting; an execution error → one Error result.
 * Alert *states* over time (pending, `for`, no-data/error handling, stale instances) are simulate.ts's job.
 *
 * Pure: no I/O, no clock. Times are Unix seconds.
 */
import type { RuleStage } from '../model/slo-rules';
import {
  isNonNumber,
  reduceSeries,
  resampleSeries,
  thresholdMath,
  thresholdPredicate,
  type Downsampler,
  type ReduceMode,
  type Reducer,
  type ThresholdType,
  type Upsampler,
} from './commands';
import { evaluateMath, mathVars, parseMath, type MathNode } from './math';
import { EMPTY_LABELS, labelsKey, NO_DATA, parseDurationSeconds, type Labels, type Results, type SeriesData, type Value } from './values';

export * from './commands';
export * from './math';
export * from './values';

// ---------------------------------------------------------------------------------------------------------------
// Inputs and outputs

/** The fields of a generated rule the evaluator reads (`SloAlertRule` is assignable to it). */
export interface EvaluableRule {
  readonly stages: readonly RuleStage[];
  readonly condition: string;
  readonly noDataState: 'OK' | 'NoData' | 'Alerting';
  readonly execErrState: 'Error' | 'OK' | 'Alerting';
}

/** A datasource stage as the metric source sees it. */
export interface DatasourceQuery {
  readonly refId: string;
  readonly datasourceUid: string;
  readonly model: Readonly<Record<string, unknown>>;
}

/**
 * Answers one datasource query over [from, to) (absolute Unix seconds), as seen at evaluation instant `now`
 * (late-arriving data). Zero series = the query returned no data.
 */
export type MetricSource = (query: DatasourceQuery, from: number, to: number, now: number) => readonly SeriesData[];

/**
 * How the threshold expression treats NaN. Grafana 10.4 builds a math expression `${X} > p`
 * (pkg/expr/threshold.go createMathExpression), so NaN stays NaN and the instance is Alerting; Grafana 11
 * (grafana/grafana#86062, merged 2024-04-12) evaluates Go predicates, so NaN > p is false → 0 → Normal.
 */
export type ThresholdSemantics = 'math' | 'predicate';

export interface EvaluateOptions {
  /** Default 'math' (Grafana 10.4, flota's pinned workspace version). */
  readonly thresholdSemantics?: ThresholdSemantics;
}

export type EvalState = 'Normal' | 'Alerting' | 'NoData' | 'Error';

export interface InstanceResult {
  readonly labels: Labels;
  readonly state: EvalState;
  /** The condition's value (undefined for NoData / Error results). */
  readonly value?: number | null;
  readonly error?: string;
}

export interface RuleEvaluation {
  /** The evaluation instant (Unix seconds). */
  readonly at: number;
  readonly instances: readonly InstanceResult[];
  /** Set when the pipeline failed (then `instances` is the single Error result). */
  readonly error?: ExpressionError;
  /** Every node's results (for assertions and debugging); empty when the pipeline could not be built. */
  readonly vars: ReadonlyMap<string, Results>;
}

/** An error raised by one node (refId) of the pipeline, with Grafana's message. */
export class ExpressionError extends Error {
  constructor(
    readonly refId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The pipeline

type Command =
  | { readonly type: 'reduce'; readonly input: string; readonly reducer: Reducer; readonly mode: ReduceMode; readonly replaceWith: number }
  | {
      readonly type: 'resample';
      readonly input: string;
      readonly windowSeconds: number;
      readonly downsampler: Downsampler;
      readonly upsampler: Upsampler;
    }
  | { readonly type: 'math'; readonly expression: MathNode }
  | { readonly type: 'threshold'; readonly input: string; readonly thresholdType: ThresholdType; readonly params: readonly number[] };

interface PipelineNode {
  readonly stage: RuleStage;
  /** undefined for datasource nodes. */
  readonly command?: Command;
  readonly needs: readonly string[];
}

interface Pipeline {
  readonly nodes: readonly PipelineNode[];
  readonly error?: ExpressionError;
}

/** The expression data source uid (pkg/expr/service.go DatasourceUID). */
export const EXPRESSION_DATASOURCE_UID = '__expr__';

const REDUCERS: readonly string[] = ['sum', 'mean', 'min', 'max', 'count', 'last'];
const DOWNSAMPLERS: readonly string[] = ['sum', 'mean', 'min', 'max', 'last'];
const UPSAMPLERS: readonly string[] = ['pad', 'backfilling', 'fillna'];
const THRESHOLD_TYPES: readonly string[] = ['gt', 'lt', 'within_range', 'outside_range'];

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const stripDollar = (s: string): string => s.replace(/^\$/, '');

/** commands.go Unmarshal{Math,Reduce,Resample}Command, threshold.go UnmarshalThresholdCommand (messages as Grafana's). */
function buildCommand(stage: RuleStage): Command {
  const m = stage.model;
  const type = asString(m.type);
  switch (type) {
    case 'math': {
      const expression = asString(m.expression);
      if (expression === undefined) throw new Error('command is missing an expression');
      try {
        return { type, expression: parseMath(expression) };
      } catch (e) {
        throw new Error(`invalid math command type: ${(e as Error).message}`);
      }
    }
    case 'reduce': {
      const input = asString(m.expression);
      if (input === undefined) throw new Error('no expression ID is specified to reduce. Must be a reference to an existing query or expression');
      const reducer = asString(m.reducer);
      if (reducer === undefined) throw new Error('no reducer specified');
      if (!REDUCERS.includes(reducer.toLowerCase())) throw new Error(`reduction ${reducer} not implemented`);
      const settings = (m.settings ?? {}) as Record<string, unknown>;
      const mode = asString(settings.mode) ?? '';
      if (mode !== '' && mode !== 'dropNN' && mode !== 'replaceNN') throw new Error(`reducer mode '${mode}' is not supported. Supported only: [dropNN,replaceNN]`);
      const replaceWith = settings.replaceWithValue;
      if (mode === 'replaceNN' && typeof replaceWith !== 'number') throw new Error("setting replaceWithValue must be specified when mode is 'replaceNN'");
      return {
        type,
        input: stripDollar(input),
        reducer: reducer.toLowerCase() as Reducer,
        mode: mode === '' ? 'strict' : mode,
        replaceWith: typeof replaceWith === 'number' ? replaceWith : 0,
      };
    }
    case 'resample': {
      const input = asString(m.expression);
      if (input === undefined) throw new Error('no expression ID to resample. must be a reference to an existing query or expression');
      const window = asString(m.window);
      if (window === undefined) throw new Error('no time duration specified for the window in resample command');
      const downsampler = asString(m.downsampler);
      if (downsampler === undefined) throw new Error('no downsampler function specified in resample command');
      const upsampler = asString(m.upsampler);
      if (upsampler === undefined) throw new Error('no upsampler specified in resample command');
      let windowSeconds: number;
      try {
        windowSeconds = parseDurationSeconds(window);
      } catch (e) {
        throw new Error(`failed to parse resample "window" duration field "${window}": ${(e as Error).message}`);
      }
      // Grafana validates these at execution (resample.go); failing early changes no outcome in the simulator
      if (!DOWNSAMPLERS.includes(downsampler)) throw new Error(`downsampling ${downsampler} not implemented`);
      if (!UPSAMPLERS.includes(upsampler)) throw new Error(`upsampling ${upsampler} not implemented`);
      return { type, input: stripDollar(input), windowSeconds, downsampler: downsampler as Downsampler, upsampler: upsampler as Upsampler };
    }
    case 'threshold': {
      const input = asString(m.expression);
      if (input === undefined || input === '') throw new Error(`no variable specified to reference for refId ${stage.refId}`);
      const conditions = Array.isArray(m.conditions) ? (m.conditions as unknown[]) : [];
      if (conditions.length !== 1) throw new Error('threshold expression requires exactly one condition');
      const evaluator = ((conditions[0] as Record<string, unknown>).evaluator ?? {}) as Record<string, unknown>;
      const thresholdType = asString(evaluator.type) ?? '';
      if (!THRESHOLD_TYPES.includes(thresholdType)) {
        throw new Error(`invalid condition: expected threshold function to be one of [${THRESHOLD_TYPES.join(', ')}], got ${thresholdType}`);
      }
      const params = (Array.isArray(evaluator.params) ? evaluator.params : []).filter((p): p is number => typeof p === 'number');
      const needed = thresholdType === 'within_range' || thresholdType === 'outside_range' ? 2 : 1;
      if (params.length < needed) {
        throw new Error(`invalid condition: incorrect number of arguments for threshold function '${thresholdType}': got ${params.length} but need ${needed}`);
      }
      return { type, input: stripDollar(input), thresholdType: thresholdType as ThresholdType, params };
    }
    default:
      throw new Error(`'${type}' is not a recognized expression type`);
  }
}

function commandNeeds(command: Command): string[] {
  return command.type === 'math' ? [...mathVars(command.expression)] : [command.input];
}

const pipelineCache = new WeakMap<readonly RuleStage[], Pipeline>();

/**
 * pkg/expr/graph.go buildPipeline: one node per stage, an edge per referenced refId (an unknown refId or a cycle fails
 * the whole pipeline), executed in dependency order. Cached per stages array: rules are immutable data.
 */
function buildPipeline(stages: readonly RuleStage[]): Pipeline {
  const cached = pipelineCache.get(stages);
  if (cached) return cached;
  let pipeline: Pipeline;
  try {
    const nodes = new Map<string, PipelineNode>();
    for (const stage of stages) {
      let node: PipelineNode;
      if (stage.datasourceUid === EXPRESSION_DATASOURCE_UID) {
        let command: Command;
        try {
          command = buildCommand(stage);
        } catch (e) {
          throw new ExpressionError(stage.refId, (e as Error).message);
        }
        node = { stage, command, needs: commandNeeds(command) };
      } else node = { stage, needs: [] };
      nodes.set(stage.refId, node);
    }
    for (const node of nodes.values()) {
      for (const need of node.needs) {
        if (need === node.stage.refId) {
          throw new ExpressionError(need, `expression '${need}' cannot reference itself. Must be query or another expression`);
        }
        if (!nodes.has(need)) throw new ExpressionError(node.stage.refId, `unable to find dependent node '${need}'`);
      }
    }
    // depth-first topological order; a back edge is a cycle (graph.go buildExecutionOrder: topo.Sort)
    const order: PipelineNode[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: PipelineNode): void => {
      const seen = state.get(node.stage.refId);
      if (seen === 'done') return;
      if (seen === 'visiting') throw new ExpressionError(node.stage.refId, 'cyclic components detected');
      state.set(node.stage.refId, 'visiting');
      for (const need of node.needs) {
        const dep = nodes.get(need);
        if (dep) visit(dep);
      }
      state.set(node.stage.refId, 'done');
      order.push(node);
    };
    for (const node of nodes.values()) visit(node);
    pipeline = { nodes: order };
  } catch (e) {
    pipeline = { nodes: [], error: e instanceof ExpressionError ? e : new ExpressionError('', (e as Error).message) };
  }
  pipelineCache.set(stages, pipeline);
  return pipeline;
}

/** Absolute [from, to] of a stage at `now` (alert_query.go ToTimeRange + service.go AbsoluteTime: now − from, now − to). */
export function absoluteRange(stage: RuleStage, now: number): { from: number; to: number } {
  return { from: now - stage.relativeTimeRange.from, to: now - stage.relativeTimeRange.to };
}

function executeNode(node: PipelineNode, vars: ReadonlyMap<string, Results>, now: number, source: MetricSource, options: EvaluateOptions): Results {
  const { stage, command } = node;
  if (command === undefined) {
    // nodes.go DSNode.Execute: no frames → a single NoData value
    const { from, to } = absoluteRange(stage, now);
    const series = source({ refId: stage.refId, datasourceUid: stage.datasourceUid, model: stage.model }, from, to, now);
    return series.length === 0 ? [NO_DATA] : series.map((s) => ({ kind: 'series', labels: s.labels, points: s.points }));
  }
  switch (command.type) {
    case 'math':
      return evaluateMath(command.expression, vars);
    case 'reduce': {
      // commands.go ReduceCommand.Execute: series → number; number → passed through (mapper applied); NoData → NoData
      const out: Value[] = [];
      for (const v of vars.get(command.input) ?? []) {
        if (v.kind === 'series') out.push({ kind: 'number', labels: v.labels, value: reduceSeries(v.points, command.reducer, command.mode, command.replaceWith) });
        else if (v.kind === 'number') {
          let value = v.value;
          if (command.mode !== 'strict' && isNonNumber(value)) {
            if (command.mode === 'dropNN') continue;
            value = command.replaceWith;
          }
          out.push({ kind: 'number', labels: v.labels, value });
        } else if (v.kind === 'noData') out.push(NO_DATA);
        else throw new Error(`can only reduce type series, got type ${v.kind}`);
      }
      return out;
    }
    case 'resample': {
      // commands.go ResampleCommand.Execute: the grid spans THIS stage's own range; NoData → NoData (and stops)
      const { from, to } = absoluteRange(stage, now);
      const out: Value[] = [];
      for (const v of vars.get(command.input) ?? []) {
        if (v.kind === 'noData') return [...out, NO_DATA];
        if (v.kind !== 'series') throw new Error(`can only resample type series, got type ${v.kind}`);
        out.push({ kind: 'series', labels: v.labels, points: resampleSeries(v.points, command.windowSeconds, command.downsampler, command.upsampler, from, to) });
      }
      return out;
    }
    case 'threshold': {
      if ((options.thresholdSemantics ?? 'math') === 'math') {
        return evaluateMath(parseMath(thresholdMath(command.input, command.thresholdType, command.params)), vars);
      }
      const predicate = thresholdPredicate(command.thresholdType, command.params);
      return (vars.get(command.input) ?? []).map((v): Value => {
        switch (v.kind) {
          case 'noData':
            return v;
          case 'scalar':
            return { kind: 'scalar', value: predicate(v.value) };
          case 'number':
            return { kind: 'number', labels: v.labels, value: predicate(v.value) };
          case 'series':
            return { kind: 'series', labels: v.labels, points: v.points.map((p) => ({ time: p.time, value: predicate(p.value) })) };
        }
      });
    }
  }
}

/**
 * eval.go evaluateExecutionResult: condition values → instances. NoData values (or no values at all) → one NoData
 * result with no labels; a series → Error ("only reduced data can be alerted on"); a number → null NoData, 0 Normal,
 * anything else (NaN too) Alerting; two instances with the same labels → one Error for the whole rule.
 */
function toInstances(condition: string, values: Results): InstanceResult[] {
  const instances: InstanceResult[] = [];
  if (values.length === 0) return [{ labels: EMPTY_LABELS, state: 'NoData' }];
  for (const v of values) {
    if (v.kind === 'noData') instances.push({ labels: EMPTY_LABELS, state: 'NoData' });
    else if (v.kind === 'series') {
      instances.push({
        labels: EMPTY_LABELS,
        state: 'Error',
        error: `invalid format of evaluation results for the alert definition ${condition}: looks like time series data, only reduced data can be alerted on.`,
      });
    } else {
      const labels = v.kind === 'number' ? v.labels : EMPTY_LABELS;
      instances.push({ labels, state: v.value === null ? 'NoData' : v.value === 0 ? 'Normal' : 'Alerting', value: v.value });
    }
  }
  const seen = new Set<string>();
  for (const instance of instances) {
    const key = labelsKey(instance.labels);
    if (seen.has(key)) {
      return [
        {
          labels: instance.labels,
          state: 'Error',
          error: `invalid format of evaluation results for the alert definition : frame cannot uniquely be identified by its labels: has duplicate results with labels {${key}}`,
        },
      ];
    }
    seen.add(key);
  }
  return instances;
}

/** Evaluates `rule` at Unix second `now` against `source`. Never throws: failures become an Error result. */
export function evaluateRule(rule: EvaluableRule, now: number, source: MetricSource, options: EvaluateOptions = {}): RuleEvaluation {
  const vars = new Map<string, Results>();
  const fail = (error: ExpressionError): RuleEvaluation => ({
    at: now,
    instances: [{ labels: EMPTY_LABELS, state: 'Error', error: error.message }],
    error,
    vars,
  });
  const pipeline = buildPipeline(rule.stages);
  if (pipeline.error) return fail(pipeline.error);
  if (!pipeline.nodes.some((n) => n.stage.refId === rule.condition)) {
    return fail(new ExpressionError(rule.condition, conditionNotExist(rule)));
  }
  for (const node of pipeline.nodes) {
    try {
      vars.set(node.stage.refId, executeNode(node, vars, now, source, options));
    } catch (e) {
      // graph.go execute (10.x): the first failing node aborts the evaluation; ngalert reports one Error result
      return fail(new ExpressionError(node.stage.refId, (e as Error).message));
    }
  }
  return { at: now, instances: toInstances(rule.condition, vars.get(rule.condition) ?? []), vars };
}

function conditionNotExist(rule: EvaluableRule): string {
  return `Condition ${rule.condition} does not exist, must be one of [${rule.stages.map((s) => s.refId).join(' ')}]`;
}

/**
 * The checks Grafana applies when the rule is SAVED (the Terraform apply fails on any): refIds unique, the condition
 * is a refId (models/errors.go ErrConditionNotExist), datasource queries have from > to (alert_query.go PreSave,
 * ErrInvalidRelativeTimeRange; expressions are exempt), and the pipeline builds (eval.go Validate → BuildPipeline).
 * A resample range of 0/0 passes all of these: it only fails when evaluated.
 */
export function validateRule(rule: EvaluableRule): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const stage of rule.stages) {
    if (seen.has(stage.refId)) errors.push(`duplicate refId ${stage.refId}`);
    seen.add(stage.refId);
    const { from, to } = stage.relativeTimeRange;
    if (stage.datasourceUid !== EXPRESSION_DATASOURCE_UID && !(from > to)) {
      errors.push(`Invalid alert rule query ${stage.refId}: invalid relative time range [From: ${from}s, To: ${to}s]`);
    }
  }
  if (!seen.has(rule.condition)) errors.push(conditionNotExist(rule));
  const pipeline = buildPipeline(rule.stages);
  if (pipeline.error) errors.push(`${pipeline.error.refId}: ${pipeline.error.message}`);
  return errors;
}
