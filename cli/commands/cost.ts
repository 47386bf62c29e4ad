/**
 * `flota cost [--tenants DIR] [--generate N | --tenant-count N] [--json]`: estimated monthly CloudWatch cost of the
 * SLO alert evaluation and of the operational alarms (GetMetricData per rule evaluation) and of the custom metrics the dashboards need, for the
 * shipped fleet and for a generated fleet of N tenants (default 500) with the same SLO classes. Also prints what one
 * load of each dashboard reads. Formula: docs/observability.md ("Cost"). Exit code 0, 1 on an invalid manifest, 2 on
 * usage errors.
 */
import { buildDashboards } from '../../dashboards';
import { panelQueryCosts } from '../../dashboards/query-cost';
import { loadFleet } from '../../fleet';
import { ALERT_EVALUATION_BUDGET_USD, observabilityCost, PRICING, type ObservabilityCost } from '../../fleet/model/alerting-cost';
import { generateFleet } from '../../fleet/model/generated-fleet';
import type { FleetModel } from '../../fleet/model/types';
import { parseCommandArgs, positiveNumber } from '../lib/args';
import { formatTable, printJson, processIo, runCommand, type Io } from '../lib/output';

const USAGE = `usage: flota cost [--tenants DIR] [--generate N | --tenant-count N] [--json]

  --tenants DIR       manifest directory (default: tenants)
  --generate N        also estimate a generated fleet of N tenants cloned from the manifest's tenants (default: 500)
  --tenant-count N    same as --generate
  --json              machine-readable output
`;

interface DashboardLoadCost {
  readonly uid: string;
  readonly panels: number;
  readonly metricsPerLoad: number;
  readonly usdPer1000Loads: number;
}

interface FleetEstimate extends ObservabilityCost {
  readonly fleet: 'shipped' | 'generated';
  readonly withinAlertBudgetAt50: boolean | null;
  readonly dashboards: readonly DashboardLoadCost[];
}

function estimate(fleet: FleetModel, kind: 'shipped' | 'generated'): FleetEstimate {
  const cost = observabilityCost(fleet);
  const dashboards = buildDashboards(fleet).map((built) => {
    const panels = panelQueryCosts(built.json, fleet.tenants.length);
    const metricsPerLoad = panels.reduce((n, p) => n + p.metrics, 0);
    return { uid: built.uid, panels: panels.length, metricsPerLoad, usdPer1000Loads: ((metricsPerLoad * 1000) / 1000) * PRICING.getMetricDataPer1000Metrics };
  });
  // The target is stated for 50 tenants: scale linearly (series grow with tenants) to compare fleets of any size.
  const at50 = (cost.alertEvaluation.usdPerMonth / Math.max(1, cost.tenants)) * 50;
  return { fleet: kind, ...cost, withinAlertBudgetAt50: cost.tenants > 0 ? at50 <= ALERT_EVALUATION_BUDGET_USD : null, dashboards };
}

const usd = (value: number): string => `$${value.toFixed(2)}`;
const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function printEstimate(io: Io, e: FleetEstimate): void {
  io.stdout(
    `\n${e.fleet === 'shipped' ? 'Shipped fleet' : 'Generated fleet'}: ${e.tenants} tenants, ${e.sloClasses} SLO classes, ${e.alertRules} alert rules\n\n`,
  );
  io.stdout(
    formatTable(
      ['rule group', 'rules', 'every', 'evals/month', 'metrics/eval', 'metrics/month', 'USD/month'],
      e.alertEvaluation.groups.map((g) => [g.name, g.rules, `${g.intervalSeconds}s`, count(g.evaluationsPerMonth), count(g.metricsPerEvaluation), count(g.metricsPerMonth), usd(g.usdPerMonth)]),
    ),
  );
  io.stdout(`alert evaluation (GetMetricData)      ${usd(e.alertEvaluation.usdPerMonth)}/month  (${count(e.alertEvaluation.metricsPerMonth)} metrics × $0.01/1,000)\n`);
  io.stdout(`\noperational alarms: ${e.opsAlarms.classes} classes (alarm × threshold × severity), ${e.opsAlarms.rules} rules\n\n`);
  io.stdout(
    formatTable(
      ['rule group', 'rules', 'every', 'evals/month', 'metrics/eval', 'metrics/month', 'USD/month'],
      e.opsAlarms.groups.map((g) => [g.name, g.rules, `${g.intervalSeconds}s`, count(g.evaluationsPerMonth), count(g.metricsPerEvaluation), count(g.metricsPerMonth), usd(g.usdPerMonth)]),
    ),
  );
  io.stdout(`operational alarms (GetMetricData)    ${usd(e.opsAlarms.usdPerMonth)}/month  (${count(e.opsAlarms.metricsPerMonth)} metrics × $0.01/1,000)\n`);
  io.stdout(`custom metrics (EMF and access-log metric filters, ${e.customMetrics.metricNames} names)  ${usd(e.customMetrics.usdPerMonth)}/month  (${count(e.customMetrics.count)} metrics)\n`);
  io.stdout(`total                                 ${usd(e.totalUsdPerMonth)}/month\n`);
  if (e.withinAlertBudgetAt50 !== null) {
    io.stdout(`SLO alert evaluation scaled to 50 tenants ${e.withinAlertBudgetAt50 ? '≤' : '>'} $${ALERT_EVALUATION_BUDGET_USD}/month target\n`);
  }
  io.stdout('\ndashboards (one full load, all panels):\n');
  io.stdout(formatTable(['dashboard', 'panels', 'metrics/load', 'USD per 1,000 loads'], e.dashboards.map((d) => [d.uid, d.panels, count(d.metricsPerLoad), usd(d.usdPer1000Loads)])));
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const { values } = parseCommandArgs(
      args,
      { tenants: { type: 'string' }, generate: { type: 'string' }, 'tenant-count': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      { allowPositionals: false },
    );
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const generated = positiveNumber('generate', values.generate ?? values['tenant-count'], 500, { integer: true });
    const shipped = loadFleet(values.tenants ?? 'tenants');
    const estimates = [estimate(shipped, 'shipped'), estimate(generateFleet(shipped, generated), 'generated')];
    if (values.json) printJson(io, { pricing: PRICING, estimates });
    else {
      for (const e of estimates) printEstimate(io, e);
      io.stdout('\nFormula and assumptions: docs/observability.md#cost\n');
    }
    return 0;
  });
}
