import { loadFleet } from '..';
import * as path from 'node:path';
import { sloClasses, sloRuleGroups, type SloRuleGroup } from '../model/slo-rules';
import { testFleet } from '../testing/fleet-model';
import { detectionTolerance, formatDuration, idealFires, simulateClass, simulateFleet, type ClassSimulation } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const fixture = loadFleet('fleet/manifest/fixtures/good/overrides', { cwd: ROOT });
const pair = (sim: ClassSimulation, scenario: string, windowId: string) => sim.scenarios.find((s) => s.id === scenario)!.pairs.find((p) => p.windowId === windowId)!;

describe('the ideal multiwindow alert (the table the rules are held to)', () => {
  const page1h = { burnRate: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5 };
  test('steady burns fire iff k ≥ the burn rate; a burn must last long enough to fill the windows', () => {
    expect(idealFires(page1h, 14.4)).toBe(true);
    expect(idealFires(page1h, 14.3)).toBe(false);
    expect(idealFires(page1h, 1000, 2)).toBe(true); // 2 min of 100 % errors at 99.9 %: 33× over 1 h, 400× over 5 m
    expect(idealFires(page1h, 20, 30)).toBe(false); // 20× for 30 min is 10× over the hour
  });
  test('durations', () => {
    expect([formatDuration(undefined), formatDuration(0), formatDuration(518.4), formatDuration(3 * 86400 + 3600)]).toEqual(['—', '0s', '8m38s', '3d1h']);
  });
});

describe('simulateClass on the fixture fleet (every class: availability, latency, freshness × two objectives)', () => {
  const sims = simulateFleet(fixture);

  test('one simulation per SLO class, on a tenant of the class, with every scenario of the matrix', () => {
    expect(sims.map((s) => s.sloClass)).toEqual(sloClasses(fixture).map((c) => c.id));
    for (const sim of sims) {
      expect(sim.scenarios.map((s) => s.id)).toEqual([
        ...['1', '2', '3', '6', '10', '14.4', '20', '100'].map((k) => `steady-${k}x`),
        'spike',
        'recovery',
        'low-traffic',
        'no-metrics',
        'no-bad-metric',
      ]);
    }
  });

  test('detection at the burn rate itself is within one evaluation interval (+ the 60 s query offset) of the Workbook for 14.4× / 6× / 3× / 1×', () => {
    for (const sim of sims) {
      for (const [scenario, windowId] of [['steady-14.4x', 'page-1h'], ['steady-6x', 'page-6h'], ['steady-3x', 'ticket-1d'], ['steady-1x', 'ticket-3d']] as const) {
        const p = pair(sim, scenario, windowId);
        expect([sim.sloClass, windowId, Math.abs(p.detectionSeconds! - p.workbookSeconds!) <= detectionTolerance(p)]).toEqual([sim.sloClass, windowId, true]);
      }
    }
  });

  test('every generated rule fires exactly where the table says, and never evaluates to Error', () => {
    const problems = sims.flatMap((s) => s.problems);
    expect(problems).toEqual([]);
  });
});

describe('a broken rule is reported', () => {
  const fleet = testFleet(['acme']);
  const groups = sloRuleGroups(fleet);
  const availability = sloClasses(fleet).find((c) => c.sli === 'availability')!;
  const withMath = (expression: string): SloRuleGroup[] =>
    groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, stages: r.stages.map((s) => (s.refId === 'G' ? { ...s, model: { ...s.model, expression } } : s)) })) }));

  test('a rule that cannot fire fails the table', () => {
    const sim = simulateClass(withMath('0'), availability, 'acme', { scenarios: ['steady-14.4x'] });
    expect(sim.problems).toContain(`${availability.id} steady-14.4x page-1h: never fired where the table says it must (Workbook: 1h)`);
  });

  test('a rule that fires where it must not fails the table', () => {
    const sim = simulateClass(withMath('$D > 0'), availability, 'acme', { scenarios: ['steady-1x'] });
    expect(sim.problems).toEqual(expect.arrayContaining([expect.stringMatching(/steady-1x page-1h: fired after .* where the table says it must not/)]));
  });
});
