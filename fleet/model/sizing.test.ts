import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadFleet, loadManifest } from '..';
import type { ManifestFileSystem } from '../manifest';
import { INSTANCE_CLASS_MEMORY_GIB, INSTANCE_CLASSES } from '../manifest/schema';
import { buildFleetModel } from '.';
import { deadLetterWindowSeconds, INGEST_OUTAGE_BUDGET_SECONDS, maxConnectionsFor, minimumMaxReceiveCount } from './sizing';
import { DATABASE_TIMEOUTS_MS, minimumFunctionTimeoutMs } from '../../contract/database';
import type { TenantModel } from './types';

const ROOT = path.resolve(__dirname, '..', '..');

/** The RDS default formula, computed independently of sizing.ts: LEAST(DBInstanceClassMemory/9531392, 5000), memory = 75 % of nominal. */
function expectedMaxConnections(instanceClass: string): number {
  const bytes = INSTANCE_CLASS_MEMORY_GIB[instanceClass]! * 1073741824 * 0.75;
  return Math.min(Math.floor(bytes / 9531392), 5000);
}

/** Worst case recomputed from the tenant's own settings, not from the model's connectionBudget. */
function worstCase(t: TenantModel): number {
  return t.ingest.maxConcurrency * t.connectionBudget.ingestPoolSize + t.api.reservedConcurrency * t.connectionBudget.apiPoolSize + 1;
}

describe('max_connections', () => {
  test.each([
    ['db.t4g.micro', 84],
    ['db.t4g.small', 168],
    ['db.t4g.medium', 337],
    ['db.r7g.large', 1351],
    ['db.r7g.xlarge', 2703],
    ['db.r7g.4xlarge', 5000],
  ])('%s gets max_connections %i', (instanceClass, expected) => {
    expect(maxConnectionsFor(instanceClass)).toBe(expected);
    expect(expectedMaxConnections(instanceClass)).toBe(expected);
  });

  test('fails for an instance class without a known memory size', () => {
    expect(() => maxConnectionsFor('db.x2g.large')).toThrow('unknown RDS instance class db.x2g.large');
  });
});

describe('connection budget: worst-case Lambda concurrency × pool size ≤ 80 % of max_connections', () => {
  test('holds for every tenant of the shipped fleet', () => {
    const fleet = loadFleet('tenants', { cwd: ROOT });
    const over = fleet.tenants.filter((t) => worstCase(t) > Math.floor(0.8 * expectedMaxConnections(t.database.instanceClass)));
    expect(over.map((t) => t.id)).toEqual([]);
    for (const t of fleet.tenants) {
      expect(t.database.maxConnections).toBe(expectedMaxConnections(t.database.instanceClass));
      expect(t.connectionBudget.worstCase).toBe(worstCase(t));
      expect(t.connectionBudget.worstCase).toBeLessThanOrEqual(t.connectionBudget.budget);
    }
  });

  test('holds for random manifests: validation accepts exactly those within budget', () => {
    const fleetText = fs.readFileSync(path.join(ROOT, 'fleet/manifest/fixtures/good/minimal/_fleet.yaml'), 'utf8');
    const tenantArb = fc.record({
      tier: fc.constantFrom('bronze', 'silver'),
      instanceClass: fc.option(fc.constantFrom(...INSTANCE_CLASSES), { nil: undefined }),
      maxConcurrency: fc.option(fc.integer({ min: 2, max: 1000 }), { nil: undefined }),
      reservedConcurrency: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    });
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(tenantArb, { minLength: 1, maxLength: 4 }), (specs) => {
        const files = new Map<string, string>([['_fleet.yaml', fleetText]]);
        specs.forEach((s, i) => {
          const id = `t${i}`;
          const tenant: Record<string, unknown> = { id, name: id, owner: { team: 'data', email: 'data@example.com' }, tier: s.tier, tags: { 'cost-centre': 'CC-1' } };
          if (s.instanceClass !== undefined) tenant['database'] = { instanceClass: s.instanceClass };
          if (s.maxConcurrency !== undefined) tenant['ingest'] = { maxConcurrency: s.maxConcurrency };
          if (s.reservedConcurrency !== undefined) tenant['api'] = { reservedConcurrency: s.reservedConcurrency };
          files.set(`${id}.yaml`, stringify(tenant));
        });
        const fileSystem: ManifestFileSystem = {
          readdir: () => [...files.keys()],
          readFile: (file) => files.get(path.basename(file))!,
        };
        const result = loadManifest('random', { fileSystem, cwd: ROOT });
        if (result.ok) {
          accepted++;
          for (const t of buildFleetModel(result.manifest).tenants) {
            expect(worstCase(t)).toBeLessThanOrEqual(Math.floor(0.8 * expectedMaxConnections(t.database.instanceClass)));
          }
        } else {
          rejected++;
          // Rejections are budget rejections (per tenant, or the account-wide reserved concurrency), and exactly the
          // tenants over their database budget are reported.
          const budgetErrors = result.errors.filter((e) => e.code === 'connection-budget');
          expect(result.errors.filter((e) => e.code !== 'connection-budget' && e.code !== 'account-concurrency')).toEqual([]);
          const tiers = { bronze: { maxConcurrency: 5, reservedConcurrency: 5, ingestPool: 2, apiPool: 2, instanceClass: 'db.t4g.micro' }, silver: { maxConcurrency: 20, reservedConcurrency: 10, ingestPool: 2, apiPool: 3, instanceClass: 'db.t4g.medium' } };
          const overIds = specs
            .map((s, i) => {
              const tier = tiers[s.tier as 'bronze' | 'silver'];
              const worst = (s.maxConcurrency ?? tier.maxConcurrency) * tier.ingestPool + (s.reservedConcurrency ?? tier.reservedConcurrency) * tier.apiPool + 1;
              return worst > Math.floor(0.8 * expectedMaxConnections(s.instanceClass ?? tier.instanceClass)) ? `t${i}` : undefined;
            })
            .filter((id) => id !== undefined);
          expect(budgetErrors.map((e) => path.basename(e.file, '.yaml'))).toEqual(overIds);
        }
      }),
      { numRuns: 100, seed: 20261126 },
    );
    // Both branches must have been exercised, or the property proved nothing.
    expect(accepted).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });
});

describe('database outage budget and timeouts (every shipped tenant, recomputed from its own settings)', () => {
  const shipped = loadFleet(path.join(ROOT, 'tenants'));

  test('no valid record is dead-lettered by a database outage within the budget: (maxReceiveCount − 1) × visibility ≥ 2 h', () => {
    expect(INGEST_OUTAGE_BUDGET_SECONDS).toBe(7200);
    for (const t of shipped.tenants) {
      expect(t.ingest.visibilityTimeoutSeconds).toBe(6 * t.ingest.timeoutSeconds + t.ingest.batchingWindowSeconds);
      expect((t.ingest.maxReceiveCount - 1) * t.ingest.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(7200);
    }
  });

  test("the SQS defaults flota used before (5 receives × 180 s for bronze) dead-letter after 12 minutes; the minimum that covers 2 h is 41", () => {
    expect(deadLetterWindowSeconds(5, 180)).toBe(12 * 60);
    expect(minimumMaxReceiveCount(180)).toBe(41);
    expect(deadLetterWindowSeconds(41, 180)).toBeGreaterThanOrEqual(7200);
    expect(deadLetterWindowSeconds(40, 180)).toBeLessThan(7200);
  });

  test('every function timeout covers connect + statement timeout + 1 s, so a slow query is a counted error, not a Lambda timeout', () => {
    for (const t of shipped.tenants) {
      expect(t.api.timeoutSeconds * 1000).toBeGreaterThan(DATABASE_TIMEOUTS_MS.statement.api);
      expect(t.api.timeoutSeconds * 1000).toBeGreaterThanOrEqual(minimumFunctionTimeoutMs('api'));
      expect(t.ingest.timeoutSeconds * 1000).toBeGreaterThanOrEqual(minimumFunctionTimeoutMs('ingest'));
    }
    expect(minimumFunctionTimeoutMs('api')).toBe(DATABASE_TIMEOUTS_MS.connect + DATABASE_TIMEOUTS_MS.statement.api + 1000);
  });
});
