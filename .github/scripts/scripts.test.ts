/* eslint-disable @typescript-eslint/no-require-imports */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { summarizeDiff, renderStack } = require('./plan-summary.cjs');
const { MARKER, renderComment, upsertPlanComment } = require('./pr-comment.cjs');
const { reportDrift, TITLE, LABEL } = require('./drift-issue.cjs');
const { decide, rotationAddresses } = require('./rotation-gate.cjs');

/** In-memory stand-in for the slice of Octokit (github-script's `github`) the scripts call. */
class FakeGitHub {
  comments: { id: number; body: string }[] = [];
  issues: { number: number; title: string; body: string; state: string; labels: string[]; comments: string[] }[] = [];
  private nextId = 1;
  rest = {
    issues: {
      listComments: async () => ({ data: this.comments }),
      createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
        const issue = this.issues.find((i) => i.number === issue_number);
        if (issue) issue.comments.push(body);
        else this.comments.push({ id: this.nextId, body });
        return { data: { id: this.nextId++ } };
      },
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        (this.comments.find((c) => c.id === comment_id) as { body: string }).body = body;
        return { data: {} };
      },
      listForRepo: async ({ labels, state }: { labels: string; state: string }) => ({
        data: this.issues.filter((i) => i.state === state && i.labels.includes(labels)),
      }),
      create: async ({ title, body, labels }: { title: string; body: string; labels: string[] }) => {
        this.issues.push({ number: this.nextId, title, body, labels, state: 'open', comments: [] });
        return { data: { number: this.nextId++ } };
      },
      update: async ({ issue_number, ...fields }: { issue_number: number; body?: string; state?: string }) => {
        Object.assign(this.issues.find((i) => i.number === issue_number) as object, fields);
        return { data: {} };
      },
    },
  };
  paginate = async (method: (args: unknown) => Promise<{ data: unknown[] }>, args: unknown) => (await method(args)).data;
}

const context = { repo: { owner: 'acme', repo: 'flota' }, issue: { number: 7 } };
/** Real logs of `cdktf diff tenant-delta --skip-synth --no-color` (cdktf-cli 0.21.0, terraform 1.11.4; ink escapes kept). */
const log = (name: string): string => readFileSync(join(__dirname, 'fixtures', `cdktf-diff-${name}.log`), 'utf8');
const summaryOf = (name: string) => summarizeDiff('tenant-delta', log(name));
const changes = {
  stacks: ['tenant-delta', 'observability'],
  tenantStacks: ['tenant-delta'],
  waves: { '1': ['tenant-delta'], '2': [], '3': [] },
  platform: false,
  observability: true,
  removed: [],
  all: false,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flota-plans-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('summarizes a cdktf diff log: terraform\'s Plan counts, the changed addresses, replacements flagged', () => {
  const summary = summaryOf('mixed');
  expect(summary).toEqual({
    stack: 'tenant-delta',
    status: 'changes',
    counts: { import: 0, add: 2, change: 1, destroy: 1, replace: 1 },
    changes: [
      { address: 'terraform_data.a', action: 'update' },
      { address: 'terraform_data.b', action: 'replace' },
      { address: 'terraform_data.c', action: 'create' },
    ],
    outputsChanged: true,
  });
  const markdown = renderStack(summary);
  expect(markdown).toMatch(/⚠️ `tenant-delta`: 2 to add, 1 to change, 1 to destroy \(1 replaced\)/);
  expect(markdown).toContain('**-/+ terraform_data.b**');
  expect(markdown.indexOf('terraform_data.b')).toBeLessThan(markdown.indexOf('terraform_data.a'));
});

test('a destroy is bold and flagged; "(because … is not in configuration)" is not an address', () => {
  const summary = summaryOf('destroy');
  expect(summary.counts).toEqual({ import: 0, add: 0, change: 0, destroy: 1, replace: 0 });
  expect(summary.changes).toEqual([{ address: 'terraform_data.b', action: 'delete' }]);
  expect(renderStack(summary)).toContain('**- terraform_data.b**');
});

test('"No changes." is clean; output-only changes count as changes; a log with neither is an error, never clean', () => {
  expect(summaryOf('clean')).toMatchObject({ status: 'clean', changes: [] });
  expect(renderStack(summaryOf('clean'))).toBe('### ✅ `tenant-delta`: no changes\n');
  const outputs = summaryOf('outputs-only');
  expect(outputs).toMatchObject({ status: 'changes', outputsChanged: true, counts: { add: 0, change: 0, destroy: 0 } });
  expect(renderStack(outputs)).toContain('0 to add, 0 to change, 0 to destroy (outputs only)');
  expect(summaryOf('error')).toEqual({ stack: 'tenant-delta', status: 'error' });
  expect(summarizeDiff('tenant-delta', '')).toEqual({ stack: 'tenant-delta', status: 'error' });
  expect(renderStack(summaryOf('error'))).toContain('❌ `tenant-delta`');
});

test('drift stays quiet after RDS applies a minor upgrade: a refreshed engine_version_actual is not a planned change', () => {
  // What terraform prints for a tenant stack after RDS moved 17.6 → 17.7 on its own: the stacks pin engine_version to
  // the major ("17", pinned in stacks/tenant-stack.test.ts), a prefix of engine_version_actual, so the provider plans
  // nothing; terraform may still note the refreshed attribute. Pinning "17.6" instead would plan a downgrade here.
  const refreshed = [
    'tenant-delta  Note: Objects have changed outside of Terraform',
    '',
    '      Terraform detected the following changes made outside of Terraform since the',
    '      last "terraform apply" which may have affected this plan:',
    '',
    '        # aws_db_instance.database_instance_0c3b2a1f has changed',
    '        ~ resource "aws_db_instance" "database_instance_0c3b2a1f" {',
    '            ~ engine_version_actual = "17.6" -> "17.7"',
    '              id                    = "db-ABCDEFGHIJKLMNOP"',
    '              # (60 unchanged attributes hidden)',
    '          }',
    '',
    '      No changes. Your infrastructure matches the configuration.',
    '',
  ].join('\n');
  expect(summarizeDiff('tenant-delta', refreshed)).toMatchObject({ status: 'clean', changes: [] });
  const downgrade = `${refreshed.split('No changes.')[0]}\n        # aws_db_instance.database_instance_0c3b2a1f will be updated in-place\n      Plan: 0 to add, 1 to change, 0 to destroy.\n`;
  expect(summarizeDiff('tenant-delta', downgrade)).toMatchObject({ status: 'changes', changes: [{ address: 'aws_db_instance.database_instance_0c3b2a1f', action: 'update' }] });
});

test('reads the import count when terraform plans imports', () => {
  const summary = summarizeDiff('platform', 'platform    # aws_s3_bucket.b will be imported\nplatform    Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.\n');
  expect(summary).toMatchObject({ status: 'changes', counts: { import: 1, add: 0 }, changes: [{ address: 'aws_s3_bucket.b', action: 'import' }] });
  expect(renderStack(summary)).toContain('1 to import, 0 to add');
});

test('the CLI the workflows call writes the summary JSON', () => {
  const out = execFileSync(process.execPath, [join(__dirname, 'plan-summary.cjs'), 'tenant-delta', join(__dirname, 'fixtures', 'cdktf-diff-clean.log')], { encoding: 'utf8' });
  expect(JSON.parse(out)).toMatchObject({ stack: 'tenant-delta', status: 'clean' });
});

test('keeps one PR comment: created once, then updated in place on the next run', async () => {
  const github = new FakeGitHub();
  github.comments.push({ id: 99, body: 'an unrelated review comment' });
  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summaryOf('mixed')));
  const first = await upsertPlanComment({ github, context, changes, summaryDir: dir, diffResult: 'success', runUrl: 'https://run/1' });
  expect(first.action).toBe('created');

  writeFileSync(join(dir, 'observability.json'), JSON.stringify(summarizeDiff('observability', log('clean'))));
  const second = await upsertPlanComment({ github, context, changes, summaryDir: dir, diffResult: 'success', runUrl: 'https://run/2' });
  expect(second).toEqual({ action: 'updated', id: first.id });
  const ours = github.comments.filter((c) => c.body.includes(MARKER));
  expect(ours).toHaveLength(1);
  expect(ours[0]?.body).toContain('https://run/2');
  expect(ours[0]?.body).toContain('`observability`: no changes');
});

test('a stack whose plan is missing is shown as failed, and removals carry the decommission warning', () => {
  const body = renderComment({
    changes: { ...changes, removed: ['tenant-bravo'] },
    summaries: [{ stack: 'tenant-delta', status: 'error' }],
    diffResult: 'failure',
    runUrl: 'https://run/3',
  });
  expect(body).toContain('❌ `tenant-delta`');
  expect(body).toContain('Some plans did not complete (failure)');
  expect(body).toContain('Flota-Decommissioned: <stack>');
});

test('drift: opens one issue, updates it while drift remains, closes it with a note when clean', async () => {
  const github = new FakeGitHub();
  const stacks = ['tenant-delta', 'observability'];
  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summaryOf('mixed')));
  writeFileSync(join(dir, 'observability.json'), JSON.stringify(summarizeDiff('observability', log('clean'))));
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/1' })).action).toBe('created');
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/2' })).action).toBe('updated');
  expect(github.issues).toHaveLength(1);
  expect(github.issues[0]).toMatchObject({ title: TITLE, labels: [LABEL], state: 'open' });
  expect(github.issues[0]?.body).toContain('https://run/2');
  expect(github.issues[0]?.body).toContain('Nightly `cdktf diff` found differences');

  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summaryOf('clean')));
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/3' })).action).toBe('closed');
  expect(github.issues[0]?.state).toBe('closed');
  expect(github.issues[0]?.comments[0]).toContain('clean');
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/4' })).action).toBe('none');
});

describe('rotation gate (rotate-grafana-token.yml)', () => {
  // the shape of the synthesized platform stack's rotation (stacks/constructs/grafana-workspace.ts)
  const platform = {
    resource: {
      time_rotating: { 'grafana_terraform-token-rotation_1': { rotation_days: 14 } },
      aws_grafana_workspace_service_account_token: {
        'grafana_terraform-token_2': { name: 'flota-terraform-1-${time_rotating.grafana_terraform-token-rotation_1.unix}' },
      },
      aws_ssm_parameter: {
        'grafana_token-parameter_3': { value: '${aws_grafana_workspace_service_account_token.grafana_terraform-token_2.key}' },
        'grafana_url-parameter_4': { value: 'https://${aws_grafana_workspace.grafana_workspace_5.endpoint}' },
      },
      aws_vpc: { network_vpc_6: { cidr_block: '10.0.0.0/16' } },
    },
  };
  const changes = (...list: [string, string][]) => ({
    stack: 'platform',
    status: 'changes',
    counts: {},
    changes: list.map(([action, address]) => ({ action, address })),
    outputsChanged: false,
  });

  test('finds the rotation: the time_rotating, the token named after it, the SSM parameter holding the token', () => {
    expect([...rotationAddresses(platform)].sort()).toEqual([
      'aws_grafana_workspace_service_account_token.grafana_terraform-token_2',
      'aws_ssm_parameter.grafana_token-parameter_3',
      'time_rotating.grafana_terraform-token-rotation_1',
    ]);
  });

  test('applies when the plan is exactly the rotation', () => {
    const due = changes(
      ['create', 'time_rotating.grafana_terraform-token-rotation_1'],
      ['replace', 'aws_grafana_workspace_service_account_token.grafana_terraform-token_2'],
      ['update', 'aws_ssm_parameter.grafana_token-parameter_3'],
    );
    expect(decide(due, platform)).toMatchObject({ rotate: true });
  });

  test('does nothing when the plan is clean', () => {
    expect(decide({ stack: 'platform', status: 'clean', changes: [] }, platform)).toMatchObject({ rotate: false });
    expect(decide({ stack: 'platform', status: 'clean', changes: [] }, platform).error).toBeUndefined();
  });

  test('refuses (fails the run) when anything else would change, or the plan failed', () => {
    const drift = changes(['create', 'time_rotating.grafana_terraform-token-rotation_1'], ['update', 'aws_vpc.network_vpc_6']);
    expect(decide(drift, platform)).toMatchObject({ rotate: false, error: true, reason: expect.stringContaining('update aws_vpc.network_vpc_6') });
    expect(decide({ stack: 'platform', status: 'error' }, platform)).toMatchObject({ rotate: false, error: true });
    expect(decide(changes(['update', 'aws_ssm_parameter.grafana_url-parameter_4']), platform)).toMatchObject({ error: true });
  });
});
