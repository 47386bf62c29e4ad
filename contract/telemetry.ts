/**
 * The one place that names flota's CloudWatch metrics. Functions emit them (Embedded Metric Format via Powertools),
 * dashboards chart them and SLO alert rules query them, so all three import from here.
 *
 * Every metric is emitted with TWO dimension sets, [Service] and [Service, Tenant]: CloudWatch computes percentiles only
 * over raw values of one dimension combination, so the [Service] set is what makes fleet-wide p99 a true percentile
 * instead of an average of per-tenant percentiles.
 */
export const METRICS_NAMESPACE = 'Flota';

/** Dimension names. */
export const DIMENSION = {
  service: 'Service',
  tenant: 'Tenant',
} as const;

/** Values of the Service dimension. */
export const SERVICE = {
  api: 'api',
  ingest: 'ingest',
} as const;
export type ServiceName = (typeof SERVICE)[keyof typeof SERVICE];

/** API function metrics (Service = api). */
export const API_METRIC = {
  /** Count of requests handled (every status). */
  requests: 'Requests',
  /** Count of 5xx responses the function itself answered (the availability SLI counts GATEWAY_METRIC, which sees more). */
  serverErrors: 'ServerErrors',
  /** Count of 4xx responses. */
  clientErrors: 'ClientErrors',
  /** Count of requests slower than the tenant's latency SLO threshold. latency SLI = 1 − SlowRequests / Requests. */
  slowRequests: 'SlowRequests',
  /** Request duration in milliseconds (one raw value per request, so percentiles work). */
  latency: 'Latency',
} as const;

/**
 * What API Gateway answered, counted from the tenant's stage access log by CloudWatch Logs metric filters (Service = api,
 * [Service, Tenant] only) — so it includes every failure the API function never saw: API Gateway answers 500 when Lambda
 * throttles the function, 502 when the function errors, crashes or fails to initialise, and 504 when the integration
 * times out ("Handle Lambda errors in API Gateway", Lambda developer guide). These are the same responses AWS/ApiGateway
 * `Count` and `5XXError` count, but labelled by tenant, so one SEARCH over `Tenant` covers the fleet. Throttling and
 * auth refusals by API Gateway itself (429, 403) are 4xx: client errors, not availability failures.
 */
export const GATEWAY_METRIC = {
  /** Every request API Gateway answered, any status. availability SLI = 1 − GatewayServerErrors / GatewayRequests. */
  requests: 'GatewayRequests',
  /** Requests API Gateway answered with a 5xx (from the function, or for it: throttle, error, timeout). */
  serverErrors: 'GatewayServerErrors',
} as const;

/**
 * The metric filters on the access log (JSON with a numeric `status`, and `service` and `tenant` fields that become the
 * dimensions). CloudWatch Logs filter-pattern syntax: `{ $.f = * }` = field present, `{ $.f >= n }` = numeric comparison.
 */
export const GATEWAY_METRIC_FILTERS: readonly { readonly metricName: string; readonly pattern: string }[] = [
  { metricName: GATEWAY_METRIC.requests, pattern: '{ $.status = * }' },
  { metricName: GATEWAY_METRIC.serverErrors, pattern: '{ $.status >= 500 }' },
];

/** Access-log field names the metric filters read their dimensions from. */
export const GATEWAY_LOG_DIMENSION_FIELDS = { [DIMENSION.service]: '$.service', [DIMENSION.tenant]: '$.tenant' } as const;

/** Ingest function metrics (Service = ingest). */
export const INGEST_METRIC = {
  /** Records committed to the database (duplicates of already-stored records not counted). */
  recordsIngested: 'RecordsIngested',
  /** Records rejected as invalid and reported as batch item failures. */
  recordsRejected: 'RecordsRejected',
  /** Milliseconds from publish (SNS/SQS sent timestamp) to database commit, one value per record. */
  ingestLag: 'IngestLag',
  /**
   * Valid new records ingest had to store: those it stored, plus — when a batch could not be stored (database down) — every
   * valid record of that batch, once per failed attempt. The freshness SLI's total events.
   */
  recordsDue: 'RecordsDue',
  /**
   * Records that missed the tenant's freshness threshold: stored with a lag above it, or not stored at all because their
   * batch failed (once per failed attempt). freshness SLI = 1 − StaleRecords / RecordsDue, so an outage that stores
   * nothing reads as 0 % fresh instead of 0/0.
   */
  staleRecords: 'StaleRecords',
} as const;

/** The SLIs, as ratios of the metrics above. */
export const SLI = {
  availability: { service: SERVICE.api, bad: GATEWAY_METRIC.serverErrors, total: GATEWAY_METRIC.requests },
  latency: { service: SERVICE.api, bad: API_METRIC.slowRequests, total: API_METRIC.requests },
  freshness: { service: SERVICE.ingest, bad: INGEST_METRIC.staleRecords, total: INGEST_METRIC.recordsDue },
} as const;
export type SliName = keyof typeof SLI;

/**
 * Environment variables the tenant stack sets on each function (constructs write them, handlers read them).
 * Keep the names here so both sides agree.
 */
export const FUNCTION_ENV = {
  tenantId: 'FLOTA_TENANT_ID',
  /** ARN of the RDS-managed master user secret (JSON with username/password). Set on the migrate function ONLY. */
  dbSecretArn: 'FLOTA_DB_SECRET_ARN',
  /**
   * PostgreSQL role the function logs in as with IAM database authentication (contract/database.ts DB_ROLE; the
   * function's IAM role may `rds-db:connect` as this db user only). Set on the API and ingest functions.
   */
  dbUser: 'FLOTA_DB_USER',
  /** ARN of the tenant's cursor-key secret (API only): signs pagination cursors; AWSPREVIOUS still verifies them. */
  cursorSecretArn: 'FLOTA_CURSOR_SECRET_ARN',
  dbHost: 'FLOTA_DB_HOST',
  dbPort: 'FLOTA_DB_PORT',
  dbName: 'FLOTA_DB_NAME',
  /** Connections per container, from the model's connection budget. */
  dbPoolSize: 'FLOTA_DB_POOL_SIZE',
  /** SNS topic the API publishes to. */
  topicArn: 'FLOTA_TOPIC_ARN',
  /** Latency SLO threshold in ms: requests slower than this count as SlowRequests. */
  latencyThresholdMs: 'FLOTA_LATENCY_THRESHOLD_MS',
  /** Freshness SLO threshold in seconds: records older than this at commit count as StaleRecords. */
  freshnessThresholdSeconds: 'FLOTA_FRESHNESS_THRESHOLD_S',
  /** Largest accepted request body in bytes. */
  maxBodyBytes: 'FLOTA_MAX_BODY_BYTES',
  /**
   * The tenant's accepted record types (manifest `records.types`) as a JSON array of strings; an entry ending in `*` is a
   * prefix match. Not set: any type is accepted.
   */
  recordTypes: 'FLOTA_RECORD_TYPES',
  /** Largest accepted record payload in bytes of JSON (manifest `records.maxPayloadBytes`, ≤ MAX_PAYLOAD_BYTES). */
  maxPayloadBytes: 'FLOTA_MAX_PAYLOAD_BYTES',
} as const;
