/**
 * The ordered list of schema migrations, embedded as modules (not read from a directory at run time) so the single-file
 * esbuild bundle of the migrate function carries them, and so the tenant stack can import {@link migrationsChecksum} at
 * synth time: its aws_lambda_invocation re-runs the migrate function exactly when this checksum changes.
 *
 * Rules: never edit or reorder an applied migration (the runner refuses a checksum mismatch); add a new file
 * `NNNN-<what>.ts` exporting `sql` and append it here. Each migration runs in its own transaction.
 */
import { createHash } from 'node:crypto';
import * as m0001 from './0001-create-records';
import * as m0002 from './0002-create-dead-letters';
import * as m0003 from './0003-payload-as-json';
import * as m0004 from './0004-record-id-bytewise';
import * as m0005 from './0005-function-roles';
import * as roles from './roles';

export interface Migration {
  /** Unique, sortable name: `NNNN-<what>`, the file name without extension. */
  readonly name: string;
  readonly sql: string;
  /** sha256 (hex) of `sql`. */
  readonly checksum: string;
}

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: sha256(sql) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** All migrations, sorted by name. */
export const MIGRATIONS: readonly Migration[] = [
  migration('0001-create-records', m0001.sql),
  migration('0002-create-dead-letters', m0002.sql),
  migration('0003-payload-as-json', m0003.sql),
  migration('0004-record-id-bytewise', m0004.sql),
  migration('0005-function-roles', m0005.sql),
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Names of all migrations, in order. */
export function migrationNames(): string[] {
  return MIGRATIONS.map((m) => m.name);
}

/**
 * The roles step the runner applies before the migrations, every time (idempotent; see roles.ts). Not a numbered
 * migration: it must run as the connecting (master) user, while migrations run as the owner role it creates.
 */
export const ROLES_SQL: string = roles.sql;

/**
 * One sha256 over the roles step and every migration's name and checksum, in order: deterministic, and changes whenever
 * a migration is added, renamed or edited, or the roles change. Pure (no I/O), safe to call at synth time.
 */
export function migrationsChecksum(migrations: readonly Migration[] = MIGRATIONS): string {
  return sha256(`roles\t${sha256(ROLES_SQL)}\n${migrations.map((m) => `${m.name}\t${m.checksum}\n`).join('')}`);
}
