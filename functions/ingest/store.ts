/**
 * The ingest function's SQL (parameterized only). Two ways to write a batch, both one statement and one commit:
 *
 * 1. Fast path, batches of {@link COPY_MIN_BATCH}+ records: `COPY records … FROM STDIN` (pg-copy-streams). COPY fills heap
 *    pages with multi-row inserts and writes far less WAL than INSERT, but it is not idempotent by itself: it is atomic, so
 *    if any id is already stored (unique violation — a redelivery) or any row is refused, NOTHING was written and the batch
 *    falls through to path 2. Fresh records — the normal case — therefore go in at COPY speed, and redelivery still never
 *    duplicates. It costs one extra network round trip (COPY waits for the server's CopyInResponse), which is why small
 *    batches skip it.
 * 2. `INSERT … SELECT FROM ROWS FROM (unnest($1::text[]), …, json_array_elements($4::json), …)
 *    ON CONFLICT (id) DO NOTHING RETURNING id` — one round trip; RETURNING tells which ids were new (RecordsIngested) versus
 *    already stored. ROWS FROM zips the columns like a multi-argument unnest; payloads travel as ONE JSON array
 *    (`[p1,p2,…]`) instead of a json[] literal, which spares escaping every quote of every payload on the client and
 *    de-escaping it again in array_in (≈9 % less statement time at batch 1000, measured); json_array_elements hands back
 *    each element's text as is.
 *
 * If PostgreSQL rejects the INSERT because of one row's DATA (a value the schema let through but the server refuses), the
 * batch is bisected so that only the offending rows are rejected and every other row is stored; any other error
 * (connection lost, server down, schema missing) propagates so the whole batch is retried.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AcceptedMessage, Rejection } from './parse';

/** Smallest batch written with COPY first (below it the extra round trip costs more than COPY saves). */
export const COPY_MIN_BATCH = 100;

const COPY_RECORDS = 'COPY records (id, type, occurred_at, payload, message_id, published_at) FROM STDIN';

/** Named so each pooled connection parses and plans it once. */
const INSERT_RECORDS = {
  name: 'flota_ingest_insert_records',
  text: `INSERT INTO records (id, type, occurred_at, payload, message_id, published_at)
SELECT id, type, occurred_at, payload, message_id, published_at
FROM ROWS FROM (
  unnest($1::text[]),
  unnest($2::text[]),
  unnest($3::timestamptz[]),
  json_array_elements($4::json),
  unnest($5::text[]),
  unnest($6::timestamptz[])
) AS batch(id, type, occurred_at, payload, message_id, published_at)
ON CONFLICT (id) DO NOTHING
RETURNING id`,
};

export interface StoreResult {
  /** Messages whose record was newly stored by this call. */
  stored: AcceptedMessage[];
  /** Messages whose record id was already stored (redelivery, re-publish): acknowledged, not stored again. */
  duplicates: AcceptedMessage[];
  /** Messages the database refused because of their content (reported as batch item failures). */
  rejected: Rejection[];
  /** How the batch was written: `copy` (fast path, all new) or `insert` (ON CONFLICT path). */
  method: 'copy' | 'insert' | 'none';
}

export interface StoreOptions {
  /** Smallest batch that tries COPY first (default {@link COPY_MIN_BATCH}; Infinity = always INSERT, for the benchmark). */
  copyMinBatch?: number;
}

/** Inserts the messages' records (ids must be unique within `messages`; see uniqueById). */
export async function storeRecords(
  pool: Pool,
  messages: readonly AcceptedMessage[],
  { copyMinBatch = COPY_MIN_BATCH }: StoreOptions = {},
): Promise<StoreResult> {
  if (messages.length === 0) return { stored: [], duplicates: [], rejected: [], method: 'none' };
  if (messages.length >= copyMinBatch && (await tryCopy(pool, messages))) {
    return { stored: [...messages], duplicates: [], rejected: [], method: 'copy' };
  }
  const result: StoreResult = { stored: [], duplicates: [], rejected: [], method: 'insert' };
  await insertOrBisect(pool, messages, result);
  return result;
}

/**
 * COPYs the batch; true when every row was stored. False when the COPY was refused as a whole because of an existing id
 * or a row's data (nothing written; the caller takes the INSERT path). Other errors propagate.
 */
async function tryCopy(pool: Pool, messages: readonly AcceptedMessage[]): Promise<boolean> {
  const client = await pool.connect();
  let healthy = true;
  try {
    const rows = new Array<string>(messages.length);
    for (let i = 0; i < messages.length; i++) rows[i] = copyRow(messages[i]!);
    await pipeline(Readable.from([rows.join('')]), client.query(copyFrom(COPY_RECORDS)));
    return true;
  } catch (error) {
    if (isDataError(error)) return false; // includes 23505 unique_violation: a redelivered id
    healthy = false;
    throw error;
  } finally {
    // After a refused COPY the server is back in normal state (it ignores the rest of the copy data), so the connection
    // is reused; after any other error it is discarded.
    client.release(!healthy);
  }
}

/** One row of COPY text format: tab-separated; backslash, tab, newline, carriage return escaped; NULL as \N. */
function copyRow({ record, payloadJson, messageId, sentAt }: AcceptedMessage): string {
  const publishedAt = sentAt === null ? '\\N' : new Date(sentAt).toISOString();
  return `${record.id}\t${copyText(record.type)}\t${record.occurredAt}\t${copyText(payloadJson)}\t${copyText(messageId)}\t${publishedAt}\n`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function insertOrBisect(pool: Pool, messages: readonly AcceptedMessage[], result: StoreResult): Promise<void> {
  let inserted: Set<string>;
  try {
    inserted = await insert(pool, messages);
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (messages.length === 1) {
      const [message] = messages as [AcceptedMessage];
      result.rejected.push({
        messageId: message.messageId,
        recordId: message.record.id,
        reason: `database refused the record: ${describeDatabaseError(error)}`,
      });
      return;
    }
    const middle = Math.ceil(messages.length / 2);
    await insertOrBisect(pool, messages.slice(0, middle), result);
    await insertOrBisect(pool, messages.slice(middle), result);
    return;
  }
  for (const message of messages) {
    (inserted.has(message.record.id) ? result.stored : result.duplicates).push(message);
  }
}

async function insert(pool: Pool, messages: readonly AcceptedMessage[]): Promise<Set<string>> {
  const n = messages.length;
  const ids = new Array<string>(n);
  const types = new Array<string>(n);
  const occurredAts = new Array<string>(n);
  const payloads = new Array<string>(n);
  const messageIds = new Array<string>(n);
  const publishedAts = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const { record, payloadJson, messageId, sentAt } = messages[i]!;
    ids[i] = record.id;
    types[i] = record.type;
    occurredAts[i] = record.occurredAt;
    payloads[i] = payloadJson;
    messageIds[i] = messageId;
    publishedAts[i] = sentAt === null ? null : new Date(sentAt).toISOString();
  }
  const { rows } = await pool.query<{ id: string }>({
    ...INSERT_RECORDS,
    values: [ids, types, occurredAts, `[${payloads.join(',')}]`, messageIds, publishedAts],
  });
  return new Set(rows.map((row) => row.id));
}

function describeDatabaseError(error: unknown): string {
  const { message, detail, code } = error as { message?: string; detail?: string; code?: string };
  return `${message ?? String(error)}${detail ? ` (${detail})` : ''}${code ? ` [SQLSTATE ${code}]` : ''}`;
}

/**
 * SQLSTATE classes caused by a row's content rather than by the server's state: 22 data exception (bad timestamp, invalid
 * JSON…), 23 integrity constraint (CHECK), 54 program limit (e.g. nesting too deep).
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code.startsWith('54'));
}
