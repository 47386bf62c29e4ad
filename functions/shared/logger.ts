/**
 * Structured JSON logging (Powertools Logger). Every line carries the tenant id as the persistent key `tenant`, so one
 * CloudWatch Logs Insights query over the fleet's log groups can filter or group by tenant.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ServiceName } from '../../contract/telemetry';

/** Log key holding the tenant id on every line. */
export const TENANT_LOG_KEY = 'tenant';

export interface CreateLoggerOptions {
  service: ServiceName | 'migrate';
  tenantId: string;
}

/** A Powertools Logger for one function of one tenant. Level from POWERTOOLS_LOG_LEVEL (default INFO). */
export function createLogger({ service, tenantId }: CreateLoggerOptions): Logger {
  return new Logger({ serviceName: service, persistentKeys: { [TENANT_LOG_KEY]: tenantId } });
}
