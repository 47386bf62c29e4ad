/**
 * A generated manifest directory of N tenants spread over C cells, for scale checks: the 1,000-tenant, 3-cell example
 * fleet (fleet/model/cells.test.ts proves it validates within every cell's quotas; bench:synth synthesizes it).
 *
 * Tenant files are the shipped tenants/ files cloned round-robin (ids suffixed -r1, -r2, … beyond the first round), so
 * the generated fleet has the shipped tiers, overrides, SLOs and contacts; tenant i goes to cell i mod C. `_fleet.yaml` is
 * the shipped one plus `cells` with one member account each and the quota increases such a cell needs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { QUOTA_BY_KEY, type QuotaKey } from '../manifest/schema';
import { SHIPPED_TENANTS_DIR } from './shipped-fleet';

export interface GeneratedManifestOptions {
  readonly tenants: number;
  /** 0: no `cells` (one implicit cell). */
  readonly cells: number;
  /** Quotas every cell (or the one account) declares. Default: quotasFor(tenants per cell). */
  readonly cellQuotas?: Readonly<Partial<Record<QuotaKey, number>>>;
}

/**
 * The quotas to request for an account of `n` shipped-mix tenants: what they use (fleet/model/quotas.ts, with the shipped
 * network of 3 AZs and 5 interface endpoints and ~410 GiB / ~38 reserved executions per tenant on average — ingest maxConcurrency + API reserved concurrency + 1 migrate; 60 leaves room for a cell that draws the heavier tenants) plus 15 % headroom,
 * rounded up to hundreds; only the ones above their AWS default.
 */
export function quotasFor(n: number): Partial<Record<QuotaKey, number>> {
  const need: Partial<Record<QuotaKey, number>> = {
    rdsDbInstances: n,
    rdsTotalStorageGb: n * 500,
    lambdaConcurrentExecutions: n * 60 + 100,
    lambdaVpcNetworkInterfaces: (n + 5) * 3,
    vpcSecurityGroups: 2 * n + 2,
    apiGatewayUsagePlans: n,
    iamRoles: 3 * n + 2,
  };
  return Object.fromEntries(
    Object.entries(need)
      .map(([key, value]) => [key, Math.ceil((value * 1.15) / 100) * 100] as const)
      .filter(([key, value]) => value > QUOTA_BY_KEY[key as QuotaKey].awsDefault),
  );
}

/** Quotas a cell of the 1,000-tenant, 3-cell example (334 tenants) declares. */
export const EXAMPLE_CELL_QUOTAS = quotasFor(334);

/** Cell names of the example fleet: `cell-1` … `cell-C`. */
export function generatedCellName(index: number): string {
  return `cell-${index + 1}`;
}

/** Account id of generated cell `index`: 100000000001, 100000000002, … */
export function generatedAccountId(index: number): string {
  return String(100000000001 + index);
}

/** Writes the generated manifest into `dir` (emptied first) and returns the tenant ids, sorted. */
export function writeGeneratedManifest(dir: string, options: GeneratedManifestOptions): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = fs.readdirSync(SHIPPED_TENANTS_DIR).sort();
  const templates = files.filter((file) => /^[a-z0-9].*\.yaml$/.test(file));
  for (const file of files.filter((f) => !templates.includes(f))) fs.copyFileSync(path.join(SHIPPED_TENANTS_DIR, file), path.join(dir, file));

  const perCell = Math.ceil(options.tenants / Math.max(1, options.cells));
  const quotas = options.cellQuotas ?? quotasFor(perCell);
  let fleet = fs.readFileSync(path.join(dir, '_fleet.yaml'), 'utf8');
  if (options.cells > 0) {
    const cells = Array.from({ length: options.cells }, (_, i) => {
      const account = generatedAccountId(i);
      const quotaLines = Object.entries(quotas).map(([key, value]) => `      ${key}: ${value}`);
      return [
        `  - name: ${generatedCellName(i)}`,
        `    accountId: "${account}"`,
        `    deployRoleArn: arn:aws:iam::${account}:role/flota-deploy`,
        ...(quotaLines.length > 0 ? ['    quotas:', ...quotaLines] : []),
      ].join('\n');
    });
    fleet += `\ncells:\n${cells.join('\n')}\n`;
  } else {
    // One account: it declares the quotas its tenants need (the shipped file's `quotas`, raised where needed).
    const doc = parseDocument(fleet);
    for (const [key, value] of Object.entries(quotas)) {
      if (value > ((doc.getIn(['quotas', key]) as number | undefined) ?? 0)) doc.setIn(['quotas', key], value);
    }
    fleet = doc.toString();
  }
  fs.writeFileSync(path.join(dir, '_fleet.yaml'), fleet);

  const ids: string[] = [];
  for (let i = 0; i < options.tenants; i++) {
    const template = templates[i % templates.length]!;
    const round = Math.floor(i / templates.length);
    const originalId = template.replace(/\.yaml$/, '');
    const id = round === 0 ? originalId : `${originalId.slice(0, 28)}-r${round}`;
    let text = fs.readFileSync(path.join(SHIPPED_TENANTS_DIR, template), 'utf8').replace(/^id: .*$/m, `id: ${id}`);
    if (options.cells > 0) text = text.replace(/^tier: .*$/m, (line) => `${line}\ncell: ${generatedCellName(i % options.cells)}`);
    fs.writeFileSync(path.join(dir, `${id}.yaml`), text);
    ids.push(id);
  }
  return ids.sort();
}
