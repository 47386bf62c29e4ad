import { API_METRIC } from '../../contract/telemetry';
import type { FlotaMetrics } from '../shared/metrics';
import type { RequestObservation } from './app';

/**
 * Turns one request's outcome into the API metrics of telemetry.ts: Requests, ClientErrors (4xx), ServerErrors (5xx),
 * SlowRequests (latency above the tenant's SLO threshold) and Latency. FlotaMetrics emits each under both dimension sets.
 */
export function recordRequestMetrics(metrics: FlotaMetrics, latencyThresholdMs: number): (o: RequestObservation) => void {
  return ({ status, latencyMs }) => {
    metrics.count(API_METRIC.requests);
    if (status >= 500) metrics.count(API_METRIC.serverErrors);
    else if (status >= 400) metrics.count(API_METRIC.clientErrors);
    if (latencyMs > latencyThresholdMs) metrics.count(API_METRIC.slowRequests);
    metrics.milliseconds(API_METRIC.latency, latencyMs);
  };
}
