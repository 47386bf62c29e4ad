/**
 * `flota quotas [--tenants DIR] [--aws] [--json]`: usage vs quota of every account quota flota runs into, per cell
 * (account and region). Without --aws it compares with the values `_fleet.yaml` declares (AWS defaults unless declared)
 * and lists the increases a new account needs; with --aws it also reads each account's applied values from Service
 * Quotas (through the cell's deploy role) and flags every quota the account has not been granted yet.
 * Exit code: 0; 1 on an invalid manifest, or with --aws when an account's applied value is below what its tenants use
 * or below what the manifest declares (a deploy would fail); 2 on usage errors.
 */
import { loadFleet } from '../../fleet';
import { quotaCodeText } from '../../fleet/manifest/schema';
import { cellLabel, fleetQuotaReport, type CellQuotaReport } from '../../fleet/model/quotas';
import { parseCommandArgs } from '../lib/args';
import { formatTable, printJson, processIo, runCommand, type Io } from '../lib/output';
import { defaultClientFor, readAppliedQuota, type AppliedQuota, type ClientFor } from '../lib/service-quotas';

const USAGE = `usage: flota quotas [--tenants DIR] [--aws] [--json]

  --tenants DIR  manifest directory (default: tenants)
  --aws          also read every cell account's applied values from AWS Service Quotas (through the cell's deploy role)
  --json         machine-readable output
`;

export type QuotaStatus = 'ok' | 'increase to request' | 'not granted yet' | 'over quota' | 'unknown';

export interface QuotaLine {
  readonly key: string;
  readonly name: string;
  readonly serviceCode: string;
  readonly quotaCode: string | null;
  readonly adjustable: boolean;
  readonly scope: 'region' | 'account';
  readonly usage: number;
  readonly declared: number;
  readonly awsDefault: number;
  /** --aws only: the account's applied value (null for fixed limits, which Service Quotas does not list). */
  readonly applied?: number | null;
  readonly error?: string;
  readonly status: QuotaStatus;
}

export interface CellLine {
  readonly cell: string;
  readonly accountId: string | null;
  readonly region: string;
  readonly tenants: number;
  readonly quotas: readonly QuotaLine[];
}

function statusOf(usage: number, declared: number, awsDefault: number, applied: AppliedQuota | undefined): QuotaStatus {
  if (usage > declared) return 'over quota';
  if (applied === undefined || 'fixed' in applied) return declared > awsDefault && applied === undefined ? 'increase to request' : 'ok';
  if ('error' in applied) return 'unknown';
  return applied.value < declared ? 'not granted yet' : 'ok';
}

export async function quotaLines(reports: readonly CellQuotaReport[], clientFor?: ClientFor): Promise<CellLine[]> {
  return Promise.all(
    reports.map(async (report) => ({
      cell: report.cell.name,
      accountId: report.cell.accountId ?? null,
      region: report.cell.region,
      tenants: report.tenants,
      quotas: await Promise.all(
        report.rows.map(async (row): Promise<QuotaLine> => {
          const applied = clientFor === undefined ? undefined : await readAppliedQuota(clientFor, report.cell, row.quota);
          return {
            key: row.quota.key,
            name: row.quota.name,
            serviceCode: row.quota.serviceCode,
            quotaCode: row.quota.quotaCode ?? null,
            adjustable: row.quota.adjustable,
            scope: row.quota.scope,
            usage: row.usage,
            declared: row.value,
            awsDefault: row.quota.awsDefault,
            ...(applied === undefined ? {} : { applied: 'value' in applied ? applied.value : null }),
            ...(applied !== undefined && 'error' in applied ? { error: applied.error } : {}),
            status: statusOf(row.usage, row.value, row.quota.awsDefault, applied),
          };
        }),
      ),
    })),
  );
}

function printLines(io: Io, reports: readonly CellQuotaReport[], lines: readonly CellLine[], aws: boolean): void {
  lines.forEach((line, i) => {
    const report = reports[i]!;
    io.stdout(`\n${cellLabel(report.cell)}: ${line.tenants} tenant${line.tenants === 1 ? '' : 's'}\n\n`);
    const headers = ['quota', 'code', 'used', 'declared', 'AWS default', ...(aws ? ['applied'] : []), 'status'];
    io.stdout(
      formatTable(
        headers,
        line.quotas.map((q, j) => [
          q.name,
          quotaCodeText(report.rows[j]!.quota),
          q.usage,
          q.declared,
          q.awsDefault,
          ...(aws ? [q.applied === undefined || q.applied === null ? (q.error !== undefined ? `error: ${q.error}` : 'fixed') : q.applied] : []),
          q.status,
        ]),
      ),
    );
  });
}

export async function run(args: string[], io: Io = processIo, clientFor?: ClientFor): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const { values } = parseCommandArgs(args, { tenants: { type: 'string' }, aws: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, { allowPositionals: false });
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const reports = fleetQuotaReport(loadFleet(values.tenants ?? 'tenants'));
    const aws = values.aws === true;
    const lines = await quotaLines(reports, aws ? (clientFor ?? defaultClientFor()) : undefined);
    if (values.json === true) printJson(io, lines);
    else printLines(io, reports, lines, aws);
    const blocked = lines.flatMap((l) => l.quotas.filter((q) => q.status === 'not granted yet' || q.status === 'over quota').map((q) => `${l.cell}: ${q.name}`));
    if (blocked.length > 0) {
      io.stderr(`✗ ${blocked.length} quota${blocked.length === 1 ? '' : 's'} below what the fleet needs: ${blocked.join('; ')} (request the increases: docs/delivery.md#cells-quotas-and-the-first-deploy-into-a-new-account)\n`);
      return 1;
    }
    return 0;
  });
}
