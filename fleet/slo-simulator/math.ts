/**
 * Grafana math expressions (grafana/grafana v10.4.x pkg/expr/mathexp): parser, operators and label joins. Pure.
 */
import { EMPTY_LABELS, labelCount, labelsContain, labelsEqual, labelsOf, type Labels, type Point, type Results, type Value } from './values';

// ---------------------------------------------------------------------------------------------------------------
// Math expressions (pkg/expr/mathexp/parse/{lex,parse}.go)

export type MathNode =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'var'; readonly name: string; readonly text: string }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly arg: MathNode }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: MathNode; readonly right: MathNode; readonly text: string };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '>' | '>=' | '<' | '<=' | '+' | '-' | '*' | '/' | '%' | '**';

type Token =
  | { readonly type: 'num'; readonly value: number; readonly text: string }
  | { readonly type: 'var'; readonly name: string; readonly text: string }
  | { readonly type: 'op'; readonly op: string }
  | { readonly type: 'eof' };

const OPERATORS = ['||', '&&', '==', '!=', '>=', '<=', '**', '>', '<', '+', '-', '*', '/', '%', '!', '(', ')'];

function lex(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    // "$A" or "${A}" (the threshold command writes the braced form)
    const variable = /^\$(?:\{([^}]+)\}|([A-Za-z0-9_]+))/.exec(rest);
    if (variable) {
      tokens.push({ type: 'var', name: variable[1] ?? variable[2] ?? '', text: variable[0] });
      i += variable[0].length;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'num', value: Number(number[0]), text: number[0] });
      i += number[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ type: 'op', op });
      i += op.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    // functions (abs, is_nan, …) exist in Grafana but flota never generates them
    throw new Error(word ? `non existent function ${word[0]}` : `unexpected character ${JSON.stringify(rest[0])} in math expression`);
  }
  tokens.push({ type: 'eof' });
  return tokens;
}

/**
 * Parses with Grafana's grammar and precedence (parse.go, lowest first; all binary operators left-associative):
 * O → A {"||" A}; A → C {"&&" C}; C → P {(== != > >= < <=) P}; P → M {(+ -) M}; M → E {(* / %) E}; E → F {"**" F};
 * F → number | $var | "(" O ")" | "!" F | "-" F.
 */
export function parseMath(expression: string): MathNode {
  const tokens = lex(expression);
  let pos = 0;
  const peekOp = (): string | undefined => {
    const t = tokens[pos];
    return t?.type === 'op' ? t.op : undefined;
  };
  const level =
    (ops: readonly string[], next: () => MathNode) =>
    (): MathNode => {
      let left = next();
      for (let op = peekOp(); op !== undefined && ops.includes(op); op = peekOp()) {
        pos++;
        const right = next();
        left = { kind: 'binary', op: op as BinaryOp, left, right, text: `${nodeText(left)} ${op} ${nodeText(right)}` };
      }
      return left;
    };
  const factor = (): MathNode => {
    const token = tokens[pos++];
    if (token === undefined || token.type === 'eof') throw new Error('unexpected end of math expression');
    if (token.type === 'num') return { kind: 'num', value: token.value };
    if (token.type === 'var') return { kind: 'var', name: token.name, text: token.text };
    if (token.op === '(') {
      const inner = or();
      if (peekOp() !== ')') throw new Error('unexpected token in math expression: expected ")"');
      pos++;
      return inner;
    }
    if (token.op === '!' || token.op === '-') return { kind: 'unary', op: token.op, arg: factor() };
    throw new Error(`unexpected "${token.op}" in math expression`);
  };
  const power = level(['**'], factor);
  const mult = level(['*', '/', '%'], power);
  const plus = level(['+', '-'], mult);
  const compare = level(['==', '!=', '>', '>=', '<', '<='], plus);
  const and = level(['&&'], compare);
  const or: () => MathNode = level(['||'], and);
  const root = or();
  if (tokens[pos]?.type !== 'eof') throw new Error('unexpected trailing input in math expression');
  return root;
}

function nodeText(node: MathNode): string {
  switch (node.kind) {
    case 'num':
      return String(node.value);
    case 'var':
      return node.text;
    case 'unary':
      return `${node.op}${nodeText(node.arg)}`;
    case 'binary':
      return `(${node.text})`;
  }
}

export function mathVars(node: MathNode, into: Set<string> = new Set()): Set<string> {
  if (node.kind === 'var') into.add(node.name);
  else if (node.kind === 'unary') mathVars(node.arg, into);
  else if (node.kind === 'binary') {
    mathVars(node.left, into);
    mathVars(node.right, into);
  }
  return into;
}

/**
 * mathexp/exp.go binaryOp: `||` / `&&` short-circuit on the LEFT operand BEFORE the NaN check (1 || NaN = 1,
 * 0 && NaN = 0), otherwise NaN in → NaN out; comparisons and logic give 1 / 0; x/0 follows IEEE (±Inf, 0/0 = NaN).
 */
export function binaryOp(op: BinaryOp, a: number, b: number): number {
  if (op === '||' && a !== 0) return 1;
  if (op === '&&' && a === 0) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b; // Go math.Mod: sign of the dividend, like JavaScript
    case '**':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
  }
}

/** exp.go unaryOp: NaN stays NaN; `!` maps 0 → 1 and anything else → 0. */
function unaryOp(op: '!' | '-', a: number): number {
  if (Number.isNaN(a)) return NaN;
  return op === '-' ? -a : a === 0 ? 1 : 0;
}

/** A pair of operands joined by labels (exp.go Union). */
interface Union {
  readonly labels: Labels;
  readonly a: Value;
  readonly b: Value;
}

/**
 * exp.go State.union: pair every left value with every right value whose labels are equal, or where one side has no
 * labels, or where one label set contains the other (the union takes the larger set); same-size different sets are
 * dropped. One NoData on a side of size 1 makes a single NoData pair. If nothing paired and each side has exactly one
 * value, the two are combined with labels stripped.
 */
function union(aResults: Results, bResults: Results): Union[] {
  const unions: Union[] = [];
  const [a0] = aResults;
  const [b0] = bResults;
  if (a0 === undefined || b0 === undefined) return unions;
  if ((aResults.length === 1 || bResults.length === 1) && (a0.kind === 'noData' || b0.kind === 'noData')) {
    return [{ labels: EMPTY_LABELS, a: a0, b: b0 }];
  }
  for (const a of aResults) {
    const aLabels = labelsOf(a);
    const aCount = labelCount(aLabels);
    for (const b of bResults) {
      const bLabels = labelsOf(b);
      const bCount = labelCount(bLabels);
      let labels: Labels;
      if (aCount === 0 || bCount === 0 || labelsEqual(aLabels, bLabels)) labels = aCount === 0 ? bLabels : aLabels;
      else if (aCount === bCount) continue;
      else if (labelsContain(aLabels, bLabels)) labels = aLabels;
      else if (labelsContain(bLabels, aLabels)) labels = bLabels;
      else continue;
      unions.push({ labels, a, b });
    }
  }
  if (unions.length === 0 && aResults.length === 1 && bResults.length === 1) unions.push({ labels: EMPTY_LABELS, a: a0, b: b0 });
  return unions;
}

/** exp.go biScalarNumber / biSeriesNumber: a nil operand gives nil. */
function opNullable(op: BinaryOp, a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : binaryOp(op, a, b);
}

/** exp.go walkBinary: one result per union, by operand kinds. */
function binaryValue(op: BinaryOp, u: Union): Value {
  const { a, b, labels } = u;
  if (a.kind === 'noData') return a;
  if (b.kind === 'noData') return b;
  if (a.kind === 'series' && b.kind === 'series') {
    // biSeriesSeries: only timestamps present on both sides survive
    const right = new Map<number, number | null>(b.points.map((p) => [p.time, p.value]));
    const points: Point[] = [];
    for (const p of a.points) {
      if (!right.has(p.time)) continue;
      points.push({ time: p.time, value: opNullable(op, p.value, right.get(p.time) ?? null) });
    }
    return { kind: 'series', labels, points };
  }
  if (a.kind === 'series' && b.kind !== 'series') {
    return { kind: 'series', labels, points: a.points.map((p) => ({ time: p.time, value: opNullable(op, p.value, b.value) })) };
  }
  if (b.kind === 'series' && a.kind !== 'series') {
    return { kind: 'series', labels, points: b.points.map((p) => ({ time: p.time, value: opNullable(op, a.value, p.value) })) };
  }
  if (a.kind === 'series' || b.kind === 'series') throw new Error('unreachable: series pairs are joined above');
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: opNullable(op, a.value, b.value) };
  return { kind: 'number', labels, value: opNullable(op, a.value, b.value) };
}

function unaryValue(op: '!' | '-', v: Value): Value {
  switch (v.kind) {
    case 'noData':
      return v;
    case 'scalar':
      return { kind: 'scalar', value: v.value === null ? null : unaryOp(op, v.value) };
    case 'number':
      return { kind: 'number', labels: v.labels, value: v.value === null ? null : unaryOp(op, v.value) };
    case 'series':
      return { kind: 'series', labels: v.labels, points: v.points.map((p) => ({ time: p.time, value: p.value === null ? null : unaryOp(op, p.value) })) };
  }
}

/** exp.go State.walk. A variable with no results (unknown refId) is an empty result set. */
export function evaluateMath(node: MathNode, vars: ReadonlyMap<string, Results>): Results {
  switch (node.kind) {
    case 'num':
      return [{ kind: 'scalar', value: node.value }];
    case 'var':
      return vars.get(node.name) ?? [];
    case 'unary':
      return evaluateMath(node.arg, vars).map((v) => unaryValue(node.op, v));
    case 'binary': {
      // both sides are evaluated first; short-circuiting happens per value inside binaryOp
      const left = evaluateMath(node.left, vars);
      const right = evaluateMath(node.right, vars);
      return union(left, right).map((u) => binaryValue(node.op, u));
    }
  }
}
