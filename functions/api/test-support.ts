/** Seeding helpers shared by the API tests and the API benchmark (one INSERT … SELECT generate_series, fast). */
import type { Pool } from 'pg';

/** Inserts `count` records with ids `${prefix}-000001`… spread over time (pairs share a timestamp, to test ties; odd ones sit 1 µs later, to test precision). */
export async function seedRecords(pool: Pool, count: number, prefix = 'r', start = '2026-01-01T00:00:00Z'): Promise<void> {
  await pool.query(
    `INSERT INTO records (id, type, occurred_at, payload, message_id)
     SELECT $1 || '-' || lpad(g::text, 6, '0'), 'seed', $2::timestamptz + ((g / 4) * interval '1 millisecond') + ((g % 2) * interval '1 microsecond'),
            jsonb_build_object('n', g), 'm-' || g
     FROM generate_series(1, $3::int) AS g`,
    [prefix, start, count],
  );
}
