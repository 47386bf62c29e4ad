/**
 * The synth entry: load manifest → model → bundle the functions → stacks. No logic of its own; every step lives in its
 * layer. The CLI (`flota synth`, `npm start`, and cdktf.json's `app`) calls it with paths it resolved from flags and
 * the environment (only the CLI reads process.env).
 */
import * as path from 'node:path';
import { migrationsChecksum } from '../functions/migrations';
import { bundleFunctions, type FunctionBundles } from './assets/bundle';
import { synthesizeFleetAtomically } from './app';
import { loadFleet } from './model';
import type { FleetModel } from './model/types';

export interface SynthesizeOptions {
  /** Repository root: holds functions/. */
  readonly rootDir: string;
  readonly tenantsDir: string;
  readonly outDir: string;
  /** Progress callback (the CLI prints these; tests ignore them). */
  readonly onProgress?: (event: SynthProgress) => void;
  /** @default loadFleet from stacks/model (throws ManifestValidationError with every error when invalid) */
  readonly loadFleet?: (tenantsDir: string) => FleetModel;
}

export type SynthProgress =
  | { readonly step: 'validated'; readonly tenants: number; readonly ms: number }
  | { readonly step: 'bundled'; readonly bundles: FunctionBundles; readonly ms: number }
  | { readonly step: 'synthesized'; readonly stacks: number; readonly ms: number };

export interface SynthesizeResult {
  readonly outDir: string;
  readonly tenants: number;
  readonly stackNames: readonly string[];
  readonly bundles: FunctionBundles;
  readonly ms: number;
}

export async function synthesize(options: SynthesizeOptions): Promise<SynthesizeResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  let mark = started;
  const lap = (): number => {
    const now = Date.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };

  // 1. Validate first: an invalid manifest throws before anything is bundled or written.
  const fleet = (options.loadFleet ?? loadFleet)(options.tenantsDir);
  progress({ step: 'validated', tenants: fleet.tenants.length, ms: lap() });

  // 2. Bundle the three functions once; every tenant stack copies the same zips.
  const bundles = await bundleFunctions({
    rootDir: options.rootDir,
    outDir: path.join(options.rootDir, '.build', 'functions'),
  });
  progress({ step: 'bundled', bundles, ms: lap() });

  // 3. Synthesize into a staging directory and swap it in.
  const { stackNames } = synthesizeFleetAtomically(
    { fleet, bundles, migrationsChecksum: migrationsChecksum() },
    options.outDir,
  );
  progress({ step: 'synthesized', stacks: stackNames.length, ms: lap() });

  return { outDir: options.outDir, tenants: fleet.tenants.length, stackNames, bundles, ms: Date.now() - started };
}
