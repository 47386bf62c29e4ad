/**
 * Function packaging: bundle the three Lambda handlers with esbuild ONCE per synth and write one deterministic zip per
 * function. Every tenant stack then copies the same zip (TerraformAsset of type FILE), so synth cost does not grow with
 * an archive step per tenant, and the same commit always yields the same bytes (fixed entry mtimes, sorted entries, no
 * source maps, no absolute paths).
 *
 * This module does I/O and is called by the synth entry points (CLI, cdktf app, tests); constructs only receive the
 * resulting {@link FunctionBundle} values.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { ZipFile } from 'yazl';

export const FUNCTION_NAMES = ['ingest', 'api', 'migrate'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface FunctionBundle {
  readonly name: FunctionName;
  /** Absolute path of the zip (outside cdktf.out; the stacks copy it in under a content-addressed folder). */
  readonly path: string;
  /** Hex SHA-256 of the zip: names the asset folder. */
  readonly sha256Hex: string;
  /** Base64 SHA-256 of the zip: Lambda's `source_code_hash`. */
  readonly sha256Base64: string;
  readonly bytes: number;
  /** True when the zip was reused from the bundle cache (no esbuild run). */
  readonly cached?: boolean;
}

export type FunctionBundles = Readonly<Record<FunctionName, FunctionBundle>>;

export interface BundleOptions {
  /** Repository root (holds functions/). */
  readonly rootDir: string;
  /** Where the zips are written (created if missing). */
  readonly outDir: string;
}

/** Thrown when a handler is missing or does not compile; names the file and the fix. */
export class FunctionBundleError extends Error {
  override readonly name = 'FunctionBundleError';
}

/** 1980-01-01 00:00 in LOCAL time: DOS timestamps are local, so this encodes identically in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function handlerEntry(rootDir: string, name: FunctionName): string {
  return path.join(rootDir, 'functions', name, 'handler.ts');
}

/**
 * Everything about the build that shapes the output bytes (part of the cache key). Exported so benchmarks measure the
 * bundle exactly as deployed.
 */
export const BUILD_OPTIONS = {
  outdir: '/bundle',
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  // Optional native module of pg; the Lambda runtime never needs it.
  external: ['pg-native'],
} as const satisfies esbuild.BuildOptions;

/**
 * Bundle cache: esbuild is skipped when every input file of the previous build (from its metafile), the build options,
 * the esbuild version and the project's package/tsconfig files are byte-identical, and the zips on disk still have the
 * recorded hashes. Rebuilding would produce the same bytes; the cache only saves the time.
 */
interface BundleCache {
  readonly key: string;
  readonly inputs: readonly string[];
  readonly bundles: Readonly<Record<FunctionName, Omit<FunctionBundle, 'path'>>>;
}

const CACHE_FILE = 'bundle-cache.json';
/** Files that change how inputs resolve or compile without being inputs themselves. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];

function cacheKey(rootDir: string, inputs: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ options: BUILD_OPTIONS, esbuild: esbuild.version }));
  for (const file of [...PROJECT_FILES, ...inputs]) {
    const full = path.resolve(rootDir, file);
    hash.update(`\0${file}\0`);
    hash.update(fs.existsSync(full) ? fs.readFileSync(full) : 'missing');
  }
  return hash.digest('hex');
}

function readCache(outDir: string, rootDir: string): FunctionBundles | undefined {
  try {
    const cache = JSON.parse(fs.readFileSync(path.join(outDir, CACHE_FILE), 'utf8')) as BundleCache;
    if (cacheKey(rootDir, cache.inputs) !== cache.key) return undefined;
    const bundles = FUNCTION_NAMES.map(
      (name): FunctionBundle => ({ ...cache.bundles[name], path: path.join(outDir, `${name}.zip`), cached: true }),
    );
    for (const bundle of bundles) {
      const digest = createHash('sha256').update(fs.readFileSync(bundle.path)).digest('hex');
      if (digest !== bundle.sha256Hex) return undefined;
    }
    return Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle])) as FunctionBundles;
  } catch {
    return undefined; // no cache, unreadable cache or missing zip: rebuild
  }
}

function writeCache(outDir: string, rootDir: string, inputs: readonly string[], bundles: FunctionBundles): void {
  const sorted = [...inputs].sort();
  const cache: BundleCache = {
    key: cacheKey(rootDir, sorted),
    inputs: sorted,
    bundles: Object.fromEntries(
      FUNCTION_NAMES.map((name) => {
        const { path: _ignored, ...rest } = bundles[name];
        return [name, rest];
      }),
    ) as BundleCache['bundles'],
  };
  const file = path.join(outDir, CACHE_FILE);
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(cache));
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

export async function bundleFunctions(options: BundleOptions): Promise<FunctionBundles> {
  const { rootDir, outDir } = options;
  const missing = FUNCTION_NAMES.map((name) => handlerEntry(rootDir, name)).filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new FunctionBundleError(
      `cannot package the Lambda functions: missing ${missing.map((file) => path.relative(rootDir, file)).join(', ')} ` +
        '(each function needs functions/<name>/handler.ts exporting `handler`)',
    );
  }

  const cached = readCache(outDir, rootDir);
  if (cached !== undefined) return cached;

  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[]; metafile: esbuild.Metafile };
  try {
    result = await esbuild.build({
      ...BUILD_OPTIONS,
      entryPoints: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, handlerEntry(rootDir, name)])),
      absWorkingDir: rootDir,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const lines = (failure.errors ?? []).map(
      (e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`,
    );
    throw new FunctionBundleError(`cannot bundle the Lambda functions:\n  ${lines.join('\n  ') || String(error)}`);
  }

  fs.mkdirSync(outDir, { recursive: true });
  const bundles = await Promise.all(
    FUNCTION_NAMES.map(async (name) => {
      const output = result.outputFiles.find((file) => file.path === `/bundle/${name}.js`);
      if (output === undefined) throw new FunctionBundleError(`esbuild produced no output for functions/${name}`);
      // Migrations are TypeScript modules imported by the handler, so the single index.js carries them.
      return writeZip(name, [{ name: 'index.js', data: Buffer.from(output.contents) }], outDir);
    }),
  );
  const bundles_ = Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle])) as FunctionBundles;
  writeCache(outDir, rootDir, Object.keys(result.metafile.inputs), bundles_);
  return bundles_;
}

interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

async function writeZip(name: FunctionName, entries: readonly ZipEntry[], outDir: string): Promise<FunctionBundle> {
  const zip = new ZipFile();
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    zip.addBuffer(entry.data, entry.name, { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const file = path.join(outDir, `${name}.zip`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, file);
  const digest = createHash('sha256').update(bytes).digest();
  return {
    name,
    path: file,
    sha256Hex: digest.toString('hex'),
    sha256Base64: digest.toString('base64'),
    bytes: bytes.length,
  };
}
