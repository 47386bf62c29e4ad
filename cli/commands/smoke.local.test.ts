/**
 * `flota smoke --local` against the REAL local dev fleet: the API app, the in-process queue, the real ingest handler
 * and a real PostgreSQL (the jest run's embedded server, FLOTA_TEST_PG_URL).
 */
import { join } from 'node:path';
import { createDevFleet, type DevFleet } from '../../dev/fleet';
import { TEST_PG_URL_ENV } from '../../testing/global-setup';
import { loadFleet } from '../../fleet';
import { run, type SmokeDependencies } from './smoke';

const tenantsDir = join(__dirname, '..', '..', 'tenants');
const model = loadFleet(tenantsDir);
const ids = model.tenants.slice(0, 2).map((t) => t.id);

let fleet: DevFleet;
beforeAll(async () => {
  fleet = await createDevFleet({
    port: 0,
    tenantsDir,
    tenants: ids,
    databaseUrl: process.env[TEST_PG_URL_ENV],
    databasePrefix: `smoke_${process.pid}_`,
    redeliveryDelayMs: 100,
  });
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
});

const deps: SmokeDependencies = {
  fetch: (...args) => fetch(...args),
  sns: () => {
    throw new Error('AWS must not be used in --local mode');
  },
  secrets: () => {
    throw new Error('AWS must not be used in --local mode');
  },
  loadFleet: () => model,
};

async function smoke(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deps, { initialDelayMs: 50 });
  return { code, stdout, stderr };
}

test('each tenant record published through the local API is ingested into PostgreSQL and read back', async () => {
  const { code, stdout, stderr } = await smoke([...ids, '--local', fleet.url, '--timeout', '30', '--json']);
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(stdout);
  expect(report).toMatchObject({ ok: true, failed: 0 });
  expect(report.results.map((r: { tenant: string; ok: boolean }) => [r.tenant, r.ok])).toEqual(ids.map((id) => [id, true]));
  for (const result of report.results) expect(result.recordId).toMatch(/^smoke-/);
});

test('fails (exit 1) with the reason when the API key is wrong', async () => {
  const { code, stdout } = await smoke([ids[0] as string, '--local', fleet.url, '--api-key', 'wrong-key', '--timeout', '5']);
  expect(code).toBe(1);
  expect(stdout).toMatch(/FAIL/);
  expect(stdout).toMatch(/HTTP 40[13]/);
});
