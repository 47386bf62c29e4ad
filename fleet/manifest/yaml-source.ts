/**
 * One manifest file read and parsed with source positions, so every error can point at FILE:LINE:COL of the offending
 * key or value.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { ManifestError } from './errors';
import type { Locate } from './rules';

/** File system access, injectable so tests can simulate unreadable files (tests run as root, where chmod 000 is readable). */
export interface ManifestFileSystem {
  readdir(dir: string): string[];
  readFile(file: string): string;
}

export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}


export interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly locate: Locate;
  readonly valueAt: (p: readonly (string | number)[]) => unknown;
  readonly data: unknown;
}

export function parseFile(fileSystem: ManifestFileSystem, absolute: string, file: string, errors: ManifestError[]): ParsedFile | undefined {
  let text: string;
  try {
    text = fileSystem.readFile(absolute);
  } catch (error) {
    const code = errorCode(error);
    errors.push({
      code: 'unreadable-file',
      file,
      line: 1,
      col: 1,
      path: '(file)',
      message: code === 'EISDIR' ? 'is a directory, not a file' : 'cannot be read',
      got: code,
      fix: code === 'EISDIR' ? 'remove or rename the directory' : 'make the file readable (chmod 644) or remove it',
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      errors.push({
        code: 'yaml-syntax',
        file,
        line,
        col,
        path: '(file)',
        message: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        got: e.code,
        fix: yamlFix(e.code),
      });
    }
    return undefined;
  }
  const resolved = resolveDocument(doc, lineCounter, file);
  if ('error' in resolved) {
    errors.push(resolved.error);
    return undefined;
  }
  const data = resolved.data;
  const locate: Locate = (p, at) => {
    const offset = locateOffset(doc, p, at);
    return lineCounter.linePos(offset);
  };
  const valueAt = (p: readonly (string | number)[]) => {
    let v: unknown = data;
    for (const segment of p) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[segment];
    }
    return v;
  };
  return { file, doc, lineCounter, locate, valueAt, data };
}

/** More aliases than any manifest needs: YAML's own defence against "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;

/**
 * Turns a syntactically valid document into plain data, refusing what parses but cannot be plain data: an alias to an
 * anchor defined later (or never), an alias inside its own anchor (a cycle), an unknown or mismatched tag, a mapping or
 * list used as a key, or an alias expansion past MAX_ALIAS_COUNT. The yaml library reports the first kind as warnings and
 * throws for the others at toJS() time; each becomes one `yaml-resolve` error at the offending node.
 */
function resolveDocument(doc: Document, lineCounter: LineCounter, file: string): { data: unknown } | { error: ManifestError } {
  const at = (offset: number | undefined, message: string, got: string, fix: string): { error: ManifestError } => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { error: { code: 'yaml-resolve', file, line, col, path: '(file)', message, got, fix } };
  };
  const warning = doc.warnings[0];
  if (warning !== undefined) {
    const message = warning.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return at(warning.pos[0], `YAML cannot be resolved: ${message}`, warning.code, resolveFix(warning.code));
  }
  let problem: { error: ManifestError } | undefined;
  const anchors = new Map<string, YamlNode>();
  visit(doc, {
    Pair(_, pair) {
      if (problem === undefined && pair.key !== null && !(isScalar(pair.key) && (pair.key.value === null || typeof pair.key.value !== 'object'))) {
        problem = at(rangeStart(pair.key as YamlNode), 'a mapping key must be a plain value', 'a list, mapping, alias or binary value as a key', 'use a plain string key');
      }
    },
    Node(_, node) {
      if (problem !== undefined) return visit.BREAK;
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target === undefined) {
          problem = at(rangeStart(node), `alias *${node.source} has no anchor &${node.source} before it`, `*${node.source}`, `define &${node.source} earlier in the file, or write the value out`);
        } else if (contains(target, node)) {
          problem = at(rangeStart(node), `alias *${node.source} sits inside its own anchor, so its value would be infinite`, `*${node.source}`, 'write the value out instead of aliasing its parent');
        }
        return undefined;
      }
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (problem !== undefined) return problem;
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return at(rangeStart(doc.contents as YamlNode | null), `YAML cannot be resolved: ${message}`, error instanceof Error ? error.name : 'error', `remove the aliases or write the values out (at most ${MAX_ALIAS_COUNT} alias expansions)`);
  }
}

function contains(ancestor: YamlNode, node: YamlNode): boolean {
  let found = false;
  visit(ancestor, (_, n) => {
    if (n === node) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

function resolveFix(code: string): string {
  switch (code) {
    case 'TAG_RESOLVE_FAILED':
      return 'remove the tag (manifests use plain YAML: strings, numbers, booleans, lists, mappings)';
    case 'BAD_DIRECTIVE':
      return 'remove the % directive line';
    default:
      return 'write plain YAML at this position';
  }
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'keep one of the duplicate keys';
    case 'MISSING_CHAR':
      return 'close the quote or bracket';
    case 'BAD_INDENT':
    case 'MISSING_INDENT':
      return 'indent nested keys by two spaces, consistently';
    case 'MULTIPLE_DOCS':
      return 'keep one document per file (remove the --- separator)';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return 'fix the YAML at this position';
  }
}

/** Offset of the node at `p`: its key (`key`) or its value (`value`); the deepest existing ancestor if it is absent. */
function locateOffset(doc: Document, p: readonly (string | number)[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let best = rangeStart(doc.contents) ?? 0;
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    const last = i === p.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return best;
      const keyStart = rangeStart(pair.key as YamlNode) ?? best;
      const valueStart = rangeStart(pair.value as YamlNode | null);
      if (last) return at === 'key' ? keyStart : (valueStart ?? keyStart);
      best = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return best;
      best = rangeStart(item) ?? best;
      if (last) return best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

function rangeStart(node: YamlNode | null | undefined): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

