/**
 * One manifest file read and parsed with source positions, so every error can point at FILE:LINE:COL of the offending
 * key or value.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
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
  const data: unknown = doc.toJS();
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

