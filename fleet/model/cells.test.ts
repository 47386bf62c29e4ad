import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFleet, loadManifest } from '..';
import { formatError, type ManifestError } from '../manifest';
import { EXAMPLE_CELL_QUOTAS, generatedAccountId, generatedCellName, writeGeneratedManifest } from '../testing/generated-manifest';
import { buildFleetModel } from './fleet';
import { fleetQuotaReport } from './quotas';

const MINIMAL = path.join(__dirname, '..', 'manifest', 'fixtures', 'good', 'minimal');
let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-cells-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function errorsOf(dir: string): ManifestError[] {
  const result = loadManifest(dir, { cwd: scratch });
  return result.ok ? [] : [...result.errors];
}

/** good/minimal with extra _fleet.yaml text and extra tenant lines. */
function minimalWith(name: string, fleetExtra: string, tenantExtra = ''): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '_fleet.yaml'), fs.readFileSync(path.join(MINIMAL, '_fleet.yaml'), 'utf8') + fleetExtra);
  fs.writeFileSync(path.join(dir, 'alpha.yaml'), fs.readFileSync(path.join(MINIMAL, 'alpha.yaml'), 'utf8') + tenantExtra);
  return dir;
}

const twoCells = (second = '222222222222', role = second, region = '') => `
cells:
  - name: one
    accountId: "111111111111"
    deployRoleArn: arn:aws:iam::111111111111:role/flota-deploy
  - name: two
    accountId: "${second}"
    deployRoleArn: arn:aws:iam::${role}:role/flota-deploy
${region}`;

describe('the 1,000-tenant, 3-cell example fleet', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(scratch, 'example');
    writeGeneratedManifest(dir, { tenants: 1000, cells: 3 });
  });

  test('validates within every cell quota, spread evenly, each quota declared above its AWS default is an increase to request', () => {
    const result = loadManifest(dir, { cwd: scratch });
    expect(result.ok ? [] : result.errors.slice(0, 3).map(formatError)).toEqual([]);
    if (!result.ok) return;
    const model = buildFleetModel(result.manifest);
    expect(model.tenants).toHaveLength(1000);
    expect(model.cells.map((c) => [c.name, c.accountId, c.platformStackName])).toEqual([
      ['cell-1', generatedAccountId(0), 'platform-cell-1'],
      ['cell-2', generatedAccountId(1), 'platform-cell-2'],
      ['cell-3', generatedAccountId(2), 'platform-cell-3'],
    ]);
    const reports = fleetQuotaReport(model);
    expect(reports.map((r) => r.tenants)).toEqual([334, 333, 333]);
    for (const report of reports) {
      for (const row of report.rows) expect({ cell: report.cell.name, quota: row.quota.key, fits: row.usage <= row.value }).toEqual({ cell: report.cell.name, quota: row.quota.key, fits: true });
      expect(report.increases.map((i) => i.quota.key).sort()).toEqual(Object.keys(EXAMPLE_CELL_QUOTAS).sort());
      // the shared groups keep RDS's 50-per-region quotas far away: 1 subnet group, ≤ 3 tier groups + tenant overrides
      expect(report.rows.find((r) => r.quota.key === 'rdsDbSubnetGroups')!.usage).toBe(1);
      expect(report.rows.find((r) => r.quota.key === 'rdsParameterGroups')!.usage).toBeLessThan(50);
    }
  });

  test('with every tenant left in the default (first) cell, validation says that cell is full and where there is room', () => {
    const crowded = path.join(scratch, 'crowded');
    writeGeneratedManifest(crowded, { tenants: 1000, cells: 3 });
    for (const file of fs.readdirSync(crowded).filter((f) => !f.startsWith('_'))) {
      const full = path.join(crowded, file);
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/^cell: .*\n/m, ''));
    }
    const errors = errorsOf(crowded);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['quota-exceeded', 'account-concurrency']));
    const apis = errors.find((e) => e.message.includes('Regional APIs per Region'))!;
    expect(apis.message).toBe(
      `cell cell-1 (account ${generatedAccountId(0)}, eu-west-1) is full: its 1000 tenants need 1000 REST APIs of "Regional APIs per Region" (apigateway (fixed, no Service Quotas code); one per tenant; AWS cannot raise it, so a cell holds at most 600 tenants), over the quota of 600, which AWS cannot raise`,
    );
    // a fixed quota has no increase to request: the only fix is to move tenants
    expect(apis.fix).toBe('move 400 tenants to another cell with `cell:` in their files (cell-2 has room for 395, cell-3 has room for 395)');
    const instances = errors.find((e) => e.message.includes('"DB instances"'))!;
    expect(instances.path).toBe('cells.0.quotas.rdsDbInstances');
    expect(instances.fix).toMatch(/^request an increase of rds L-7B6409FD to at least 1000 in account 100000000001 eu-west-1 \(Service Quotas\) and set cells\.0\.quotas\.rdsDbInstances: 1000, or move 600 tenants/);
  });
});

describe('cells', () => {
  test('a fleet without cells is one implicit cell named default, whose platform stack keeps the name platform', () => {
    const model = loadFleet(MINIMAL, { cwd: scratch });
    expect(model.cells).toEqual([
      expect.objectContaining({ name: 'default', region: 'eu-west-1', platformStackName: 'platform', hostsObservability: true }),
    ]);
    expect(model.cells[0]!.accountId).toBeUndefined();
    expect(model.cells[0]!.deployRoleArn).toBeUndefined();
    expect(model.tenants[0]!.cell).toBe('default');
    expect(model.observability.crossAccountSink).toBeUndefined();
  });

  test('tenants default to the first cell; several cells get a cross-account observability sink', () => {
    const model = loadFleet(minimalWith('two-cells', twoCells()), { cwd: scratch });
    expect(model.tenants[0]!.cell).toBe('one');
    expect(model.platformStackName).toBe('platform-one');
    expect(model.observability.crossAccountSink).toEqual({ name: 'flota-test', arnParameter: '/flota/test/observability/oam-sink-arn' });
  });

  test('one cell per account, its deploy role in that account, in the fleet region', () => {
    const messages = (dir: string) => errorsOf(dir).map((e) => `${e.code} ${e.path}: ${e.message}`);
    expect(messages(minimalWith('same-account', twoCells('111111111111')))).toEqual([
      'duplicate-entry cells.1.accountId: is already the account of cells.0 (one); a cell is one account, and its platform IAM names are per account',
    ]);
    expect(messages(minimalWith('foreign-role', twoCells('222222222222', '333333333333')))).toEqual([
      "invalid-format cells.1.deployRoleArn: names a role in account 333333333333, not in the cell's account 222222222222",
    ]);
    expect(messages(minimalWith('other-region', twoCells('222222222222', '222222222222', '    region: us-east-1\n')))).toEqual([
      "invalid-format cells.1.region: must be the fleet's region eu-west-1: CloudWatch cross-account observability links accounts only within one region, and the dashboards read one region",
    ]);
  });

  test('a tenant naming a cell of a fleet without cells is told to remove it', () => {
    expect(errorsOf(minimalWith('no-cells', '', 'cell: one\n')).map((e) => `${e.code}: ${e.message} (${e.fix})`)).toEqual([
      'unknown-cell: _fleet.yaml declares no cells (remove `cell` (the fleet has one implicit cell) or declare `cells` in _fleet.yaml)',
    ]);
  });

  test('the generated cell names and accounts are stable', () => {
    expect([generatedCellName(0), generatedAccountId(2)]).toEqual(['cell-1', '100000000003']);
  });
});
