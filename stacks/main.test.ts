/**
 * The synth entry end to end: real manifest, real esbuild bundles, real cdktf output on disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManifestValidationError } from '../fleet/manifest/errors';
import { synthesize } from './main';

const rootDir = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-main-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir` (relative path → bytes), sorted. */
function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

describe('synthesize', () => {
  test('two synths of the same commit produce byte-identical output without absolute paths or timestamps', async () => {
    const first = path.join(scratch, 'first', 'cdktf.out');
    const second = path.join(scratch, 'second', 'cdktf.out');
    const a = await synthesize({ rootDir, tenantsDir: path.join(rootDir, 'tenants'), outDir: first });
    await synthesize({ rootDir, tenantsDir: path.join(rootDir, 'tenants'), outDir: second });

    expect(a.stackNames).toContain('platform');
    expect(a.stackNames.filter((name) => name.startsWith('tenant-'))).toHaveLength(a.tenants);
    const one = tree(first);
    const two = tree(second);
    expect([...two.keys()]).toEqual([...one.keys()]);
    const differing = [...one].filter(([file, bytes]) => !bytes.equals(two.get(file)!)).map(([file]) => file);
    expect(differing).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    for (const [file, bytes] of one) {
      if (!file.endsWith('.json')) continue;
      const text = bytes.toString('utf8');
      expect([file, text.includes(rootDir) || text.includes(scratch) || text.includes(os.tmpdir() + '/')]).toEqual([file, false]);
      expect([file, text.includes(today)]).toEqual([file, false]);
    }
  });

  test('every tenant stack ships the same shared zips, copied as files (no per-stack archive step)', async () => {
    const out = path.join(scratch, 'first', 'cdktf.out');
    const zips = [...tree(out).entries()].filter(([file]) => file.endsWith('.zip'));
    const byFunction = new Map<string, Set<string>>();
    for (const [file, bytes] of zips) {
      const name = path.basename(file);
      byFunction.set(name, (byFunction.get(name) ?? new Set()).add(bytes.toString('base64')));
    }
    expect([...byFunction.keys()].sort()).toEqual(['api.zip', 'ingest.zip', 'migrate.zip']);
    for (const variants of byFunction.values()) expect(variants.size).toBe(1);
  });

  test('fails if the manifest is invalid, with every error, and leaves the previous output untouched', async () => {
    const tenantsDir = path.join(scratch, 'bad-tenants');
    fs.cpSync(path.join(rootDir, 'tenants'), tenantsDir, { recursive: true });
    const victim = fs.readdirSync(tenantsDir).find((file) => /^[a-z].*\.yaml$/.test(file))!;
    fs.appendFileSync(path.join(tenantsDir, victim), '\nnot_a_field: 1\n');
    const outDir = path.join(scratch, 'keep', 'cdktf.out');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'previous.txt'), 'previous output');

    const error = await synthesize({ rootDir, tenantsDir, outDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect((error as ManifestValidationError).errors.map((e) => e.path)).toContain('not_a_field');
    expect(fs.readdirSync(outDir)).toEqual(['previous.txt']);
    expect(fs.readdirSync(path.dirname(outDir))).toEqual(['cdktf.out']);
  });
});
