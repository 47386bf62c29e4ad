/**
 * `npm run check:cdktn`: is flota ready for CDK Terrain (cdktn), the community fork of the archived CDKTF?
 *
 * In a scratch copy under the system temp dir it (1) installs cdktn + @cdktn/provider-aws (+ a Node ≥ 22.19 binary from
 * npm when the system Node is older: cdktn requires it), (2) rewrites the imports inside stacks/ only
 * (`cdktf` → `cdktn`, `@cdktf/provider-aws` → `@cdktn/provider-aws`), (3) synthesizes the fleet with cdktn, and
 * (4) reports how every stack's cdk.tf.json differs from the cdktf synthesis of the same sources.
 * Nothing in the repository is modified. Exit 0 when cdktn synthesizes every stack, 1 otherwise.
 *
 *   npm run check:cdktn [-- --json] [-- --keep]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Pinned versions: cdktn 0.24 and the provider build that declares `cdktn: ^0.24.0` as its peer. */
export const CDKTN_VERSION = '0.24.0';
export const CDKTN_PROVIDER_AWS_VERSION = '25.7.0';
export const CONSTRUCTS_VERSION = '10.7.2'; // cdktn peer range >=10.6.0 <10.8.0; same as the repository's
export const NODE_VERSION = '22.23.3'; // from npm `node-<platform>-<arch>`, used only when the system Node is < 22.19

const root = join(__dirname, '..');
const SOURCES = ['bin', 'cli', 'stacks', 'fleet', 'contract', 'functions', 'dashboards', 'tenants', 'package.json', 'tsconfig.json', 'cdktf.json'];
/** Packages the scratch copy takes from cdktn's install instead of the repository's node_modules. */
const REPLACED = new Set(['cdktf', '@cdktf', 'constructs', 'cdktn', '@cdktn', '.bin', '.package-lock.json']);

export function rewriteImports(source: string): string {
  return source
    .replace(/(['"])@cdktf\/provider-aws(\/[^'"]*)?\1/g, (_m, q: string, sub: string | undefined) => `${q}@cdktn/provider-aws${sub ?? ''}${q}`)
    .replace(/(['"])cdktf(\/[^'"]*)?\1/g, (_m, q: string, sub: string | undefined) => `${q}cdktn${sub ?? ''}${q}`);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Leaf paths where two JSON values differ (`a.b.c`), with both values. */
export function jsonDifferences(a: unknown, b: unknown, path = ''): { path: string; cdktf: unknown; cdktn: unknown }[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((key) =>
      jsonDifferences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, cdktf: a, cdktn: b }];
}

export interface StackDifference {
  readonly path: string;
  readonly stacks: number;
  readonly example: { readonly stack: string; readonly cdktf: unknown; readonly cdktn: unknown };
}

/** Groups per-stack differences by JSON path, so "every stack changes the provider version" reads as one line. */
export function summarizeDifferences(perStack: Map<string, { path: string; cdktf: unknown; cdktn: unknown }[]>): StackDifference[] {
  const groups = new Map<string, StackDifference>();
  for (const [stack, differences] of perStack) {
    for (const difference of differences) {
      const group = groups.get(difference.path);
      groups.set(difference.path, group
        ? { ...group, stacks: group.stacks + 1 }
        : { path: difference.path, stacks: 1, example: { stack, cdktf: difference.cdktf, cdktn: difference.cdktn } });
    }
  }
  return [...groups.values()].sort((x, y) => y.stacks - x.stacks || x.path.localeCompare(y.path));
}

function readStacks(outDir: string): Map<string, unknown> {
  const stacksDir = join(outDir, 'stacks');
  return new Map(readdirSync(stacksDir).sort().map((stack) => [stack, JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as unknown]));
}

function nodeVersionAtLeast(version: string, major: number, minor: number): boolean {
  const [m, n] = version.replace(/^v/, '').split('.').map(Number) as [number, number];
  return m > major || (m === major && n >= minor);
}

function log(message: string): void {
  process.stderr.write(`check:cdktn: ${message}\n`);
}

function main(): number {
  const json = process.argv.includes('--json');
  const keep = process.argv.includes('--keep');
  const scratch = mkdtempSync(join(tmpdir(), 'flota-cdktn-'));
  const started = Date.now();
  try {
    // 1. A copy of the sources; imports rewritten inside stacks/ only (the one place cdktf is allowed).
    for (const entry of SOURCES) if (existsSync(join(root, entry))) cpSync(join(root, entry), join(scratch, entry), { recursive: true });
    let rewritten = 0;
    for (const file of walk(join(scratch, 'stacks')).filter((f) => f.endsWith('.ts'))) {
      const before = readFileSync(file, 'utf8');
      const after = rewriteImports(before);
      if (after !== before) {
        writeFileSync(file, after);
        rewritten += 1;
      }
    }
    log(`copied sources to ${scratch}; rewrote imports in ${rewritten} file(s) under stacks/`);

    // 2. cdktn, its AWS provider and (if needed) Node 22, installed from npm into the scratch directory.
    const deps = join(scratch, '.cdktn-deps');
    mkdirSync(deps);
    writeFileSync(join(deps, 'package.json'), JSON.stringify({ name: 'flota-cdktn-check', private: true }));
    const needsNode = !nodeVersionAtLeast(process.version, 22, 19);
    const nodePackage = `node-${process.platform}-${process.arch}`;
    const packages = [`cdktn@${CDKTN_VERSION}`, `@cdktn/provider-aws@${CDKTN_PROVIDER_AWS_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`, ...(needsNode ? [`${nodePackage}@${NODE_VERSION}`] : [])];
    log(`npm install ${packages.join(' ')} (the provider is large; a minute or two on first run)`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', '--engine-strict=false', ...packages], { cwd: deps, stdio: ['ignore', 'ignore', 'inherit'] });
    const node = needsNode ? join(deps, 'node_modules', nodePackage, 'bin', 'node') : process.execPath;
    const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

    // node_modules: the repository's packages, except cdktf/constructs, which come from the cdktn install.
    const modules = join(scratch, 'node_modules');
    mkdirSync(modules);
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (!REPLACED.has(name)) symlinkSync(join(root, 'node_modules', name), join(modules, name));
    }
    for (const name of ['cdktn', '@cdktn', 'constructs']) symlinkSync(join(deps, 'node_modules', name), join(modules, name));

    // 3. Synthesize the same sources with cdktf (the repository's toolchain) and with cdktn (Node 22).
    const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
    log('synthesizing with cdktf (baseline)');
    execFileSync(process.execPath, [join(root, 'bin', 'flota.js'), 'synth', '--quiet', '--out', join(scratch, 'cdktf.out')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    log(`synthesizing with cdktn ${CDKTN_VERSION} on Node ${nodeVersion}`);
    let cdktnError: string | undefined;
    try {
      execFileSync(node, [join(scratch, 'bin', 'flota.js'), 'synth', '--quiet', '--out', join(scratch, 'cdktn.out')], { cwd: scratch, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      cdktnError = String((error as { stderr?: string }).stderr ?? error).trim().split('\n').slice(0, 20).join('\n');
    }

    // 4. Compare.
    const baseline = readStacks(join(scratch, 'cdktf.out'));
    const candidate = cdktnError === undefined ? readStacks(join(scratch, 'cdktn.out')) : new Map<string, unknown>();
    const perStack = new Map<string, { path: string; cdktf: unknown; cdktn: unknown }[]>();
    for (const [stack, json] of baseline) if (candidate.has(stack)) perStack.set(stack, jsonDifferences(json, candidate.get(stack)));
    const report = {
      ok: cdktnError === undefined && candidate.size === baseline.size,
      cdktn: CDKTN_VERSION,
      providerAws: CDKTN_PROVIDER_AWS_VERSION,
      node: nodeVersion,
      filesRewritten: rewritten,
      stacks: { cdktf: baseline.size, cdktn: candidate.size },
      missingInCdktn: [...baseline.keys()].filter((s) => !candidate.has(s)),
      extraInCdktn: [...candidate.keys()].filter((s) => !baseline.has(s)),
      identicalStacks: [...perStack.values()].filter((d) => d.length === 0).length,
      differences: summarizeDifferences(perStack),
      error: cdktnError,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const lines = [
        `cdktn ${CDKTN_VERSION} + @cdktn/provider-aws ${CDKTN_PROVIDER_AWS_VERSION} on Node ${nodeVersion}: ${report.ok ? 'synthesized every stack' : 'FAILED'}`,
        `stacks: cdktf ${baseline.size}, cdktn ${candidate.size}; identical: ${report.identicalStacks}; imports rewritten in ${rewritten} file(s)`,
        ...(cdktnError ? [`cdktn synth error:\n${cdktnError}`] : []),
        ...(report.missingInCdktn.length ? [`missing in cdktn output: ${report.missingInCdktn.join(', ')}`] : []),
        'differences (JSON path: stacks affected; example cdktf -> cdktn):',
        ...report.differences.slice(0, 30).map((d) => `  ${d.path}: ${d.stacks}/${baseline.size}; ${JSON.stringify(d.example.cdktf)} -> ${JSON.stringify(d.example.cdktn)}`),
        ...(report.differences.length > 30 ? [`  … ${report.differences.length - 30} more paths (--json for all)`] : []),
        `(${report.seconds} s${keep ? `; scratch kept at ${relative(process.cwd(), scratch) || scratch}` : ''})`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return report.ok ? 0 : 1;
  } finally {
    if (!keep) rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
