/**
 * The PostgreSQL roles of a tenant database (created by the migrate function, functions/migrations/roles.ts) and the
 * role each function logs in as. The tenant stack scopes each function's `rds-db:connect` to its own role, so both sides
 * import the names from here.
 *
 * - owner: NOLOGIN, owns the schema and every table; migrations run `SET ROLE` to it. The RDS master user (read only
 *   by the migrate function) is a member, nothing else is.
 * - ingest: logs in with IAM database authentication; SELECT, INSERT on records (INSERT … ON CONFLICT … RETURNING id
 *   needs SELECT). No UPDATE, DELETE, DDL, or any other table or schema.
 * - api: logs in with IAM database authentication; SELECT on records. POST only publishes to SNS (ingest writes), so
 *   it needs nothing more: no INSERT, no DDL.
 */
export const DB_ROLE = {
  owner: 'flota_owner',
  ingest: 'flota_ingest',
  api: 'flota_api',
} as const;
export type DbRoleName = (typeof DB_ROLE)[keyof typeof DB_ROLE];
