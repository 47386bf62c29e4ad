import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeFleetAtomically } from './app';
import { testFleet, testTenant } from '../fleet/testing/fleet-model';
import { testBundles } from './testing/test-bundles';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-app-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('synthesizeFleetAtomically', () => {
  const outDir = path.join(scratch, 'cdktf.out');

  test('replaces the whole previous output (no stale stack survives) and leaves no staging directory', () => {
    fs.mkdirSync(path.join(outDir, 'stacks', 'tenant-removed'), { recursive: true });
    const { stackNames } = synthesizeFleetAtomically(
      { fleet: testFleet(['acme']), bundles: testBundles(), migrationsChecksum: 'x' },
      outDir,
    );
    expect(stackNames).toEqual(['platform', 'tenant-acme', 'observability']);
    expect(fs.readdirSync(path.join(outDir, 'stacks')).sort()).toEqual(['platform', 'tenant-acme', 'observability'].sort());
    expect(fs.readdirSync(scratch)).toEqual(['cdktf.out']);
  });

  test('fails if a stack cannot be built, keeping the previous output intact', () => {
    const broken = testTenant('globex');
    const fleet = {
      ...testFleet(['acme']),
      tenants: [...testFleet(['acme']).tenants, { ...broken, ingest: { ...broken.ingest, visibilityTimeoutSeconds: 1 } }],
    };
    expect(() => synthesizeFleetAtomically({ fleet, bundles: testBundles(), migrationsChecksum: 'x' }, outDir)).toThrow(
      /visibilityTimeoutSeconds/,
    );
    expect(fs.readdirSync(path.join(outDir, 'stacks')).sort()).toEqual(['platform', 'tenant-acme', 'observability'].sort());
    expect(fs.readdirSync(scratch)).toEqual(['cdktf.out']);
  });
});
