/* eslint-disable @typescript-eslint/no-require-imports */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { summarizePlan, renderStack } = require('./plan-summary.cjs');
const { MARKER, renderComment, upsertPlanComment } = require('./pr-comment.cjs');
const { reportDrift, TITLE, LABEL } = require('./drift-issue.cjs');

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
const plan = {
  resource_changes: [
    { address: 'aws_sqs_queue.queue', change: { actions: ['create'] } },
    { address: 'aws_db_instance.db', change: { actions: ['delete', 'create'] } },
    { address: 'aws_iam_role.r', change: { actions: ['update'] } },
    { address: 'data.aws_vpc.v', change: { actions: ['read'] } },
    { address: 'aws_sns_topic.t', change: { actions: ['no-op'] } },
  ],
};
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

test('summarizes a plan: counts per action, no-ops and reads ignored, replacements flagged', () => {
  const summary = summarizePlan('tenant-delta', plan);
  expect(summary.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 0 });
  expect(summary.status).toBe('changes');
  expect(renderStack(summary)).toMatch(/⚠️ `tenant-delta`: 1 to add, 1 to change, 1 to replace, 0 to destroy/);
  expect(renderStack(summary)).toContain('**-/+ aws_db_instance.db**');
  expect(summarizePlan('observability', { resource_changes: [] }).status).toBe('clean');
});

test('keeps one PR comment: created once, then updated in place on the next run', async () => {
  const github = new FakeGitHub();
  github.comments.push({ id: 99, body: 'an unrelated review comment' });
  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summarizePlan('tenant-delta', plan)));
  const first = await upsertPlanComment({ github, context, changes, summaryDir: dir, diffResult: 'success', runUrl: 'https://run/1' });
  expect(first.action).toBe('created');

  writeFileSync(join(dir, 'observability.json'), JSON.stringify(summarizePlan('observability', { resource_changes: [] })));
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
  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summarizePlan('tenant-delta', plan)));
  writeFileSync(join(dir, 'observability.json'), JSON.stringify(summarizePlan('observability', {})));
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/1' })).action).toBe('created');
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/2' })).action).toBe('updated');
  expect(github.issues).toHaveLength(1);
  expect(github.issues[0]).toMatchObject({ title: TITLE, labels: [LABEL], state: 'open' });
  expect(github.issues[0]?.body).toContain('https://run/2');

  writeFileSync(join(dir, 'tenant-delta.json'), JSON.stringify(summarizePlan('tenant-delta', {})));
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/3' })).action).toBe('closed');
  expect(github.issues[0]?.state).toBe('closed');
  expect(github.issues[0]?.comments[0]).toContain('clean');
  expect((await reportDrift({ github, context, stacks, summaryDir: dir, runUrl: 'https://run/4' })).action).toBe('none');
});
