'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: loaded by actions/github-script's require() */
// Summarizes the log of `cdktf diff <stack> --skip-synth --no-color` for one stack: status, terraform's own
// "Plan: X to add, Y to change, Z to destroy." counts, and the changed resource addresses. Used by pr.yml (PR plan
// comment) and drift.yml (drift issue). Plain Node, no dependencies: runs right after cdktf on a runner without
// `npm ci`.
//   node .github/scripts/plan-summary.cjs <stack> <diff.log>  > <stack>.json
//
// cdktf diff exits 0 whether or not there are changes (it runs `terraform plan` without -detailed-exitcode), so the
// log is the signal. The parse is fail-safe: a stack is "clean" only when terraform printed "No changes.", and a
// log with neither that nor a plan is an "error" (shown as "could not be planned"), never silently clean.

// cdktf renders through ink even with --no-color: spinner frames and cursor movements (ESC [ 2K, ESC [ 1A, ESC [ G).
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const NO_CHANGES = /No changes\. Your infrastructure matches the configuration\./;
const PLAN = /Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\./;
const OUTPUTS_ONLY = /Changes to Outputs:/;
// "# <address> will be created" etc. ("has changed" — objects changed outside terraform — is not a planned action).
const RESOURCE = /#\s+(\S+) (will be created|will be updated in-place|must be replaced|will be replaced, as requested|will be destroyed|will be imported)/;
const ACTION = {
  'will be created': 'create',
  'will be updated in-place': 'update',
  'must be replaced': 'replace',
  'will be replaced, as requested': 'replace',
  'will be destroyed': 'delete',
  'will be imported': 'import',
};

/** Removes ink's escape sequences, so each line is plain text. */
function plainText(log) {
  return log.replace(ANSI, '');
}

/**
 * @param {string} stack
 * @param {string} log stdout+stderr of `cdktf diff <stack> --skip-synth --no-color`
 */
function summarizeDiff(stack, log) {
  const text = plainText(log);
  const plan = PLAN.exec(text);
  const changes = [];
  const seen = new Set();
  for (const line of text.split('\n')) {
    const match = RESOURCE.exec(line);
    if (!match || seen.has(match[1])) continue;
    seen.add(match[1]);
    changes.push({ address: match[1], action: ACTION[match[2]] });
  }
  const replace = changes.filter((c) => c.action === 'replace').length;
  if (plan) {
    const [imp, add, change, destroy] = plan.slice(1).map((n) => Number(n ?? 0));
    return { stack, status: 'changes', counts: { import: imp, add, change, destroy, replace }, changes, outputsChanged: OUTPUTS_ONLY.test(text) };
  }
  if (NO_CHANGES.test(text)) {
    return { stack, status: 'clean', counts: { import: 0, add: 0, change: 0, destroy: 0, replace: 0 }, changes: [], outputsChanged: false };
  }
  // Only outputs differ: terraform prints "Changes to Outputs:" and no "Plan:" line.
  if (OUTPUTS_ONLY.test(text)) {
    return { stack, status: 'changes', counts: { import: 0, add: 0, change: 0, destroy: 0, replace: 0 }, changes: [], outputsChanged: true };
  }
  return { stack, status: 'error' };
}

const SYMBOL = { create: '+', update: '~', replace: '-/+', delete: '-', import: '←' };

/** Markdown for one stack: terraform's count line, then the changed addresses (destructive ones first and bold). */
function renderStack(summary, { maxLines = 40 } = {}) {
  if (summary.status === 'error') return `### ❌ \`${summary.stack}\`\nplan failed — see the job log.\n`;
  if (summary.status === 'clean') return `### ✅ \`${summary.stack}\`: no changes\n`;
  const { import: imp, add, change, destroy, replace } = summary.counts;
  const header = `### ${destroy > 0 ? '⚠️' : '📝'} \`${summary.stack}\`: ` +
    (imp > 0 ? `${imp} to import, ` : '') +
    `${add} to add, ${change} to change, ${destroy} to destroy` +
    (replace > 0 ? ` (${replace} replaced)` : '') +
    (add + change + destroy + imp === 0 && summary.outputsChanged ? ' (outputs only)' : '');
  const order = { delete: 0, replace: 1, update: 2, import: 3, create: 4 };
  const lines = [...summary.changes]
    .sort((a, b) => order[a.action] - order[b.action] || a.address.localeCompare(b.address))
    .map((c) => (c.action === 'delete' || c.action === 'replace' ? `**${SYMBOL[c.action]} ${c.address}**` : `${SYMBOL[c.action]} ${c.address}`));
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… and ${lines.length - maxLines} more`);
  if (summary.outputsChanged) shown.push('outputs change');
  return shown.length === 0 ? `${header}\n` : `${header}\n<details><summary>resources</summary>\n\n${shown.join('<br>\n')}\n</details>\n`;
}

module.exports = { summarizeDiff, renderStack, plainText };

if (require.main === module) {
  const [stack, logFile] = process.argv.slice(2);
  if (!stack || !logFile) {
    process.stderr.write('usage: plan-summary.cjs <stack> <diff.log>\n');
    process.exit(2);
  }
  const summary = summarizeDiff(stack, require('node:fs').readFileSync(logFile, 'utf8'));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
