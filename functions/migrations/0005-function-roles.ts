/**
 * Least privilege for the functions (roles prepared by roles.ts; this runs as their owner, flota_owner):
 * - flota_ingest: SELECT, INSERT on records — COPY and INSERT … ON CONFLICT (id) DO NOTHING RETURNING id (RETURNING and
 *   the conflict check read the id). No UPDATE/DELETE/TRUNCATE, no other table (dead_letters is the dev fleet's).
 * - flota_api: SELECT on records — list, get, health. POST publishes to SNS and never writes the database.
 * Both: USAGE on schema public (to name the table), nothing on any other schema, no CREATE anywhere.
 * (Comments here are outside `sql`, so they are not part of the migration's checksum.)
 */
export const sql = `
GRANT USAGE ON SCHEMA public TO flota_ingest, flota_api;
GRANT SELECT, INSERT ON TABLE records TO flota_ingest;
GRANT SELECT ON TABLE records TO flota_api;
`;
