'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: loaded by actions/github-script's require() */
// Summarizes `terraform show -json <planfile>` for one stack: counts per action and the changed resource addresses.
// Used by pr.yml (PR plan comment) and drift.yml (drift issue). Plain Node, no dependencies: runs right after
// terraform on a runner without `npm ci`.
//   node .github/scripts/plan-summary.cjs <stack> <plan.json>  > <stack>.json

/** @param {string[]} actions terraform's resource_changes[].change.actions */
function kindOf(actions) {
  const key = actions.join(',');
  if (key === 'no-op' || key === 'read') return null;
  if (key === 'create') return 'create';
  if (key === 'update') return 'update';
  if (key === 'delete') return 'delete';
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  return 'update';
}

/**
 * @param {string} stack
 * @param {{ resource_changes?: { address: string; change: { actions: string[] } }[]; output_changes?: Record<string, { actions: string[] }> }} plan
 */
function summarizePlan(stack, plan) {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const changes = [];
  for (const resource of plan.resource_changes ?? []) {
    const kind = kindOf(resource.change.actions);
    if (kind === null) continue;
    counts[kind] += 1;
    changes.push({ address: resource.address, action: kind });
  }
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => kindOf(change.actions) !== null)
    .map(([name]) => name);
  const changed = changes.length > 0 || outputChanges.length > 0;
  return { stack, status: changed ? 'changes' : 'clean', counts, changes, outputChanges };
}

const SYMBOL = { create: '+', update: '~', replace: '-/+', delete: '-' };

/** Markdown for one stack: a count line, then the changed addresses (destructive ones first and bold). */
function renderStack(summary, { maxLines = 40 } = {}) {
  if (summary.status === 'error') return `### ❌ \`${summary.stack}\`\nplan failed — see the job log.\n`;
  const { create, update, replace, delete: destroy } = summary.counts;
  const header = `### ${destroy + replace > 0 ? '⚠️' : summary.status === 'clean' ? '✅' : '📝'} \`${summary.stack}\`: ` +
    (summary.status === 'clean' ? 'no changes' : `${create} to add, ${update} to change, ${replace} to replace, ${destroy} to destroy`);
  const order = { delete: 0, replace: 1, update: 2, create: 3 };
  const lines = [...summary.changes]
    .sort((a, b) => order[a.action] - order[b.action] || a.address.localeCompare(b.address))
    .map((c) => (c.action === 'delete' || c.action === 'replace' ? `**${SYMBOL[c.action]} ${c.address}**` : `${SYMBOL[c.action]} ${c.address}`));
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… and ${lines.length - maxLines} more`);
  if (summary.outputChanges.length > 0) shown.push(`outputs changed: ${summary.outputChanges.join(', ')}`);
  return shown.length === 0 ? `${header}\n` : `${header}\n<details><summary>resources</summary>\n\n${shown.join('<br>\n')}\n</details>\n`;
}

module.exports = { summarizePlan, renderStack };

if (require.main === module) {
  const [stack, planFile] = process.argv.slice(2);
  if (!stack || !planFile) {
    process.stderr.write('usage: plan-summary.cjs <stack> <plan.json>\n');
    process.exit(2);
  }
  const plan = JSON.parse(require('node:fs').readFileSync(planFile, 'utf8'));
  process.stdout.write(`${JSON.stringify(summarizePlan(stack, plan))}\n`);
}
