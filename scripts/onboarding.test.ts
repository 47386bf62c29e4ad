/**
 * Onboarding is one file: in a scratch copy of the repository, `flota tenant add` writes a tenant file and, with no
 * other edit, every check CI runs on a pull request passes — validate, changed (only the new tenant's stack and
 * observability), synth, and every test suite that reads the shipped manifest, run in the copy.
 *
 * A suite reads the shipped manifest when it names it (SHIPPED_TENANTS_DIR, loadFleet() with its default directory, or
 * the 'tenants' directory); the others cannot see a new tenant file and are not re-run. This suite itself is excluded.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const NESTED = 'FLOTA_ONBOARDING_NESTED';
const ID = 'onboarding-probe';
const READS_SHIPPED_MANIFEST = /SHIPPED_TENANTS_DIR|shippedTenantCount|loadFleet\(\)|['"`]tenants['"`/]/;

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, [...args], { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const describeUnlessNested = process.env[NESTED] ? describe.skip : describe;

describeUnlessNested('onboarding: one tenant file is the whole change', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-onboarding-'));
    // What a clone holds: tracked files plus new, not-ignored ones (so the test also runs on uncommitted work).
    const files = ok(run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT), 'git ls-files')
      .split('\0')
      .filter((file) => file !== '' && file !== 'node_modules'); // a worktree's node_modules may be a symlink
    for (const file of files) {
      const source = path.join(ROOT, file);
      if (!fs.existsSync(source)) continue; // deleted in the work tree
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.copyFileSync(source, path.join(scratch, file));
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    const git = (...args: string[]) => ok(run('git', ['-c', 'user.name=flota', '-c', 'user.email=flota@example.com', ...args], scratch), `git ${args[0]}`);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    ok(
      run(process.execPath, ['bin/flota.js', 'tenant', 'add', ID, '--tier', 'bronze', '--team', 'onboarding', '--email', 'onboarding@flota.example.com', '--cost-centre', 'CC-0001'], scratch),
      'flota tenant add',
    );
    git('add', `tenants/${ID}.yaml`);
    git('commit', '-q', '-m', `add tenant ${ID}`);
  }, 120_000);

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('the change is exactly one new file', () => {
    const changed = ok(run('git', ['diff', '--name-status', 'HEAD~1', 'HEAD'], scratch), 'git diff').trim();
    expect(changed).toBe(`A\ttenants/${ID}.yaml`);
  });

  test('flota validate passes', () => {
    const result = run(process.execPath, ['bin/flota.js', 'validate'], scratch);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/✓ \d+ tenants valid/);
  });

  test('flota changed plans only the new tenant and observability', () => {
    const out = ok(run(process.execPath, ['bin/flota.js', 'changed', '--base', 'HEAD~1', '--head', 'HEAD', '--json'], scratch), 'flota changed');
    const result = JSON.parse(out) as { stacks: string[] };
    expect(result.stacks).toEqual([`tenant-${ID}`, 'observability']);
  });

  test('flota synth writes the new tenant stack', () => {
    ok(run(process.execPath, ['bin/flota.js', 'synth', '--quiet'], scratch), 'flota synth');
    expect(fs.existsSync(path.join(scratch, 'cdktf.out', 'stacks', `tenant-${ID}`, 'cdk.tf.json'))).toBe(true);
  }, 120_000);

  test('every test suite that reads the shipped manifest passes in the copy', () => {
    const suites = ok(run('git', ['ls-files', '*.test.ts'], scratch), 'git ls-files')
      .split('\n')
      .filter((file) => file !== '' && file !== 'scripts/onboarding.test.ts' && READS_SHIPPED_MANIFEST.test(fs.readFileSync(path.join(scratch, file), 'utf8')));
    expect(suites).toEqual(expect.arrayContaining(['dashboards/dashboards.test.ts', 'fleet/model/fleet.test.ts', 'stacks/main.test.ts']));
    const result = run(process.execPath, [path.join('node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--silent', '--runTestsByPath', ...suites], scratch, {
      [NESTED]: '1',
    });
    if (result.status !== 0) throw new Error(`tests failed in the scratch copy:\n${result.stderr.split('\n').filter((l) => /✕|●|Tests:|FAIL/.test(l)).slice(0, 40).join('\n')}`);
    expect(result.stderr).toMatch(/Tests:\s+\d+ passed/);
  }, 600_000);
});
