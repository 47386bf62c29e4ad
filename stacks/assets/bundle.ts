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

/** SQL files shipped next to the migrate handler (read at runtime by the migration runner), sorted by name. */
function migrationFiles(rootDir: string): string[] {
  const dir = path.join(rootDir, 'functions', 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => path.join(dir, file));
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

  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = await esbuild.build({
      entryPoints: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, handlerEntry(rootDir, name)])),
      outdir: '/bundle',
      absWorkingDir: rootDir,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: false,
      legalComments: 'none',
      // The Lambda runtime never needs these optional native/dev-only modules of pg.
      external: ['pg-native'],
      write: false,
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
      const entries: ZipEntry[] = [{ name: 'index.js', data: Buffer.from(output.contents) }];
      if (name === 'migrate') {
        for (const file of migrationFiles(rootDir)) {
          entries.push({ name: `migrations/${path.basename(file)}`, data: fs.readFileSync(file) });
        }
      }
      return writeZip(name, entries, outDir);
    }),
  );
  return Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle])) as FunctionBundles;
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
