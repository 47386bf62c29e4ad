import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetIndex } from '../lib/fleet-index';
import { GitRepo as Repo, seedFleet as seed } from '../lib/testing/git-repo';
import { readWaves } from '../lib/testing/wave-reader';
import { run } from './changed';

async function changed(repo: Repo, ...args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(
    ['--cwd', repo.dir, '--json', ...args],
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    readWaves,
  );
  return { code, json: stdout === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>), stderr };
}

describe('flota changed (real git repositories)', () => {
  let repo: Repo;
  beforeEach(() => {
    repo = seed(new Repo());
  });
  afterEach(() => repo.cleanup());

  test('a PR adding one tenant file affects exactly that tenant stack and observability', async () => {
    repo.branch('add-delta').write('tenants/delta.yaml', 'displayName: Delta\nwave: 2\n').commit('add tenant delta');
    const { code, json } = await changed(repo, '--base', 'main', '--head', 'add-delta');
    expect(code).toBe(0);
    expect(json).toMatchObject({
      stacks: ['tenant-delta', 'observability'],
      tenantStacks: ['tenant-delta'],
      waves: { '1': [], '2': ['tenant-delta'], '3': [] },
      platform: false,
      observability: true,
      removed: [],
      all: false,
    });
    expect(json.reasons).toEqual({ 'tenant-delta': ['tenants/delta.yaml'], observability: ['tenants/delta.yaml'] });
  });

  test('modifying tenant files puts each in the wave the manifest at head gives it', async () => {
    repo
      .branch('move')
      .write('tenants/alpha.yaml', 'displayName: Alpha\nwave: 3\n')
      .write('tenants/charlie.yaml', 'displayName: Charlie 2\n')
      .commit('alpha moves to wave 3');
    const { json } = await changed(repo, '--base', 'main', '--head', 'move');
    expect(json.waves).toEqual({ '1': ['tenant-charlie'], '2': [], '3': ['tenant-alpha'] });
    expect(json.stacks).toEqual(['tenant-charlie', 'tenant-alpha', 'observability']);
  });

  test.each([
    ['tenants/_fleet.yaml', 'region: us-east-1\n'],
    ['stacks/tenant-stack.ts', 'export const x = 1;\n'],
    ['functions/api/handler.ts', 'export const y = 1;\n'],
    ['package-lock.json', '{"lockfileVersion":3}\n'],
    ['cdktf.json', '{}\n'],
    ['cli/commands/synth.ts', 'export const synth = 1;\n'],
    ['cli/lib/args.ts', 'export const args = 1;\n'],
  ])('a change to %s affects every stack, platform first', async (path, content) => {
    repo.branch('wide').write(path, content).commit(`change ${path}`);
    const { json } = await changed(repo, '--base', 'main', '--head', 'wide');
    expect(json).toMatchObject({
      stacks: ['platform', 'tenant-alpha', 'tenant-charlie', 'tenant-bravo', 'observability'],
      waves: { '1': ['tenant-alpha', 'tenant-charlie'], '2': ['tenant-bravo'], '3': [] },
      platform: true,
      observability: true,
      all: true,
    });
    expect((json.reasons as Record<string, string[]>).platform).toEqual([path]);
  });

  test('a dashboards change affects only observability', async () => {
    repo.branch('dash').write('dashboards/fleet.ts', 'export const panel = 1;\n').commit('dashboard');
    const { json } = await changed(repo, '--base', 'main', '--head', 'dash');
    expect(json).toMatchObject({ stacks: ['observability'], tenantStacks: [], platform: false, observability: true });
  });

  test('docs, workflows, generated schema and tests affect no stack', async () => {
    repo
      .branch('docs')
      .write('docs/delivery.md', '# Delivery\nmore\n')
      .write('README.md', 'readme\n')
      .write('.github/workflows/pr.yml', 'on: [pull_request]\n')
      .write('tenants/tenant.schema.json', '{"x":1}\n')
      .write('stacks/tenant-stack.test.ts', 'test("x", () => {});\n')
      .write('cli/commands/dlq.ts', 'export const dlq = 1;\n')
      .commit('docs only');
    const { json } = await changed(repo, '--base', 'main', '--head', 'docs');
    expect(json).toMatchObject({ stacks: [], tenantStacks: [], platform: false, observability: false, removed: [] });
  });

  test('a deleted tenant file is reported as removed, never as a stack to deploy, and must be acknowledged', async () => {
    repo.branch('drop').remove('tenants/bravo.yaml').commit('remove bravo');
    const { json } = await changed(repo, '--base', 'main', '--head', 'drop');
    expect(json).toMatchObject({
      stacks: ['observability'],
      tenantStacks: [],
      removed: ['tenant-bravo'],
      unacknowledgedRemovals: ['tenant-bravo'],
    });

    repo.write('docs/delivery.md', 'decommissioned\n').commit('Decommission bravo\n\nFlota-Decommissioned: tenant-bravo\n');
    const acknowledged = await changed(repo, '--base', 'main', '--head', 'drop');
    expect(acknowledged.json).toMatchObject({ removed: ['tenant-bravo'], unacknowledgedRemovals: [] });
  });

  test('renaming a tenant file is a removal plus a new tenant', async () => {
    repo.branch('rename');
    repo.git('mv', 'tenants/alpha.yaml', 'tenants/alpha2.yaml');
    repo.commit('rename alpha');
    const { json } = await changed(repo, '--base', 'main', '--head', 'rename');
    expect(json).toMatchObject({ tenantStacks: ['tenant-alpha2'], removed: ['tenant-alpha'] });
  });

  test('uses the merge base: commits that landed on main after the branch point are not attributed to the PR', async () => {
    repo.branch('feature').write('tenants/alpha.yaml', 'displayName: Alpha!\n').commit('alpha');
    repo.checkout('main').write('stacks/tenant-stack.ts', 'export const later = 1;\n').commit('main moves on');
    const { json } = await changed(repo, '--base', 'main', '--head', 'feature');
    expect(json).toMatchObject({ stacks: ['tenant-alpha', 'observability'], platform: false });
  });

  test('reads the manifest at --head, not the working tree', async () => {
    repo.branch('add-echo').write('tenants/echo.yaml', 'wave: 1\n').commit('echo');
    repo.checkout('main');
    const { json } = await changed(repo, '--base', 'main', '--head', 'add-echo');
    expect(json.tenantStacks).toEqual(['tenant-echo']);
  });

  test('--all lists every stack without a base', async () => {
    const { code, json } = await changed(repo, '--all');
    expect(code).toBe(0);
    expect(json.stacks).toEqual(['platform', 'tenant-alpha', 'tenant-charlie', 'tenant-bravo', 'observability']);
  });

  test('writes GitHub step outputs as single-line JSON', async () => {
    repo.branch('add-delta').write('tenants/delta.yaml', 'wave: 1\n').commit('delta');
    const outputFile = join(repo.dir, '..', `${repo.dir.split('/').pop()}-output`);
    try {
      await changed(repo, '--base', 'main', '--head', 'add-delta', '--github-output', outputFile);
      const lines = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1)) as unknown]),
      );
      expect(lines).toMatchObject({
        stacks: ['tenant-delta', 'observability'],
        tenant_stacks: ['tenant-delta'],
        wave_1: ['tenant-delta'],
        wave_2: [],
        wave_3: [],
        platform: false,
        observability: true,
        removed: [],
        any: true,
      });
    } finally {
      rmSync(outputFile, { force: true });
    }
  });

  test('fails with a clear message when a wave exceeds the deploy workflow\'s wave jobs', async () => {
    repo.branch('late').write('tenants/alpha.yaml', 'wave: 4\n').commit('wave 4');
    const { code, stderr } = await changed(repo, '--base', 'main', '--head', 'late');
    expect(code).toBe(1);
    expect(stderr).toMatch(/tenant 'alpha': wave 4 is outside 1\.\.3/);
    expect(stderr).toMatch(/deploy\.yml/);
  });

  test('fails naming the ref when the base does not exist (shallow clone)', async () => {
    const { code, stderr } = await changed(repo, '--base', 'origin/main');
    expect(code).toBe(1);
    expect(stderr).toMatch(/git ref 'origin\/main' is not a commit.*fetch-depth: 0/s);
  });

  test('usage errors exit 2 and show help', async () => {
    expect((await changed(repo)).code).toBe(2);
    const unknown = await changed(repo, '--base', 'main', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bogus/);
  });

  test('uses the injected loader (the validated fleet model) for stack names and waves', async () => {
    repo.branch('add-delta').write('tenants/delta.yaml', 'wave: 1\n').commit('delta');
    const loader = (): FleetIndex => ({
      platformStackName: 'platform',
      observabilityStackName: 'observability',
      tenants: [{ id: 'delta', stackName: 'tenant-delta', wave: 2 }],
    });
    let stdout = '';
    await run(['--cwd', repo.dir, '--json', '--base', 'main', '--head', 'add-delta'], { stdout: (t) => (stdout += t), stderr: () => undefined }, loader);
    expect(JSON.parse(stdout).waves).toEqual({ '1': [], '2': ['tenant-delta'], '3': [] });
  });

  test('with the real manifest loader: waves come from the validated fleet model', async () => {
    const real = new Repo();
    try {
      const root = join(__dirname, '..', '..');
      const tenant = (id: string) => readFileSync(join(root, 'tenants', `${id}.yaml`), 'utf8');
      real.write('tenants/_fleet.yaml', readFileSync(join(root, 'tenants', '_fleet.yaml'), 'utf8'));
      real.write('tenants/order-events.yaml', tenant('order-events')).commit('one tenant');
      real.branch('add').write('tenants/payments-ledger.yaml', tenant('payments-ledger').replace(/^wave: \d+$/m, 'wave: 3')).commit('add');
      let stdout = '';
      let stderr = '';
      const code = await run(['--cwd', real.dir, '--json', '--base', 'main', '--head', 'add'], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(stdout)).toMatchObject({ stacks: ['tenant-payments-ledger', 'observability'], waves: { '3': ['tenant-payments-ledger'] } });

      real.write('tenants/payments-ledger.yaml', 'id: payments-ledger\n').commit('broken');
      const broken = await run(['--cwd', real.dir, '--json', '--base', 'main', '--head', 'add'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
      expect(broken).toBe(1);
      expect(stderr).toMatch(/tenants\/payments-ledger\.yaml:\d+:\d+: /);
    } finally {
      real.cleanup();
    }
  });
});
