import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { bundleFunctions, FunctionBundleError, FUNCTION_NAMES } from './bundle';

let root: string;

function writeHandler(name: string, body: string): void {
  const dir = path.join(root, 'functions', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'handler.ts'), body);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-bundle-test-'));
  for (const name of FUNCTION_NAMES) {
    writeHandler(name, `import { join } from 'node:path';\nexport const handler = async (): Promise<string> => join('${name}', 'ok');\n`);
  }
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Local file headers of a zip: name, DOS time and date (what makes zips differ between checkouts). */
interface Entry {
  name: string;
  time: number;
  date: number;
}

function zipEntries(zip: Buffer, contents: Map<string, string> = new Map()): Entry[] {
  const entries: Entry[] = [];
  let offset = 0;
  while (zip.readUInt32LE(offset) === 0x04034b50) {
    const compressedSize = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 30, offset + 30 + nameLength);
    entries.push({ name, time: zip.readUInt16LE(offset + 10), date: zip.readUInt16LE(offset + 12) });
    const start = offset + 30 + nameLength + extraLength;
    contents.set(name, inflateRawSync(zip.subarray(start, start + compressedSize)).toString('utf8'));
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return entries;
}

describe('bundleFunctions', () => {
  test('produces byte-identical zips on every run, independent of file mtimes', async () => {
    const first = await bundleFunctions({ rootDir: root, outDir: path.join(root, 'out-1') });
    const later = new Date(Date.now() + 86_400_000);
    for (const name of FUNCTION_NAMES) fs.utimesSync(path.join(root, 'functions', name, 'handler.ts'), later, later);
    const second = await bundleFunctions({ rootDir: root, outDir: path.join(root, 'out-2') });
    for (const name of FUNCTION_NAMES) {
      expect(second[name].sha256Hex).toBe(first[name].sha256Hex);
      expect(fs.readFileSync(second[name].path).equals(fs.readFileSync(first[name].path))).toBe(true);
    }
  });

  test('writes one index.js per function with a fixed 1980-01-01 timestamp and matching hashes', async () => {
    const bundles = await bundleFunctions({ rootDir: root, outDir: path.join(root, 'out') });
    const zip = fs.readFileSync(bundles.ingest.path);
    expect(zipEntries(zip)).toEqual([{ name: 'index.js', time: 0, date: (0 << 9) | (1 << 5) | 1 }]);
    expect(bundles.ingest.bytes).toBe(zip.length);
    expect(Buffer.from(bundles.ingest.sha256Base64, 'base64').toString('hex')).toBe(bundles.ingest.sha256Hex);
  });

  test('bundles minified CommonJS without source maps or absolute paths', async () => {
    const bundles = await bundleFunctions({ rootDir: root, outDir: path.join(root, 'out') });
    const contents = new Map<string, string>();
    zipEntries(fs.readFileSync(bundles.api.path), contents);
    const text = contents.get('index.js')!;
    expect(text).toMatch(/exports|module\.exports/);
    expect(text).toContain('"api","ok"');
    expect(text).not.toContain('sourceMappingURL');
    expect(text).not.toContain(root);
  });

  test('reuses the previous zips while no input changed, and rebuilds when one does', async () => {
    const outDir = path.join(root, 'out');
    const first = await bundleFunctions({ rootDir: root, outDir });
    const written = fs.statSync(first.api.path).mtimeMs;
    const again = await bundleFunctions({ rootDir: root, outDir });
    for (const name of FUNCTION_NAMES) expect(again[name]).toEqual({ ...first[name], cached: true });
    expect(fs.statSync(again.api.path).mtimeMs).toBe(written);

    writeHandler('api', `export const handler = async (): Promise<string> => 'changed';\n`);
    const rebuilt = await bundleFunctions({ rootDir: root, outDir });
    expect(rebuilt.api.sha256Hex).not.toBe(first.api.sha256Hex);
    expect(rebuilt.ingest.sha256Hex).toBe(first.ingest.sha256Hex);
  });

  test('rebuilds when a cached zip was tampered with', async () => {
    const outDir = path.join(root, 'out');
    const first = await bundleFunctions({ rootDir: root, outDir });
    fs.writeFileSync(first.migrate.path, 'not a zip');
    const again = await bundleFunctions({ rootDir: root, outDir });
    expect(fs.readFileSync(again.migrate.path).subarray(0, 2).toString()).toBe('PK');
    expect(again.migrate.sha256Hex).toBe(first.migrate.sha256Hex);
  });

  test('fails if a handler is missing, naming the file and the fix', async () => {
    fs.rmSync(path.join(root, 'functions', 'migrate'), { recursive: true });
    await expect(bundleFunctions({ rootDir: root, outDir: path.join(root, 'out') })).rejects.toThrow(
      new FunctionBundleError(
        'cannot package the Lambda functions: missing functions/migrate/handler.ts (each function needs ' +
          'functions/<name>/handler.ts exporting `handler`)',
      ),
    );
  });

  test('fails if a handler does not compile, with file and position', async () => {
    writeHandler('api', 'export const handler = (;\n');
    await expect(bundleFunctions({ rootDir: root, outDir: path.join(root, 'out') })).rejects.toThrow(
      /cannot bundle the Lambda functions:\n {2}functions\/api\/handler\.ts:1:\d+: /,
    );
  });
});
