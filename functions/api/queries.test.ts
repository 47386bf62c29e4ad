import { isoMicroseconds, isoMilliseconds } from './queries';

// timestamptz text as PostgreSQL 17 prints it in flota's sessions (TimeZone UTC, DateStyle ISO): fraction trimmed.
describe('page timestamps (PostgreSQL ISO text in UTC → ISO-8601 UTC)', () => {
  it.each([
    ['2026-01-31 12:00:00+00', '2026-01-31T12:00:00.000Z', '2026-01-31T12:00:00.000000Z'],
    ['2026-01-31 12:00:00.5+00', '2026-01-31T12:00:00.500Z', '2026-01-31T12:00:00.500000Z'],
    ['2026-01-31 12:00:00.123456+00', '2026-01-31T12:00:00.123Z', '2026-01-31T12:00:00.123456Z'],
    ['1999-12-31 23:59:59.9996+00', '1999-12-31T23:59:59.999Z', '1999-12-31T23:59:59.999600Z'],
    ['2026-01-01 00:00:25.000001+00', '2026-01-01T00:00:25.000Z', '2026-01-01T00:00:25.000001Z'],
    ['0001-01-01 00:00:00+00', '0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000000Z'],
  ])('%s → %s (items, truncated like Date) and %s (cursor, exact)', (text, ms, us) => {
    expect(isoMilliseconds(text)).toBe(ms);
    expect(isoMicroseconds(text)).toBe(us);
  });

  it('gives what Date#toISOString gives for the same instant', () => {
    for (const iso of ['2026-11-26T10:47:20.154Z', '2000-02-29T00:00:00.000Z', '2026-01-01T00:00:00.010Z']) {
      const text = `${iso.slice(0, -1).replace('T', ' ').replace(/\.?0+$/, '')}+00`;
      expect(isoMilliseconds(text)).toBe(new Date(iso).toISOString());
    }
  });

  it.each([
    ['another time zone', '2026-01-31 13:00:00+01'],
    ['a half-hour offset', '2026-01-31 12:00:00+05:30'],
    ['another DateStyle', 'Sat Jan 31 12:00:00 2026 UTC'],
    ['to_json text', '"2026-01-31T12:00:00"'],
  ])('refuses %s loudly instead of returning a wrong instant', (_what, text) => {
    expect(() => isoMilliseconds(text)).toThrow(/is not ISO text in UTC: connect with db\.ts createPool/);
  });
});
