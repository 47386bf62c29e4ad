'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: loaded by actions/github-script's require() */
// Keeps ONE open issue labelled "drift": created or updated when any stack's `cdktf diff` is not clean, closed with a note
// when every stack is clean again. Called from drift.yml through actions/github-script.
const { readSummaries } = require('./pr-comment.cjs');
const { renderStack } = require('./plan-summary.cjs');

const LABEL = 'drift';
const TITLE = 'Infrastructure drift detected';

function renderDriftBody({ summaries, runUrl }) {
  const drifted = summaries.filter((s) => s.status === 'changes');
  const failed = summaries.filter((s) => s.status === 'error');
  return [
    `Nightly \`cdktf diff\` found differences between the manifest and AWS ([run](${runUrl})).`,
    `**${drifted.length}** stack(s) drifted, **${failed.length}** could not be planned, ${summaries.length - drifted.length - failed.length} clean.`,
    'Either the change made outside flota should be reverted (re-run the deploy workflow for these stacks) or it belongs in the manifest.',
    ...drifted.map((summary) => renderStack(summary)),
    ...failed.map((summary) => renderStack(summary)),
  ].join('\n\n');
}

async function reportDrift({ github, context, stacks, summaryDir, runUrl }) {
  const { owner, repo } = context.repo;
  const summaries = readSummaries(summaryDir, stacks);
  const dirty = summaries.some((s) => s.status !== 'clean');
  const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', labels: LABEL, per_page: 100 });
  const existing = open.find((issue) => issue.title === TITLE && !issue.pull_request);
  if (dirty) {
    const body = renderDriftBody({ summaries, runUrl });
    if (existing) {
      await github.rest.issues.update({ owner, repo, issue_number: existing.number, body });
      return { action: 'updated', number: existing.number };
    }
    const created = await github.rest.issues.create({ owner, repo, title: TITLE, body, labels: [LABEL] });
    return { action: 'created', number: created.data.number };
  }
  if (existing) {
    await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: `All ${stacks.length} stacks are clean as of [this run](${runUrl}). Closing.` });
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: existing.number };
  }
  return { action: 'none' };
}

module.exports = { LABEL, TITLE, renderDriftBody, reportDrift };
