import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadManifest } from '../../fleet';
import { SHIPPED_TENANTS_DIR } from '../../fleet/testing/shipped-fleet';
import { run } from './tenant';

function capture() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }, out: () => stdout, err: () => stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-tenant-cmd-'));
  fs.cpSync(SHIPPED_TENANTS_DIR, dir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const add = (...extra: string[]) => ['add', 'ledger-events', '--tier', 'silver', '--team', 'finance', '--email', 'finance@flota.example.com', '--tenants', dir, ...extra];

describe('flota tenant add', () => {
  test('writes a commented file with the schema line that validates with the rest of the fleet, and prints the next steps', async () => {
    const c = capture();
    expect(await run(add('--cost-centre', 'CC-4242'), c.io)).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'ledger-events.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./tenant.schema.json');
    expect(text).toMatch(/^id: ledger-events$/m);
    expect(text).toMatch(/^name: Ledger events$/m);
    expect(text).toMatch(/^ {2}cost-centre: CC-4242$/m);
    const result = loadManifest(dir);
    expect(result.ok && result.manifest.tenants.some((t) => t.tenant.id === 'ledger-events')).toBe(true);
    expect(c.out()).toContain('next steps:');
    expect(c.out()).toContain('npx flota tenant show ledger-events');
  });

  test('fails if the result would be invalid, names the error and leaves no file behind', async () => {
    const c = capture();
    expect(await run(add(), c.io)).toBe(1); // _fleet.yaml requires the cost-centre tag
    expect(c.out()).toMatch(/ledger-events\.yaml:\d+:\d+: tags: is required/);
    expect(c.err()).toContain('not written');
    expect(c.err()).toContain('pass --cost-centre');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ledger-events'))).toEqual([]);
  });

  test('fails if the tenant file already exists, without touching it', async () => {
    fs.writeFileSync(path.join(dir, 'ledger-events.yaml'), 'keep me\n');
    const c = capture();
    expect(await run(add('--cost-centre', 'CC-1'), c.io)).toBe(1);
    expect(c.err()).toContain('already exists');
    expect(fs.readFileSync(path.join(dir, 'ledger-events.yaml'), 'utf8')).toBe('keep me\n');
  });

  test.each([
    [['add', 'Bad_Id', '--tier', 'bronze', '--team', 't', '--email', 'a@b.co'], "'Bad_Id' is not a tenant id"],
    [['add', 'ok-id', '--tier', 'bronze'], 'missing --team, --email'],
    [['add', 'ok-id', '--tier', 'bronze', '--team', 't', '--email', 'a@b.co', '--tag', 'novalue'], '--tag needs KEY=VALUE'],
    [['add', 'ok-id', '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], "unknown subcommand 'frobnicate'"],
  ])('usage error %j → exit 2 naming the problem', async (args, message) => {
    const c = capture();
    expect(await run(args, c.io)).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.err()).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('flota tenant show', () => {
  test('prints the resolved settings after defaults: tier sizing, budget, SLOs, routing, AWS names', async () => {
    const c = capture();
    expect(await run(['show', 'refund-requests', '--tenants', dir], c.io)).toBe(0);
    const out = c.out();
    expect(out).toContain('refund-requests (Refund requests):');
    expect(out).toMatch(/instanceClass\s+db\.t4g\.medium/);
    expect(out).toMatch(/worstCase\s+71/);
    expect(out).toMatch(/availability\s+99\.9 % \(error budget 0\.1 %\)/);
    expect(out).toMatch(/page\s+pagerduty \(integration key in secret flota\/payments\/pagerduty-integration-key\) → contact point tenant-refund-requests-page/);
    expect(out).toMatch(/ingestFunction\s+flota-refund-requests-ingest/);
  });

  test('--json gives the same data for scripts', async () => {
    const c = capture();
    expect(await run(['show', 'refund-requests', '--tenants', dir, '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out()) as { tier: string; records: { types: string[] }; connectionBudget: { budget: number }; alerts: { ticket: string } };
    expect(json.tier).toBe('silver');
    expect(json.records.types).toEqual(['refund.*']);
    expect(json.connectionBudget.budget).toBe(269);
    expect(json.alerts.ticket).toContain('slack');
  });

  test('an unknown tenant fails with the add command to run', async () => {
    const c = capture();
    expect(await run(['show', 'nope', '--tenants', dir], c.io)).toBe(1);
    expect(c.err()).toContain("no tenant 'nope'");
    expect(c.err()).toContain('npx flota tenant add nope');
  });
});
