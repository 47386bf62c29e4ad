/** Seeding helpers shared by the API tests and the API benchmark (one INSERT … SELECT generate_series, fast). */
import type { Pool } from 'pg';

/** Inserts `count` records with ids `${prefix}-000001`… spread over time (pairs share a timestamp, to test ties; odd ones sit 1 µs later, to test precision). */
export async function seedRecords(pool: Pool, count: number, prefix = 'r', start = '2026-01-01T00:00:00Z', realistic = false): Promise<void> {
  // realistic: a ~250-byte payload like a real order event (the benchmark); otherwise a tiny one (tests).
  const payload = realistic
    ? `jsonb_build_object('n', g, 'orderId', 'ord-' || g, 'customer', jsonb_build_object('id', 'cus-' || (g % 5000), 'tier', 'gold'),
        'lines', jsonb_build_array(jsonb_build_object('sku', 'sku-' || (g % 977), 'qty', 1 + g % 3, 'price', 19.99)),
        'total', 19.99 * (1 + g % 3), 'currency', 'EUR', 'channel', 'web', 'note', repeat('x', 40))`
    : `jsonb_build_object('n', g)`;
  await pool.query(
    `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at)
     SELECT $1 || '-' || lpad(g::text, 6, '0'), 'seed', $2::timestamptz + ((g / 4) * interval '1 millisecond') + ((g % 2) * interval '1 microsecond'),
            ${payload}, 'm-' || g, $2::timestamptz + ((g / 4) * interval '1 millisecond')
     FROM generate_series(1, $3::int) AS g`,
    [prefix, start, count],
  );
}
