import { isoMicroseconds, isoMilliseconds } from './queries';

// to_json(timestamp) text as PostgreSQL 17 sends it: ISO-8601, quoted, trailing zeros of the fraction dropped.
describe('page timestamps (to_json text → ISO-8601 UTC)', () => {
  it.each([
    ['"2026-01-31T12:00:00"', '2026-01-31T12:00:00.000Z', '2026-01-31T12:00:00.000000Z'],
    ['"2026-01-31T12:00:00.5"', '2026-01-31T12:00:00.500Z', '2026-01-31T12:00:00.500000Z'],
    ['"2026-01-31T12:00:00.123456"', '2026-01-31T12:00:00.123Z', '2026-01-31T12:00:00.123456Z'],
    ['"1999-12-31T23:59:59.9996"', '1999-12-31T23:59:59.999Z', '1999-12-31T23:59:59.999600Z'],
    ['"2026-01-01T00:00:25.000001"', '2026-01-01T00:00:25.000Z', '2026-01-01T00:00:25.000001Z'],
  ])('%s → %s (items, truncated like Date) and %s (cursor, exact)', (text, ms, us) => {
    expect(isoMilliseconds(text)).toBe(ms);
    expect(isoMicroseconds(text)).toBe(us);
  });

  it('gives what Date#toISOString gives for the same instant', () => {
    for (const iso of ['2026-11-26T10:47:20.154Z', '2000-02-29T00:00:00.000Z', '2026-01-01T00:00:00.010Z']) {
      const text = `"${iso.slice(0, -1).replace(/\.?0+$/, '')}"`;
      expect(isoMilliseconds(text)).toBe(new Date(iso).toISOString());
    }
  });
});
