import { burnRateThresholds, burnRateWindows, SRE_WORKBOOK_WINDOWS } from './slo-windows';

describe('burnRateWindows', () => {
  test('reproduces SRE Workbook table 5-8 for a 30-day window', () => {
    const table = burnRateWindows(30).map((w) => [w.severity, w.longWindowMinutes, w.shortWindowMinutes, w.burnRate, w.budgetShare]);
    expect(table).toEqual([
      ['page', 60, 5, 14.4, 0.02],
      ['page', 360, 30, 6, 0.05],
      ['ticket', 1440, 120, 3, 0.1],
      ['ticket', 4320, 360, 1, 0.1],
    ]);
  });

  test('keeps every short window at 1/12 of its long window', () => {
    for (const spec of SRE_WORKBOOK_WINDOWS) expect(spec.longWindowMinutes / spec.shortWindowMinutes).toBe(12);
  });

  test('scales windows with the SLO window and keeps budget shares (28 days)', () => {
    const [page1h] = burnRateWindows(28);
    expect(page1h.longWindowMinutes).toBe(56);
    expect(page1h.shortWindowMinutes).toBe(5);
    // budget consumed at threshold = burnRate × long ÷ SLO window = the share, exactly
    for (const w of burnRateWindows(28)) expect((w.burnRate * w.longWindowMinutes) / (28 * 24 * 60)).toBeCloseTo(w.budgetShare, 6);
  });

  test('fails if the SLO window is not positive', () => {
    expect(() => burnRateWindows(0)).toThrow(/positive number of days \(got 0\)/);
  });
});

describe('burnRateThresholds', () => {
  test.each([
    // target, [page 1h, page 6h, ticket 1d, ticket 3d] error-ratio thresholds
    [0.999, [0.0144, 0.006, 0.003, 0.001]],
    [0.99, [0.144, 0.06, 0.03, 0.01]],
    [0.9995, [0.0072, 0.003, 0.0015, 0.0005]],
    [0.95, [0.72, 0.3, 0.15, 0.05]],
  ])('SLO %p → error-ratio thresholds %p', (target, expected) => {
    const thresholds = burnRateThresholds(target, 30).map((t) => t.errorRatioThreshold);
    thresholds.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 10));
  });

  test('99.9 % pages at 1.44 % error ratio over 1 h and 5 m', () => {
    const [page] = burnRateThresholds(0.999);
    expect(page).toMatchObject({ severity: 'page', longWindowMinutes: 60, shortWindowMinutes: 5, errorRatioThreshold: 0.0144 });
  });

  test('marks pairs that can never fire as not attainable (90 % SLO at burn 14.4)', () => {
    const [page1h, page6h] = burnRateThresholds(0.9);
    expect(page1h.errorRatioThreshold).toBeCloseTo(1.44, 10);
    expect(page1h.attainable).toBe(false);
    expect(page6h.attainable).toBe(true);
  });

  test('fails if the target is not a fraction', () => {
    expect(() => burnRateThresholds(99.9)).toThrow(/fraction in \(0, 1\).*got 99.9/);
  });
});
