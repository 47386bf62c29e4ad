/**
 * Tenant detail (`$tenant`): "what is wrong with THIS tenant, and how much error budget is left?" Every panel reads
 * one tenant's metrics (a handful of series). The `$tenant` options come from the model, so a new tenant appears in
 * the drop-down with no edit; AWS resource names are derived from the model's naming pattern.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { API_METRIC, DIMENSION, INGEST_METRIC, METRICS_NAMESPACE, SERVICE, SLI } from '../contract/telemetry';
import { formatPercent, sloClasses, SLI_NAMES } from '../fleet/model/slo-rules';
import { DASHBOARD_UID } from '../fleet/model/dashboard-links';
import { CLOUDWATCH_LIMITS, type MetricQuerySpec } from '../fleet/model/cloudwatch-queries';
import type { FleetModel } from '../fleet/model/types';
import { errorBudget, cw, cwExpression, math, MIXED_DATASOURCE, CLOUDWATCH_DATASOURCE, namePattern, panelIds, reduce, flotaDashboardsLink } from './common';

const TENANT = '$tenant';

function flota(service: string, metricName: string, statistic: string): MetricQuerySpec {
  return { namespace: METRICS_NAMESPACE, metricName, dimensions: { [DIMENSION.service]: service, [DIMENSION.tenant]: TENANT }, statistic };
}

function aws(namespace: string, metricName: string, dimensions: Record<string, string | string[]>, statistic: string): MetricQuerySpec {
  return { namespace, metricName, dimensions, statistic };
}

export function tenantDetailDashboard(fleet: FleetModel): dashboard.Dashboard {
  const id = panelIds();
  const ids = fleet.tenants.map((t) => t.id);
  const names = {
    api: namePattern(fleet, (t) => t.names.restApi, 'REST API'),
    queue: namePattern(fleet, (t) => t.names.queue, 'queue'),
    dlq: namePattern(fleet, (t) => t.names.deadLetterQueue, 'dead-letter queue'),
    ingestFunction: namePattern(fleet, (t) => t.names.ingestFunction, 'ingest function'),
    apiFunction: namePattern(fleet, (t) => t.names.apiFunction, 'API function'),
    db: namePattern(fleet, (t) => t.names.dbInstance, 'database instance'),
  };
  const functions = [names.apiFunction, names.ingestFunction];
  const ts = (title: string, description: string, unit: string) =>
    new TimeseriesPanel().id(id()).title(title).description(description).datasource(CLOUDWATCH_DATASOURCE).unit(unit).height(8).span(8);

  const builder = new dashboard.DashboardBuilder('flota — tenant detail')
    .uid(DASHBOARD_UID.tenantDetail)
    .tags(['flota', 'tenant'])
    .description('Everything about one tenant. Pick it with the tenant variable (or follow a link from an alert or the fleet dashboards).')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .readonly()
    .link(flotaDashboardsLink().includeVars(false))
    .withVariable(
      new dashboard.CustomVariableBuilder('tenant')
        .label('Tenant')
        .values(ids.join(','))
        .current({ text: ids[0] ?? '', value: ids[0] ?? '', selected: true } as dashboard.VariableOption),
    )
    .withRow(new dashboard.RowBuilder('API'))
    .withPanel(
      ts('API latency p50 / p90 / p99', 'How slow are this tenant’s requests?', 'ms')
        .withTarget(cw('A', fleet, flota(SERVICE.api, API_METRIC.latency, 'p50'), { label: 'p50' }))
        .withTarget(cw('B', fleet, flota(SERVICE.api, API_METRIC.latency, 'p90'), { label: 'p90' }))
        .withTarget(cw('C', fleet, flota(SERVICE.api, API_METRIC.latency, 'p99'), { label: 'p99' })),
    )
    .withPanel(
      ts('Requests and errors', 'How many requests, and how many failed (5xx = ours, 4xx = the client’s)?', 'short')
        .withTarget(cw('A', fleet, flota(SERVICE.api, API_METRIC.requests, 'Sum'), { label: 'requests' }))
        .withTarget(cw('B', fleet, flota(SERVICE.api, API_METRIC.serverErrors, 'Sum'), { label: '5xx' }))
        .withTarget(cw('C', fleet, flota(SERVICE.api, API_METRIC.clientErrors, 'Sum'), { label: '4xx' })),
    )
    .withPanel(
      ts('Throttles', 'Are callers or functions being throttled? API Gateway 4XX includes 429 (usage plan / stage throttle); Lambda Throttles = concurrency limit hit.', 'short')
        .withTarget(cw('A', fleet, aws('AWS/ApiGateway', '4XXError', { ApiName: names.api }, 'Sum'), { label: 'API Gateway 4XX (incl. 429)' }))
        .withTarget(cw('B', fleet, aws('AWS/Lambda', 'Throttles', { FunctionName: functions }, 'Sum'), { label: "${PROP('Dim.FunctionName')} throttles" })),
    )
    .withRow(new dashboard.RowBuilder('Ingest'))
    .withPanel(
      ts('Queue depth', 'How many records wait to be ingested?', 'short')
        .withTarget(cw('A', fleet, aws('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: names.queue }, 'Maximum'), { label: 'visible' }))
        .withTarget(cw('B', fleet, aws('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', { QueueName: names.queue }, 'Maximum'), { label: 'in flight' })),
    )
    .withPanel(
      ts('Age of oldest message', 'How far behind is ingestion? Rising = the ingest function cannot keep up or keeps failing.', 's').withTarget(
        cw('A', fleet, aws('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: names.queue }, 'Maximum'), { label: 'oldest message' }),
      ),
    )
    .withPanel(
      ts('Dead-letter queue', 'Poison records waiting for `flota dlq` / `flota redrive`. Anything above zero needs a look.', 'short').withTarget(
        cw('A', fleet, aws('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: names.dlq }, 'Maximum'), { label: 'DLQ messages' }),
      ),
    )
    .withPanel(
      ts('Records ingested / rejected', 'Is data flowing, and is any of it invalid?', 'short')
        .withTarget(cw('A', fleet, flota(SERVICE.ingest, INGEST_METRIC.recordsIngested, 'Sum'), { label: 'ingested' }))
        .withTarget(cw('B', fleet, flota(SERVICE.ingest, INGEST_METRIC.recordsRejected, 'Sum'), { label: 'rejected' }))
        .withTarget(cw('C', fleet, flota(SERVICE.ingest, INGEST_METRIC.staleRecords, 'Sum'), { label: 'stale' })),
    )
    .withPanel(
      ts('Ingest lag p50 / p99', 'How long from publish to commit?', 'ms')
        .withTarget(cw('A', fleet, flota(SERVICE.ingest, INGEST_METRIC.ingestLag, 'p50'), { label: 'p50' }))
        .withTarget(cw('B', fleet, flota(SERVICE.ingest, INGEST_METRIC.ingestLag, 'p99'), { label: 'p99' })),
    )
    .withRow(new dashboard.RowBuilder('Lambda'))
    .withPanel(
      ts('Lambda errors', 'Are the functions failing (unhandled errors, timeouts)?', 'short').withTarget(
        cw('A', fleet, aws('AWS/Lambda', 'Errors', { FunctionName: functions }, 'Sum'), { label: "${PROP('Dim.FunctionName')}" }),
      ),
    )
    .withPanel(
      ts('Lambda duration p99', 'Are the functions getting slower (close to their timeout)?', 'ms').withTarget(
        cw('A', fleet, aws('AWS/Lambda', 'Duration', { FunctionName: functions }, 'p99'), { label: "${PROP('Dim.FunctionName')}" }),
      ),
    )
    .withPanel(
      ts('Lambda concurrency', 'How many containers run? Bounded by reserved concurrency / event source maximum (the DB connection budget).', 'short').withTarget(
        cw('A', fleet, aws('AWS/Lambda', 'ConcurrentExecutions', { FunctionName: functions }, 'Maximum'), { label: "${PROP('Dim.FunctionName')}" }),
      ),
    )
    .withRow(new dashboard.RowBuilder('Database'))
    .withPanel(ts('RDS CPU', 'Is the database CPU-bound?', 'percent').withTarget(cw('A', fleet, aws('AWS/RDS', 'CPUUtilization', { DBInstanceIdentifier: names.db }, 'Average'), { label: 'CPU' })))
    .withPanel(
      ts('RDS connections', 'How close to max_connections (the connection budget) is the database?', 'short').withTarget(
        cw('A', fleet, aws('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: names.db }, 'Maximum'), { label: 'connections' }),
      ),
    )
    .withPanel(
      ts('RDS free storage', 'Will the database run out of disk before storage autoscaling catches up?', 'bytes').withTarget(
        cw('A', fleet, aws('AWS/RDS', 'FreeStorageSpace', { DBInstanceIdentifier: names.db }, 'Minimum'), { label: 'free storage' }),
      ),
    )
    .withRow(new dashboard.RowBuilder('SLOs — error budget remaining over the SLO window'));

  for (const sli of SLI_NAMES) builder.withPanel(sloBudgetPanel(fleet, sli, id()));
  return builder.build();
}

/**
 * Error budget remaining = 1 − (bad ÷ total over the SLO window) ÷ budget. The budget depends on the tenant's SLO
 * class, which a dashboard variable cannot look up, so the panel holds one query pair per class whose SEARCH matches
 * only if `$tenant` belongs to that class: exactly one pair returns data. Classes are few (they also bound the alert
 * rules), and each query returns at most one series.
 */
function sloBudgetPanel(fleet: FleetModel, sli: (typeof SLI_NAMES)[number], panelId: number) {
  const { service, bad, total } = SLI[sli];
  const classes = sloClasses(fleet).filter((c) => c.sli === sli);
  const windowDays = Math.max(...classes.map((c) => c.windowDays), 1);
  const panel = new StatPanel()
    .id(panelId)
    .title(`${sli}: error budget remaining`)
    .description(`How much of the ${sli} error budget is left over the SLO window? 100 % = untouched, ≤ 0 % = SLO missed.`)
    .datasource(MIXED_DATASOURCE)
    .timeFrom(`${windowDays}d`)
    .unit('percentunit')
    .decimals(1)
    .noValue('no traffic')
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'red' },
        { value: 0.25, color: 'orange' },
        { value: 0.5, color: 'green' },
      ]),
    )
    .height(6)
    .span(8);
  const fleetSize = fleet.tenants.length;
  const search = (metric: string, members: readonly string[] | undefined) =>
    `SEARCH('{${METRICS_NAMESPACE},${DIMENSION.service},${DIMENSION.tenant}} MetricName="${metric}" ${DIMENSION.service}="${service}" ` +
    `${DIMENSION.tenant}="${TENANT}"${members === undefined ? '' : ` ${DIMENSION.tenant}=(${members.map((t) => `"${t}"`).join(' OR ')})`}', 'Sum', 3600)`;
  // the same static label on both queries: their series then carry the same labels and the math joins them
  let n = 0;
  for (const sloClass of classes) {
    const budget = errorBudget(sloClass.target);
    // the whole fleet in one class: no member list; otherwise members in chunks that keep each SEARCH ≤ 1,024 chars
    const chunks: (readonly string[] | undefined)[] = sloClass.tenantIds.length === fleetSize ? [undefined] : chunkBySearchLength(sloClass.tenantIds, (m) => search(bad, m).length);
    for (const members of chunks) {
      n += 1;
      panel
        .withTarget(cwExpression(`B${n}`, fleet, search(bad, members), { label: 'slo', hide: true, metricsRead: 1, seriesReturned: 1 }))
        .withTarget(cwExpression(`T${n}`, fleet, search(total, members), { label: 'slo', hide: true, metricsRead: 1, seriesReturned: 1 }))
        .withTarget(reduce(`RB${n}`, `B${n}`, 'sum'))
        .withTarget(reduce(`RT${n}`, `T${n}`, 'sum'))
        .withTarget(math(`SLO ${formatPercent(sloClass.target)}%${chunks.length > 1 ? ` (${n})` : ''}`, `1 - ($RB${n} / $RT${n}) / ${budget}`));
    }
  }
  return panel;
}

function chunkBySearchLength(ids: readonly string[], length: (members: readonly string[]) => number): (readonly string[])[] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const id of ids) {
    if (current.length > 0 && length([...current, id]) > CLOUDWATCH_LIMITS.maxSearchExpressionChars) {
      chunks.push(current);
      current = [];
    }
    current.push(id);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
