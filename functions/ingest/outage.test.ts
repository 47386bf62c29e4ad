/**
 * Issue #10 item 4: no valid record is dead-lettered by a database outage. The REAL ingest handler runs against a real
 * PostgreSQL behind a TCP proxy (stopped = the database is down: connections cut, new ones refused) and is fed by an SQS
 * queue with a redrive policy simulated in virtual time (testing/simulated-sqs.ts), with the visibility timeout, batch
 * size and maxReceiveCount of the shipped fleet's model — so a 2-hour outage takes seconds.
 */
import * as path from 'node:path';
import type { Pool } from 'pg';
import { loadFleet } from '../../fleet';
import { deadLetterWindowSeconds, INGEST_OUTAGE_BUDGET_SECONDS } from '../../fleet/model/sizing';
import { sloRuleGroups, type SloAlertRule } from '../../fleet/model/slo-rules';
import type { TenantModel } from '../../fleet/model/types';
import { captureOutput, type CapturedOutput } from '../../testing/capture-output';
import { SimulatedSqs } from '../../testing/simulated-sqs';
import { recordBody } from '../../testing/sqs-event';
import { TcpProxy } from '../../testing/tcp-proxy';
import { useTestDatabase } from '../../testing/use-database';
import { createPool } from '../shared/db';
import { createLogger } from '../shared/logger';
import { FlotaMetrics } from '../shared/metrics';
import { createIngestHandler } from './ingest';

const START = Date.parse('2026-11-26T09:00:00.000Z');
const VALID = 40;
const LATE = 4;

const db = useTestDatabase({ truncateRecords: true });
const shipped = loadFleet(path.join(__dirname, '..', '..', 'tenants'));
/** The shipped tenant that dead-letters soonest: the worst case of the fleet. */
const worst = [...shipped.tenants].sort(
  (a, b) => deadLetterWindowSeconds(a.ingest.maxReceiveCount, a.ingest.visibilityTimeoutSeconds) - deadLetterWindowSeconds(b.ingest.maxReceiveCount, b.ingest.visibilityTimeoutSeconds),
)[0]!;

let proxy: TcpProxy;
let pool: Pool;
let output: CapturedOutput;

beforeEach(async () => {
  output = captureOutput();
  const target = new URL(db.url);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.start();
  pool = createPool({ connectionString: proxy.rewrite(db.url), max: 2, connectionTimeoutMillis: 2_000 }, { onIdleError: () => undefined });
});
afterEach(async () => {
  output.restore();
  await pool.end();
  await proxy.stop();
});

/** Freshness metrics one invocation emitted, at its simulated time. */
interface Emitted {
  readonly at: number;
  readonly due: number;
  readonly stale: number;
}

interface OutageResult {
  readonly sqs: SimulatedSqs;
  readonly emitted: readonly Emitted[];
  readonly stored: string[];
  readonly deadLetteredIds: string[];
}

/**
 * Sends VALID records and one poison message when the outage starts (the worst moment: each is received at once, so its
 * dead-letter window starts with the outage), keeps the database down for `outageSeconds`, then runs the queue dry.
 */
async function outage(ingest: TenantModel['ingest'], outageSeconds: number): Promise<OutageResult> {
  const sqs = new SimulatedSqs(
    { visibilityTimeoutSeconds: ingest.visibilityTimeoutSeconds, maxReceiveCount: ingest.maxReceiveCount, batchSize: ingest.batchSize },
    START,
  );
  const handler = createIngestHandler({
    pool: async () => pool,
    logger: createLogger({ service: 'ingest', tenantId: worst.id }),
    metrics: new FlotaMetrics({ service: 'ingest', tenantId: worst.id }),
    freshnessThresholdSeconds: worst.slo.freshness.withinSeconds,
    now: () => sqs.now(),
  });
  for (let i = 0; i < VALID; i++) sqs.send(recordBody(`valid-${String(i).padStart(2, '0')}`), { messageId: `m-valid-${i}` });
  sqs.send('{"id": "poison", ', { messageId: 'm-poison' });
  // …and clients keep publishing while the database is down.
  for (let i = 0; i < LATE; i++) sqs.send(recordBody(`late-${i}`), { messageId: `m-late-${i}`, at: START + (i + 1) * 15 * 60 * 1000 });

  const outageEnds = START + outageSeconds * 1000;
  let down = false;
  const emitted: Emitted[] = [];
  const metric = (blobs: readonly Record<string, unknown>[], name: string) => blobs.reduce((sum, b) => sum + (typeof b[name] === 'number' ? (b[name] as number) : 0), 0);
  const consumer: typeof handler = async (event) => {
    const before = output.emf().length;
    try {
      return await handler(event);
    } finally {
      const blobs = output.emf().slice(before) as Record<string, unknown>[];
      emitted.push({ at: sqs.now(), due: metric(blobs, 'RecordsDue'), stale: metric(blobs, 'StaleRecords') });
    }
  };
  await sqs.run(consumer, {
    until: START + 14 * 24 * 3600 * 1000,
    beforeDelivery: async (now) => {
      if (now < outageEnds && !down) {
        await proxy.stop();
        down = true;
      } else if (now >= outageEnds && down) {
        await proxy.start();
        down = false;
      }
    },
  });
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM records ORDER BY id');
  return { sqs, emitted, stored: rows.map((r) => r.id), deadLetteredIds: sqs.deadLetters.map((m) => m.messageId).sort() };
}

/** The rule's Grafana math condition (stage G) evaluated on window counts, exactly as written in the rule. */
function fires(rule: SloAlertRule, counts: { badLong: number; totalLong: number; badShort: number; totalShort: number }): boolean {
  const math = rule.stages.find((stage) => stage.refId === 'G')?.model.expression as string;
  const js = math
    .replace(/\$C/g, String(counts.badLong))
    .replace(/\$D/g, String(counts.totalLong))
    .replace(/\$E/g, String(counts.badShort))
    .replace(/\$F/g, String(counts.totalShort));
  expect(js).toMatch(/^[0-9.()<>=&/ e+-]+$/);
  return Boolean(new Function(`return (${js});`)());
}

const allValid = [...Array.from({ length: LATE }, (_, i) => `late-${i}`), ...Array.from({ length: VALID }, (_, i) => `valid-${String(i).padStart(2, '0')}`)];

describe(`a database outage of the full ${INGEST_OUTAGE_BUDGET_SECONDS / 3600} h budget (tenant ${worst.id}, the shortest dead-letter window of the shipped fleet)`, () => {
  test('the model covers the budget, and the budget is far longer than the dead-letter window flota shipped before (5 receives: 12 min for bronze)', () => {
    expect(deadLetterWindowSeconds(worst.ingest.maxReceiveCount, worst.ingest.visibilityTimeoutSeconds)).toBeGreaterThanOrEqual(INGEST_OUTAGE_BUDGET_SECONDS);
    expect(INGEST_OUTAGE_BUDGET_SECONDS).toBeGreaterThan(deadLetterWindowSeconds(5, worst.ingest.visibilityTimeoutSeconds) * 5);
  });

  test('0 valid records end in the DLQ: every one is stored exactly once after recovery; only the poison message is dead-lettered', async () => {
    const { sqs, emitted, stored, deadLetteredIds } = await outage(worst.ingest, INGEST_OUTAGE_BUDGET_SECONDS);
    expect(deadLetteredIds).toEqual(['m-poison']);
    expect(stored).toEqual(allValid);
    expect(sqs.depth).toBe(0);
    // The outage really was seen: batches failed as a whole for the whole outage, then stored.
    const failedWhole = sqs.deliveries.filter((d) => d.outcome === 'threw');
    expect(failedWhole.length).toBeGreaterThan(0);
    expect(Math.max(...failedWhole.map((d) => d.at)) - START).toBeGreaterThanOrEqual((INGEST_OUTAGE_BUDGET_SECONDS - worst.ingest.visibilityTimeoutSeconds) * 1000);
    expect(output.logs().filter((l) => l.message === 'database unavailable; whole batch will be retried').length).toBe(failedWhole.length);
    // Freshness falls, and the page-1h freshness rule fires, one hour into the outage: the bad and total counts the rule
    // reads (StaleRecords, RecordsDue) are the ones this handler emitted, summed over the rule's long and short windows.
    const rule = sloRuleGroups(shipped)
      .flatMap((g) => g.rules)
      .find((r) => r.sli === 'freshness' && r.window.id === 'page-1h' && r.tenantIds.includes(worst.id))!;
    expect(rule.queries.map((q) => q.metricName)).toEqual(['StaleRecords', 'RecordsDue']);
    const sum = (fromMinute: number, toMinute: number, key: 'due' | 'stale') =>
      emitted.filter((e) => e.at >= START + fromMinute * 60_000 && e.at < START + toMinute * 60_000).reduce((n, e) => n + e[key], 0);
    const counts = { badLong: sum(0, 60, 'stale'), totalLong: sum(0, 60, 'due'), badShort: sum(55, 60, 'stale'), totalShort: sum(55, 60, 'due') };
    expect(counts.totalLong).toBeGreaterThanOrEqual(worst.slo.minEventsPerWindow);
    expect(counts.badLong).toBe(counts.totalLong); // 0 % fresh
    expect(fires(rule, counts)).toBe(true);
    // …and after recovery the records are stored: stale (they waited 2 h) but due, so the ratio recovers as traffic does.
    expect(sum(120, 24 * 60, 'due')).toBeGreaterThanOrEqual(VALID + LATE);
    // The poison message was retried for the whole window before it was dead-lettered (its record was reported each time).
    expect(sqs.deadLetters[0]!.receiveCount).toBe(worst.ingest.maxReceiveCount);
  });

  test('control: with the redrive policy flota shipped before (maxReceiveCount 5), the same outage dead-letters every valid record', async () => {
    const { stored, deadLetteredIds } = await outage({ ...worst.ingest, maxReceiveCount: 5 }, INGEST_OUTAGE_BUDGET_SECONDS);
    expect(stored).toEqual([]);
    expect(deadLetteredIds).toHaveLength(VALID + LATE + 1);
  });
});
