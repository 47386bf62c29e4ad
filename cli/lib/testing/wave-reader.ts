/**
 * Test double of the manifest layer for git-range tests: reads only each tenant file's `wave` (default 1), so the
 * repositories built in tests can hold two-line tenant files. The real loader (loadFleet) is covered by its own tests
 * and by one end-to-end test in changed.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FleetIndex } from '../fleet-index';

export function readWaves(manifestDir: string): FleetIndex {
  const tenants = readdirSync(manifestDir)
    .filter((file) => /^[^_.][^/]*\.ya?ml$/.test(file))
    .map((file) => {
      const id = file.replace(/\.ya?ml$/, '');
      const document = parse(readFileSync(join(manifestDir, file), 'utf8')) as { wave?: unknown } | null;
      const wave = document?.wave === undefined ? 1 : Number(document.wave);
      return { id, stackName: `tenant-${id}`, wave };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return { platformStackName: 'platform', observabilityStackName: 'observability', tenants };
}
