import type { Pool, QueryConfig } from 'pg';
import { RECORD_COLUMNS, toStoredRecord, type RecordRow, type StoredRecord } from '../shared/record';
import type { ListRecordsQuery } from './params';

/**
 * Every SQL statement of the API, all parameterized: values only ever travel as bind parameters ($1…), never in the
 * SQL text. The WHERE clause is assembled from fixed fragments only.
 */

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** ISO-8601 UTC with microseconds: the cursor needs PostgreSQL's full precision (a rounded position would skip rows). */
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * A page's items are serialized to JSON by PostgreSQL (json_agg in C), and the API sends that text as is: parsing 100
 * rows into JS objects (jsonb, three timestamps each) only to stringify them again was most of a page's CPU time in
 * node. The object has exactly the shared StoredRecord shape (record.ts), timestamps as ISO-8601 UTC with milliseconds
 * like Date#toISOString.
 */
const ITEM_JSON = `json_build_object(
    'id', id, 'type', type,
    'occurredAt', to_char(occurred_at AT TIME ZONE 'UTC', ${ISO_MS}),
    'payload', payload, 'messageId', message_id,
    'publishedAt', to_char(published_at AT TIME ZONE 'UTC', ${ISO_MS}),
    'ingestedAt', to_char(ingested_at AT TIME ZONE 'UTC', ${ISO_MS}))`;

/** Wraps a row source (ordered by occurred_at, id; up to `limit` + 1 rows) into one row: the page as JSON text, rows fetched, last position. */
function pageOf(source: string, limitParameter: string): string {
  return `WITH fetched AS (${source}),
    page AS (SELECT *, row_number() OVER (ORDER BY occurred_at, id) AS n FROM fetched)
  SELECT coalesce(json_agg(${ITEM_JSON} ORDER BY n) FILTER (WHERE n <= ${limitParameter}), '[]')::text AS items,
         count(*)::int AS fetched,
         -- The cursor is only needed when another page follows, and then the last item is row number = limit exactly:
         -- no extra sort, and one to_char instead of one per row.
         min(to_char(occurred_at AT TIME ZONE 'UTC', ${ISO_US})) FILTER (WHERE n = ${limitParameter}) AS last_position,
         min(id) FILTER (WHERE n = ${limitParameter}) AS last_id
  FROM page`;
}

/** Builds the keyset page query; exported for tests and EXPLAIN. Fetches limit + 1 rows to know if another page exists. */
export function listRecordsStatement(query: ListRecordsQuery): QueryConfig {
  const values: unknown[] = [];
  const where: string[] = [];
  if (query.from !== undefined) {
    values.push(query.from);
    where.push(`occurred_at >= $${values.length}::timestamptz`);
  }
  if (query.to !== undefined) {
    values.push(query.to);
    where.push(`occurred_at < $${values.length}::timestamptz`);
  }
  if (query.after !== undefined) {
    values.push(query.after.occurredAt, query.after.id);
    // Row comparison matches ORDER BY and the (occurred_at, id) index, so each page is one index range scan.
    where.push(`(occurred_at, id) > ($${values.length - 1}::timestamptz, $${values.length}::text)`);
  }
  values.push(query.limit);
  const limit = `$${values.length}::int`;
  const source = `SELECT ${RECORD_COLUMNS} FROM records${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY occurred_at, id LIMIT ${limit} + 1`;
  // Named (prepared once per connection, plan cached): saves the planning time on every page. Four fixed variants.
  const variant = `${query.from === undefined ? '' : 'f'}${query.to === undefined ? '' : 't'}${query.after === undefined ? '' : 'a'}`;
  return { name: `api_list_records_${variant || 'all'}`, text: pageOf(source, limit), values };
}

export interface RecordPage {
  /** JSON array text of the page's items (StoredRecord objects), ready to send. */
  readonly itemsJson: string;
  /** Items on the page. */
  readonly count: number;
  /** True when at least one more record follows the last item. */
  readonly hasMore: boolean;
  /** Keyset position of the last item (exact occurred_at, id), when another page follows. */
  readonly last?: { readonly occurredAt: string; readonly id: string };
}

export interface RecordQueries {
  listRecords(query: ListRecordsQuery): Promise<RecordPage>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  /** OFFSET pagination: only the benchmark's baseline uses it (it is what keyset pagination is measured against). */
  listRecordsByOffset(offset: number, limit: number): Promise<RecordPage>;
  /** Liveness probe of the database, bounded by timeoutMs. */
  ping(timeoutMs: number): Promise<void>;
}

interface PageRow {
  items: string;
  fetched: number;
  last_position: string | null;
  last_id: string | null;
}

function toPage(row: PageRow | undefined, limit: number): RecordPage {
  if (row === undefined) return { itemsJson: '[]', count: 0, hasMore: false };
  return {
    itemsJson: row.items,
    count: Math.min(row.fetched, limit),
    hasMore: row.fetched > limit,
    ...(row.last_position !== null && row.last_id !== null ? { last: { occurredAt: row.last_position, id: row.last_id } } : {}),
  };
}

/** Anything with pg's `query`: a Pool in production, a Pool per tenant database in the dev fleet. */
export type Queryable = Pick<Pool, 'query'>;

export function createRecordQueries(db: Queryable): RecordQueries {
  return {
    async listRecords(query) {
      const result = await db.query<PageRow>(listRecordsStatement(query));
      return toPage(result.rows[0], query.limit);
    },
    async getRecord(id) {
      const result = await db.query<RecordRow>({ text: `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, values: [id] });
      const row = result.rows[0];
      return row === undefined ? undefined : toStoredRecord(row);
    },
    async listRecordsByOffset(offset, limit) {
      const source = `SELECT ${RECORD_COLUMNS} FROM records ORDER BY occurred_at, id OFFSET $1 LIMIT $2::int + 1`;
      const result = await db.query<PageRow>({ name: 'api_list_records_offset', text: pageOf(source, '$2::int'), values: [offset, limit] });
      return toPage(result.rows[0], limit);
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DatabaseTimeoutError(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([db.query('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The health probe timed out: treated like an unreachable database (503). */
export class DatabaseTimeoutError extends Error {
  override readonly name = 'DatabaseTimeoutError';
}
