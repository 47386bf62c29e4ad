import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FunctionBundle, FunctionBundles, FunctionName } from '../assets/bundle';

/**
 * Tiny stand-in zips for construct tests: the stacks only copy and hash them, so tests need not run esbuild. Written
 * into the system temp dir; the real bundles are built by stacks/assets/bundle.ts.
 */
export function testBundles(): FunctionBundles {
  // One shared directory (contents never vary), written atomically, so parallel jest workers leave nothing behind.
  const dir = path.join(os.tmpdir(), 'flota-test-bundles');
  fs.mkdirSync(dir, { recursive: true });
  const make = (name: FunctionName): FunctionBundle => {
    const file = path.join(dir, `${name}.zip`);
    const bytes = Buffer.from(`test bundle ${name}`);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
    const digest = createHash('sha256').update(bytes).digest();
    return { name, path: file, sha256Hex: digest.toString('hex'), sha256Base64: digest.toString('base64'), bytes: bytes.length };
  };
  return { ingest: make('ingest'), api: make('api'), migrate: make('migrate') };
}
