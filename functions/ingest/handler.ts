/**
 * Ingest Lambda entry point (SQS event source; raw SNS delivery, so each body is a record JSON). Thin: configuration from
 * the environment on first invocation, then ingest.ts does the work. Module-scope state (pool, logger, metrics) is reused
 * across invocations of the same container.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadIngestConfig } from '../shared/config';
import { getPool } from '../shared/db';
import { createLogger } from '../shared/logger';
import { FlotaMetrics } from '../shared/metrics';
import { compilePolicy } from '../../contract/record';
import { SERVICE } from '../../contract/telemetry';
import { createIngestHandler, type IngestHandler } from './ingest';

let ingest: IngestHandler | undefined;

export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  if (!ingest) {
    const config = loadIngestConfig();
    ingest = createIngestHandler({
      pool: () => getPool(process.env, 'ingest'),
      logger: createLogger({ service: SERVICE.ingest, tenantId: config.tenantId }),
      metrics: new FlotaMetrics({ service: SERVICE.ingest, tenantId: config.tenantId }),
      freshnessThresholdSeconds: config.freshnessThresholdSeconds,
      recordPolicy: compilePolicy(config.records, config.tenantId),
    });
  }
  return ingest(event, context);
};
