import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSynth } from './synth';

const rootDir = path.resolve(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-synth-cli-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

/** A two-tenant copy of the shipped manifest (fast to synthesize). */
function smallFleet(name: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(rootDir, 'tenants');
  const files = fs.readdirSync(source).sort();
  const tenants = files.filter((f) => /^[a-z0-9].*\.yaml$/.test(f)).slice(0, 2);
  for (const file of [...files.filter((f) => !/^[a-z0-9].*\.yaml$/.test(f)), ...tenants]) {
    fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  return dir;
}

describe('flota synth', () => {
  test('writes the stacks into $CDKTF_OUTDIR when --out is not given (cdktf synth sets it) and reports JSON', async () => {
    const tenants = smallFleet('good');
    const outDir = path.join(scratch, 'from-env');
    const { io, out, err } = capture();
    const code = await runSynth(['--tenants', tenants, '--json'], io, { CDKTF_OUTDIR: outDir }, rootDir);
    expect([code, err.join('')]).toEqual([0, expect.stringContaining('synthesized 4 stacks')]);
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ ok: true, tenants: 2, stacks: expect.arrayContaining(['platform']) });
    expect(Object.keys(summary.functions).sort()).toEqual(['api', 'ingest', 'migrate']);
    expect(fs.readdirSync(path.join(outDir, 'stacks')).sort()).toEqual([...summary.stacks].sort());
  });

  test('fails with exit 1, prints every manifest error as FILE:LINE:COL and writes nothing', async () => {
    const tenants = smallFleet('bad');
    const victims = fs.readdirSync(tenants).filter((f) => /^[a-z0-9].*\.yaml$/.test(f));
    for (const victim of victims) fs.appendFileSync(path.join(tenants, victim), '\nunknown_key: 1\n');
    const outDir = path.join(scratch, 'never-written');
    const { io, err } = capture();
    const code = await runSynth(['--tenants', tenants, '--out', outDir], io, {}, rootDir);
    expect(code).toBe(1);
    const lines = err.join('').trim().split('\n');
    expect(lines.filter((line) => /^[^:]+\.yaml:\d+:\d+: /.test(line)).length).toBe(victims.length);
    expect(lines.at(-1)).toMatch(/manifest error\(s\); nothing was written/);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test('fails with exit 2 and the usage on an unknown option', async () => {
    const { io, err } = capture();
    expect(await runSynth(['--tenant', 'x'], io, {}, rootDir)).toBe(2);
    expect(err.join('')).toContain('usage: flota synth');
  });
});
