/**
 * CloudWatch metrics through Powertools Metrics (Embedded Metric Format on stdout), with flota's two dimension sets.
 *
 * Every metric must be emitted under [Service] AND [Service, Tenant] (see telemetry.ts: fleet-wide percentiles are only true
 * percentiles over the [Service] set). In Powertools 2.35, `addDimensions(obj)` appends one more dimension SET (each set also
 * includes the default dimensions), so with Service as the only default dimension:
 *   addDimensions({})                 → ["Service"]
 *   addDimensions({ Tenant: tenant }) → ["Service", "Tenant"]
 * Powertools clears those request dimension sets whenever it flushes — including the automatic flush when one metric reaches
 * 100 values (e.g. IngestLag of a 1000-record batch) — so this wrapper re-adds them before the first metric after any flush;
 * otherwise later EMF blobs of the same invocation would lose the Tenant set. A flush is noticed by overriding
 * `publishStoredMetrics` (which Powertools' auto-flush calls too) rather than by asking `hasStoredMetrics()` after every
 * value: each such question reads `process.env` inside Powertools, and at 1000 IngestLag values per batch that alone was
 * ~0.3 ms of the handler's ~1.5 ms metrics cost.
 *
 * Powertools also adds a lower-case `service` default dimension; it is replaced by `Service` so names match telemetry.ts.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DIMENSION, METRICS_NAMESPACE, type ServiceName } from '../../contract/telemetry';

export { MetricUnit };
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface CreateMetricsOptions {
  service: ServiceName;
  tenantId: string;
  /** Namespace override (tests); defaults to telemetry.ts METRICS_NAMESPACE. */
  namespace?: string;
}

/** Powertools Metrics that reports its flushes (automatic ones included) to the owner. */
class FlushAwareMetrics extends Metrics {
  constructor(
    options: ConstructorParameters<typeof Metrics>[0],
    private readonly onFlush: () => void,
  ) {
    super(options);
  }

  override publishStoredMetrics(): this {
    const result = super.publishStoredMetrics();
    this.onFlush();
    return result;
  }
}

/** Records metrics for one function of one tenant; call {@link FlotaMetrics.publish} at the end of each invocation. */
export class FlotaMetrics {
  readonly powertools: Metrics;
  readonly service: ServiceName;
  readonly tenantId: string;
  private dimensionsPending = true;

  constructor({ service, tenantId, namespace = METRICS_NAMESPACE }: CreateMetricsOptions) {
    this.service = service;
    this.tenantId = tenantId;
    this.powertools = new FlushAwareMetrics({ namespace, serviceName: service }, () => {
      this.dimensionsPending = true;
    });
    this.powertools.clearDefaultDimensions();
    this.powertools.setDefaultDimensions({ [DIMENSION.service]: service });
  }

  /** Adds one value (EMF keeps every value, so percentiles over the raw values work). */
  add(name: string, unit: Unit, value: number): void {
    if (this.dimensionsPending) {
      this.powertools.addDimensions({});
      this.powertools.addDimensions({ [DIMENSION.tenant]: this.tenantId });
      this.dimensionsPending = false;
    }
    // An automatic flush inside addMetric clears the dimension sets; onFlush marks them to be re-added before the next value.
    this.powertools.addMetric(name, unit, value);
  }

  count(name: string, value = 1): void {
    this.add(name, MetricUnit.Count, value);
  }

  milliseconds(name: string, value: number): void {
    this.add(name, MetricUnit.Milliseconds, value);
  }

  /** Writes the stored metrics as EMF to stdout (no output, and no Powertools warning, when nothing was recorded). */
  publish(): void {
    if (this.powertools.hasStoredMetrics()) this.powertools.publishStoredMetrics();
  }
}
