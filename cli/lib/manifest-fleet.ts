/**
 * The fleet index of a manifest directory.
 *
 * PROVISIONAL: reads only each tenant file's `wave` (default 1) until the manifest layer's `loadFleet()` lands in
 * stacks/model; then this becomes `fleetIndexFromModel(loadFleet(dir))` so waves and stack names come from the one
 * validated model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FleetIndex } from './fleet-index';

export function loadManifestFleetIndex(manifestDir: string): FleetIndex {
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
