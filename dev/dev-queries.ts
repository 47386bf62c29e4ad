/** The dev fleet's SQL (parameterized; identifiers only from validated tenant ids). */
import { Client } from 'pg';
import type { Pool } from 'pg';
import type { DeadLetter } from './local-queue';

/** Database name of a tenant: `<prefix><id with - as _>` (tenant ids are [a-z0-9-], so this is a safe identifier). */
export function tenantDatabaseName(prefix: string, tenantId: string): string {
  const name = `${prefix}${tenantId.replace(/-/g, '_')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`cannot derive a database name from tenant id '${tenantId}' (got '${name}')`);
  return name;
}

/** Creates the databases that do not exist yet; returns the names created. */
export async function ensureDatabases(adminUrl: string, names: readonly string[]): Promise<string[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
    const existing = new Set(rows.map((r) => r.datname));
    const created: string[] = [];
    for (const name of names) {
      if (existing.has(name)) continue;
      // CREATE DATABASE takes no parameters; the name was validated by tenantDatabaseName.
      await client.query(`CREATE DATABASE "${name}"`);
      created.push(name);
    }
    return created;
  } finally {
    await client.end();
  }
}

export async function insertDeadLetter(pool: Pool, letter: DeadLetter): Promise<void> {
  await pool.query(
    `INSERT INTO dead_letters (message_id, body, reason, receive_count) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING`,
    [letter.messageId, letter.body, letter.reason, letter.receiveCount],
  );
}

export interface StoredDeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly reason: string;
  readonly receiveCount: number;
}

export async function listDeadLetters(pool: Pool): Promise<StoredDeadLetter[]> {
  const { rows } = await pool.query<{ message_id: string; body: string; reason: string; receive_count: number }>(
    'SELECT message_id, body, reason, receive_count FROM dead_letters ORDER BY failed_at, message_id',
  );
  return rows.map((r) => ({ messageId: r.message_id, body: r.body, reason: r.reason, receiveCount: r.receive_count }));
}
