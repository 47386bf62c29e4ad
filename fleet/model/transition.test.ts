import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { deployedBudgets, loadManifest } from '..';
import type { ManifestFileSystem } from '../manifest';
import { buildFleetModel } from '.';
import { maxConnectionsFor, reservedConcurrencyOf, resolveSizing } from './sizing';

const ROOT = path.resolve(__dirname, '..', '..');
const FLEET_TEXT = fs.readFileSync(path.join(ROOT, 'fleet/manifest/fixtures/good/minimal/_fleet.yaml'), 'utf8');

/** The minimal fixture fleet with one bronze tenant `alpha` carrying `overrides`. */
function manifest(overrides: Record<string, unknown> = {}): ManifestFileSystem {
  const alpha = { id: 'alpha', name: 'alpha', owner: { team: 'data', email: 'data@example.com' }, tier: 'bronze', tags: { 'cost-centre': 'CC-1' }, ...overrides };
  const files = new Map([
    ['_fleet.yaml', FLEET_TEXT],
    ['alpha.yaml', stringify(alpha)],
  ]);
  return { readdir: () => [...files.keys()], readFile: (file) => files.get(path.basename(file))! };
}

function deployed(overrides: Record<string, unknown> = {}) {
  const result = loadManifest('fleet', { fileSystem: manifest(overrides), cwd: ROOT });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return deployedBudgets(buildFleetModel(result.manifest));
}

describe('connection budget while a change rolls out (validate --base)', () => {
  // bronze: db.t4g.micro (max_connections 84, budget 67), ingest 5 × 2 + api 5 × 2 + 1 migrate = 21.
  test('refuses raising concurrency beyond the OLD budget together with the larger class, and names the two steps', () => {
    expect(maxConnectionsFor('db.t4g.micro')).toBe(84);
    const change = { database: { instanceClass: 'db.t4g.small' }, ingest: { maxConcurrency: 40 } }; // 40 × 2 + 10 + 1 = 91 > 67
    const result = loadManifest('fleet', { fileSystem: manifest(change), cwd: ROOT, deployed: deployed() });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => [e.code, e.path])).toEqual([['connection-transition', 'ingest.maxConcurrency']]);
    expect(errors[0]!.message).toBe(
      'raises worst-case database connections from 21 to 91 at once (Lambda concurrency applies immediately), but max_connections stays 84 (budget 67) until the instance reboots into 168',
    );
    expect(errors[0]!.fix).toContain('two steps: first change only database.instanceClass to db.t4g.small (keep ingest.maxConcurrency 5 and api.reservedConcurrency 5)');
    // Without --base the same manifest is valid: after the reboot the budget holds.
    expect(loadManifest('fleet', { fileSystem: manifest(change), cwd: ROOT }).ok).toBe(true);
  });

  test('step 1 (class alone) and step 2 (concurrency, once the larger class is deployed) both pass', () => {
    const step1 = { database: { instanceClass: 'db.t4g.small' } };
    expect(loadManifest('fleet', { fileSystem: manifest(step1), cwd: ROOT, deployed: deployed() }).ok).toBe(true);
    const step2 = { database: { instanceClass: 'db.t4g.small' }, ingest: { maxConcurrency: 40 } };
    expect(loadManifest('fleet', { fileSystem: manifest(step2), cwd: ROOT, deployed: deployed(step1) }).ok).toBe(true);
  });

  test('a rise that fits the old budget, a smaller class, and new tenants need no second step', () => {
    const fits = { database: { instanceClass: 'db.t4g.small' }, ingest: { maxConcurrency: 25 } }; // 61 ≤ 67
    expect(loadManifest('fleet', { fileSystem: manifest(fits), cwd: ROOT, deployed: deployed() }).ok).toBe(true);
    const big = { database: { instanceClass: 'db.t4g.small' }, ingest: { maxConcurrency: 40 } };
    expect(loadManifest('fleet', { fileSystem: manifest({ ingest: { maxConcurrency: 20 } }), cwd: ROOT, deployed: deployed(big) }).ok).toBe(true);
    expect(loadManifest('fleet', { fileSystem: manifest(big), cwd: ROOT, deployed: new Map() }).ok).toBe(true);
  });
});

describe('reserved concurrency', () => {
  test('a tenant reserves its ingest maxConcurrency, its API reserved concurrency and 1 migrate', () => {
    const result = loadManifest('fleet', { fileSystem: manifest({ ingest: { maxConcurrency: 12 } }), cwd: ROOT });
    if (!result.ok) throw new Error('invalid');
    const tier = result.manifest.fleet.tiers['bronze']!;
    expect(reservedConcurrencyOf(resolveSizing(tier, result.manifest.tenants[0]!.tenant))).toBe(12 + 5 + 1);
  });
});
