/**
 * The ingest function's logic, built around its dependencies so the Lambda entry point (handler.ts), the tests, the
 * benchmark and the local dev fleet all run the same code.
 *
 * How Powertools batch is used: a Powertools partial-batch processor (sync-processor.ts) runs the per-record step — parsing
 * and validating each message — and builds `batchItemFailures` from the records whose step threw. Storing is deliberately
 * NOT per record: the valid records are collected and written afterwards by ONE statement (store.ts), which is what makes ingest fast. If that
 * statement cannot run (database down), the handler throws, so the whole batch — valid records included — stays on the
 * queue and is retried: nothing is acknowledged before it is committed. Its valid records are counted as RecordsDue and
 * StaleRecords first, so the freshness SLI sees the outage (the redrive policy outlasts a 2 h outage: rule
 * `dead-letter-window`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Pool } from 'pg';
import { invalidateCredentials, isAuthenticationFailure, isDatabaseUnavailable } from '../shared/db';
import type { FlotaMetrics } from '../shared/metrics';
import type { PolicyCheck } from '../../contract/record';
import { INGEST_METRIC } from '../../contract/telemetry';
import { parseMessage, uniqueById, type AcceptedMessage, type Rejection } from './parse';
import { storeRecords, type StoreOptions } from './store';
import { SqsSyncBatchProcessor } from './sync-processor';

export interface IngestDeps {
  /** The tenant database pool (resolved per invocation so a failed cold-start lookup is retried next time). */
  pool: () => Promise<Pool>;
  logger: Logger;
  metrics: FlotaMetrics;
  /** Records with publish→commit lag above this count as StaleRecords. */
  freshnessThresholdSeconds: number;
  /** Clock (tests). */
  now?: () => number;
  /** Storage tuning (the benchmark measures the INSERT path alone with `copyMinBatch: Infinity`). */
  storeOptions?: StoreOptions;
  /** The tenant's record policy (manifest `records`, compiled with compilePolicy). Default: the record schema alone. */
  recordPolicy?: PolicyCheck;
}

/** Thrown by the record step for an invalid message; Powertools turns it into a batch item failure. */
export class RecordRejectedError extends Error {
  override readonly name = 'RecordRejectedError';
}

/** Thrown when the batch could not be stored; the whole batch is retried by SQS. */
export class IngestUnavailableError extends Error {
  override readonly name = 'IngestUnavailableError';
}

export type IngestHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export function createIngestHandler(deps: IngestDeps): IngestHandler {
  const now = deps.now ?? Date.now;
  const lagLimitMs = deps.freshnessThresholdSeconds * 1000;

  return async (event, context) => {
    const accepted: AcceptedMessage[] = [];
    const rejected: Rejection[] = [];
    const validate = (message: SQSRecord): void => {
      const outcome = parseMessage(message, deps.recordPolicy);
      if (!outcome.ok) {
        rejected.push(outcome.rejection);
        throw new RecordRejectedError(outcome.rejection.reason);
      }
      accepted.push(outcome.message);
    };

    try {
      // A processor per invocation: it holds per-batch state, and the local dev fleet may run invocations concurrently.
      // Returning every message as a failure is exact; throwing would hide which ones were bad.
      const response = new SqsSyncBatchProcessor().run(event, validate, { throwOnFullBatchFailure: false, ...(context ? { context } : {}) });

      for (const rejection of rejected) logRejection(deps.logger, rejection);

      const { unique, repeats } = uniqueById(accepted);
      let result: Awaited<ReturnType<typeof store>>;
      try {
        result = await store(deps, unique);
      } catch (error) {
        // Nothing of this batch is stored: each of its valid records misses its freshness deadline this time round, so
        // the freshness SLI falls during an outage instead of reading 0/0 (counted per attempt: SQS retries the batch).
        deps.metrics.count(INGEST_METRIC.recordsIngested, 0);
        deps.metrics.count(INGEST_METRIC.recordsRejected, rejected.length);
        deps.metrics.count(INGEST_METRIC.recordsDue, unique.length);
        deps.metrics.count(INGEST_METRIC.staleRecords, unique.length);
        throw error;
      }
      const committedAt = now();
      for (const rejection of result.rejected) logRejection(deps.logger, rejection);
      rejected.push(...result.rejected);

      let stale = 0;
      for (const message of result.stored) {
        if (message.sentAt === null) continue;
        const lag = Math.max(0, committedAt - message.sentAt);
        deps.metrics.milliseconds(INGEST_METRIC.ingestLag, lag);
        if (lag > lagLimitMs) stale++;
      }
      deps.metrics.count(INGEST_METRIC.recordsIngested, result.stored.length);
      deps.metrics.count(INGEST_METRIC.recordsRejected, rejected.length);
      deps.metrics.count(INGEST_METRIC.recordsDue, result.stored.length);
      deps.metrics.count(INGEST_METRIC.staleRecords, stale);
      // A later message with the id of a record the database refused is not stored either: let SQS retry it.
      const repeatsRefused = repeatsOfRefused(repeats, result.rejected);
      // Already stored before this batch, or repeated within it (acknowledged without writing).
      const duplicates = result.duplicates.length + repeats.length - repeatsRefused.length;
      const summary = { messages: event.Records.length, stored: result.stored.length, duplicates, rejected: rejected.length, method: result.method };
      // A clean batch (every message stored) says nothing the metrics above do not: its summary is DEBUG, so CloudWatch
      // Logs does not bill one line per batch (POWERTOOLS_LOGGER_SAMPLE_RATE turns DEBUG on for a share of invocations).
      // Batches with duplicates or rejections — redelivery, re-publishing, bad input — keep an INFO summary.
      if (duplicates > 0 || rejected.length > 0) deps.logger.info('batch ingested', summary);
      else deps.logger.debug('batch ingested', summary);

      return {
        batchItemFailures: [
          ...response.batchItemFailures,
          ...result.rejected.map((r) => ({ itemIdentifier: r.messageId })),
          ...repeatsRefused.map((m) => ({ itemIdentifier: m.messageId })),
        ],
      };
    } finally {
      deps.metrics.publish();
    }
  };
}

async function store(deps: IngestDeps, messages: AcceptedMessage[]) {
  try {
    return await storeRecords(await deps.pool(), messages, deps.storeOptions);
  } catch (error) {
    if (isAuthenticationFailure(error)) invalidateCredentials();
    const unavailable = isDatabaseUnavailable(error);
    deps.logger.error(unavailable ? 'database unavailable; whole batch will be retried' : 'storing batch failed; whole batch will be retried', {
      error: error as Error,
      messages: messages.length,
    });
    throw new IngestUnavailableError(`could not store ${messages.length} records: ${(error as Error).message}`, { cause: error });
  }
}

function repeatsOfRefused(repeats: AcceptedMessage[], refused: Rejection[]): AcceptedMessage[] {
  if (repeats.length === 0 || refused.length === 0) return [];
  const refusedIds = new Set(refused.map((r) => r.recordId));
  return repeats.filter((m) => refusedIds.has(m.record.id));
}

function logRejection(logger: Logger, rejection: Rejection): void {
  logger.warn('record rejected', {
    messageId: rejection.messageId,
    ...(rejection.recordId === undefined ? {} : { recordId: rejection.recordId }),
    reason: rejection.reason,
  });
}
