/**
 * The database roles, prepared by the migration runner BEFORE any migration, every time it runs (idempotent), as the
 * user the migrate function connects as (the RDS master user, the only holder of the master secret):
 *
 * - creates `flota_owner` (NOLOGIN), `flota_ingest` and `flota_api` (LOGIN, no password: on RDS they are granted
 *   `rds_iam`, so they authenticate only with IAM auth tokens, i.e. `rds-db:connect` on their own db user);
 * - makes the connecting user a member of `flota_owner` (so it can `SET ROLE` to it; CREATEROLE on PostgreSQL 16+ gives
 *   the creator only ADMIN OPTION);
 * - hands the `public` schema and every table the connecting user still owns there (databases migrated before the
 *   roles existed) to `flota_owner`, and takes CREATE on `public` (and TEMP on the database) away from PUBLIC, so no
 *   function role can create anything.
 *
 * Every migration then runs under `SET LOCAL ROLE flota_owner` (see shared/migrations.ts), so what it creates is owned
 * by the owner role, never by the master user; the grants the function roles get are migrations (0005 onwards).
 *
 * Roles are cluster-wide while migrations are per database: several databases of one server (the tests, the dev fleet)
 * may prepare at the same moment, so every CREATE/GRANT tolerates the other having won the race.
 * (Comments here are outside `sql`; `sql` is part of migrationsChecksum(), so a change re-runs the migrate function.)
 */
import { DB_ROLE } from '../../contract/database';

const LOGIN_ROLES = [DB_ROLE.ingest, DB_ROLE.api] as const;

const createRole = (name: string, login: boolean) => `
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN
    BEGIN
      CREATE ROLE ${name} ${login ? 'LOGIN' : 'NOLOGIN'} NOSUPERUSER NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;`;

/** `GRANT role TO member` unless already a member (the member is an SQL expression yielding a role name). */
const grantRole = (role: string, member: string) => `
  IF NOT pg_has_role(${member}, '${role}', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT %I TO %I', '${role}', ${member});
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;`;

export const sql = `
DO $roles$
DECLARE
  t record;
BEGIN
${createRole(DB_ROLE.owner, false)}
${LOGIN_ROLES.map((role) => createRole(role, true)).join('\n')}
${grantRole(DB_ROLE.owner, 'current_user')}
  -- RDS only: rds_iam makes a role log in with IAM auth tokens (and never with a password).
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
${LOGIN_ROLES.map((role) => grantRole('rds_iam', `'${role}'`)).join('\n')}
  END IF;
  ALTER SCHEMA public OWNER TO ${DB_ROLE.owner};
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO ${DB_ROLE.owner}', t.tablename);
  END LOOP;
END
$roles$;
`;
