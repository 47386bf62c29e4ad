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

/**
 * Text that would mean a database or driver error reached a client: PostgreSQL's own messages (data exceptions,
 * constraint and permission errors, syntax), node-postgres and socket errors, role and host names. The API maps every
 * such error to its own words (docs/api.md "Errors"); these must never appear in a response body.
 */
export const DATABASE_ERROR_TEXT =
  /date\/time field value|out of range for type|invalid input syntax|violates|duplicate key|relation "|column "|syntax error at|permission denied|must be owner|SQLSTATE|ECONNREFUSED|ECONNRESET|ETIMEDOUT|connection terminated|timeout exceeded when trying|password authentication|rds-db|flota_(api|ingest|owner|admin)|postgres|\bat [\w.<>]+ \(|node_modules/i;

/** Every error response body an API test received, for {@link expectNoDatabaseErrorText}. */
export const errorBodies: string[] = [];

/** Wraps a hono app's `request` so every response with status ≥ 400 is recorded in {@link errorBodies}. */
export function recordingErrors<T extends { request: (...args: never[]) => Response | Promise<Response> }>(app: T): T {
  const request = app.request.bind(app) as (...args: unknown[]) => Response | Promise<Response>;
  (app as { request: unknown }).request = async (...args: unknown[]) => {
    const res = await request(...args);
    if (res.status >= 400) errorBodies.push(await res.clone().text());
    return res;
  };
  return app;
}

/** Fails naming every recorded error body that carries database error text (call in afterAll; `atLeast` guards a vacuous pass). */
export function expectNoDatabaseErrorText(atLeast: number): void {
  expect(errorBodies.length).toBeGreaterThanOrEqual(atLeast);
  expect(errorBodies.filter((body) => DATABASE_ERROR_TEXT.test(body))).toEqual([]);
}
