/** Seeding helpers shared by the API tests and the API benchmark (one INSERT … SELECT generate_series, fast). */
import type { Pool } from 'pg';

/** Inserts `count` records with ids `${prefix}-000001`… spread over time (pairs share a timestamp, to test ties; odd ones sit 1 µs later, to test precision). */
export async function seedRecords(pool: Pool, count: number, prefix = 'r', start = '2026-01-01T00:00:00Z', realistic = false): Promise<void> {
  // Payloads are stored as ingest stores them: compact JSON text (JSON.stringify output; the column is json, kept verbatim).
  // realistic: a ~230-byte payload like a real order event (the benchmark); otherwise a tiny one (tests).
  const payload = realistic
    ? `format('{"n":%s,"orderId":"ord-%s","customer":{"id":"cus-%s","tier":"gold"},"lines":[{"sku":"sku-%s","qty":%s,"price":19.99}],'
        || '"total":%s,"currency":"EUR","channel":"web","note":"%s"}', g, g, g % 5000, g % 977, 1 + g % 3, 19.99 * (1 + g % 3), repeat('x', 40))::json`
    : `format('{"n":%s}', g)::json`;
  await pool.query(
    `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at)
     SELECT $1 || '-' || lpad(g::text, 6, '0'), 'seed', $2::timestamptz + ((g / 4) * interval '1 millisecond') + ((g % 2) * interval '1 microsecond'),
            ${payload}, 'm-' || g, $2::timestamptz + ((g / 4) * interval '1 millisecond')
     FROM generate_series(1, $3::int) AS g`,
    [prefix, start, count],
  );
}
