'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: plain Node on a runner without `npm ci` */
// Decides whether the scheduled Grafana token rotation (.github/workflows/rotate-grafana-token.yml) may apply the
// platform stack: only when the plan changes nothing but the rotation itself, so a scheduled run never applies drift or
// an undeployed change behind a reviewer's back.
//   node .github/scripts/rotation-gate.cjs <plan-summary.json> <cdktf.out/stacks/platform/cdk.tf.json>  >> "$GITHUB_OUTPUT"
// Prints `rotate=true` (the token is due: time_rotating re-created, token replaced, SSM parameter updated),
// `rotate=false` (nothing due), or fails (exit 1) when the plan errored or holds other changes.
//
// The rotation's resources are found in the synthesized JSON, not by name: every time_rotating, every resource whose
// attributes reference one (the service-account token, whose name carries `time_rotating.<id>.unix`), and every
// resource that references such a token (the SSM parameter holding its key).

const fs = require('node:fs');

/** Addresses (`type.id`) of the rotation: time_rotating, what references it, and what references those. */
function rotationAddresses(stackJson) {
  const resources = [];
  for (const [type, byId] of Object.entries(stackJson.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) resources.push({ address: `${type}.${id}`, text: JSON.stringify(body) });
  }
  const found = new Set(resources.filter((r) => r.address.startsWith('time_rotating.')).map((r) => r.address));
  for (let depth = 0; depth < 2; depth++) {
    for (const r of resources) {
      if ([...found].some((address) => r.text.includes(`\${${address}.`) || r.text.includes(`\${${address}}`))) found.add(r.address);
    }
  }
  return found;
}

/** @returns {{ rotate: boolean, reason: string }} */
function decide(summary, stackJson) {
  if (summary.status === 'clean') return { rotate: false, reason: 'nothing due: the plan is clean' };
  if (summary.status !== 'changes') return { rotate: false, error: true, reason: 'the plan failed; see the cdktf diff step' };
  const allowed = rotationAddresses(stackJson);
  if (![...allowed].some((a) => a.startsWith('time_rotating.'))) {
    return { rotate: false, error: true, reason: 'the synthesized stack has no time_rotating: nothing to rotate' };
  }
  const others = summary.changes.filter((c) => !allowed.has(c.address)).map((c) => `${c.action} ${c.address}`);
  if (others.length > 0 || summary.changes.length === 0) {
    return {
      rotate: false,
      error: true,
      reason: `the plan holds changes other than the token rotation (${others.join(', ') || 'outputs only'}): deploy main or resolve the drift first`,
    };
  }
  return { rotate: true, reason: `token due: ${summary.changes.map((c) => `${c.action} ${c.address}`).join(', ')}` };
}

module.exports = { decide, rotationAddresses };

if (require.main === module) {
  const [summaryFile, stackFile] = process.argv.slice(2);
  if (!summaryFile || !stackFile) {
    process.stderr.write('usage: rotation-gate.cjs <plan-summary.json> <cdk.tf.json>\n');
    process.exit(2);
  }
  const result = decide(JSON.parse(fs.readFileSync(summaryFile, 'utf8')), JSON.parse(fs.readFileSync(stackFile, 'utf8')));
  process.stderr.write(`${result.reason}\n`);
  if (result.error) {
    process.stderr.write(`::error title=Grafana token not rotated::${result.reason}\n`);
    process.exit(1);
  }
  process.stdout.write(`rotate=${result.rotate}\n`);
}
