'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: loaded by actions/github-script's require() */
// Keeps ONE pull-request comment with the plan summary of every affected stack, found by a hidden marker and edited in
// place on every push (never a new comment per run). Called from pr.yml through actions/github-script.
const fs = require('node:fs');
const path = require('node:path');
const { renderStack } = require('./plan-summary.cjs');

const MARKER = '<!-- flota-plan-comment -->';

/** Reads every <stack>.json summary in `dir`; stacks without one (plan job failed or skipped) become errors. */
function readSummaries(dir, stacks) {
  return stacks.map((stack) => {
    const file = path.join(dir, `${stack}.json`);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { stack, status: 'error' };
  });
}

function renderComment({ changes, summaries, diffResult, runUrl }) {
  const parts = [MARKER, '## flota plan'];
  if (changes.stacks.length === 0) {
    parts.push('This change affects **no stack** (documentation, CI or tests only).');
  } else {
    parts.push(`This change affects **${changes.stacks.length}** stack(s): ${changes.stacks.map((s) => `\`${s}\``).join(', ')}` +
      (changes.all ? ' — a fleet-wide file changed, so every stack is planned.' : '.'));
    const waves = Object.entries(changes.waves).filter(([, stacks]) => stacks.length > 0);
    if (waves.length > 0) parts.push(`Deploy order on merge: ${changes.platform ? '`platform` → ' : ''}${waves.map(([w, s]) => `wave ${w} (${s.length})`).join(' → ')}${changes.observability ? ' → `observability`' : ''}.`);
    if (diffResult !== 'success') parts.push(`> [!WARNING]\n> Some plans did not complete (${diffResult}); see the run.`);
    parts.push(...summaries.map((summary) => renderStack(summary)));
  }
  if (changes.removed.length > 0) {
    parts.push(`> [!CAUTION]\n> Removed from the manifest: ${changes.removed.map((s) => `\`${s}\``).join(', ')}. CI never destroys a tenant. ` +
      'Follow docs/delivery.md "Decommissioning a tenant"; the merge commit needs the trailer `Flota-Decommissioned: <stack>` or the deploy fails.');
  }
  parts.push(`<sub>[workflow run](${runUrl}) · updated in place on every push</sub>`);
  const body = parts.join('\n\n');
  // GitHub rejects comments over 65,536 characters.
  return body.length <= 65000 ? body : `${body.slice(0, 64000)}\n\n… truncated: see the run's plan artifacts.`;
}

/** Finds the comment carrying MARKER (paginating), then updates it, or creates it when absent. */
async function upsertComment({ github, context, body }) {
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const existing = comments.find((comment) => typeof comment.body === 'string' && comment.body.includes(MARKER));
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: 'updated', id: existing.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
}

async function upsertPlanComment({ github, context, changes, summaryDir, diffResult, runUrl }) {
  const summaries = readSummaries(summaryDir, changes.stacks);
  return upsertComment({ github, context, body: renderComment({ changes, summaries, diffResult, runUrl }) });
}

module.exports = { MARKER, readSummaries, renderComment, upsertComment, upsertPlanComment };
