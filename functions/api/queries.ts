import type { Pool, QueryConfig } from 'pg';
import { RECORD_COLUMNS, toStoredRecord, type RecordRow, type StoredRecord } from '../shared/record';
import type { ListRecordsQuery } from './params';

/**
 * Every SQL statement of the API, all parameterized: values only ever travel as bind parameters ($1…), never in the
 * SQL text. The WHERE clause is assembled from fixed fragments only.
 */

// The cursor needs occurred_at at PostgreSQL's full (microsecond) precision: a JS Date rounds to milliseconds, and a
// rounded position would skip or repeat rows. Items themselves use the shared millisecond ISO shape.
const COLUMNS = `${RECORD_COLUMNS}, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_key`;

type PositionedRow = RecordRow & { position_key: string };

/** A record of a page plus its exact keyset position (for the next cursor). */
export interface PagedRecord {
  readonly record: StoredRecord;
  /** Exact occurred_at (microseconds) of the record, for the cursor. */
  readonly positionKey: string;
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
  values.push(query.limit + 1);
  return {
    text: `SELECT ${COLUMNS} FROM records${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY occurred_at, id LIMIT $${values.length}`,
    values,
  };
}

export interface RecordPage {
  readonly items: readonly PagedRecord[];
  /** True when at least one more record follows the last item. */
  readonly hasMore: boolean;
}

export interface RecordQueries {
  listRecords(query: ListRecordsQuery): Promise<RecordPage>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  /** OFFSET pagination: only the benchmark's baseline uses it (it is what keyset pagination is measured against). */
  listRecordsByOffset(offset: number, limit: number): Promise<readonly StoredRecord[]>;
  /** Liveness probe of the database, bounded by timeoutMs. */
  ping(timeoutMs: number): Promise<void>;
}

/** Anything with pg's `query`: a Pool in production, a Pool per tenant database in the dev fleet. */
export type Queryable = Pick<Pool, 'query'>;

export function createRecordQueries(db: Queryable): RecordQueries {
  return {
    async listRecords(query) {
      const result = await db.query<PositionedRow>(listRecordsStatement(query));
      const hasMore = result.rows.length > query.limit;
      const items = result.rows.slice(0, query.limit).map((row) => ({ record: toStoredRecord(row), positionKey: row.position_key }));
      return { items, hasMore };
    },
    async getRecord(id) {
      const result = await db.query<RecordRow>({ text: `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, values: [id] });
      const row = result.rows[0];
      return row === undefined ? undefined : toStoredRecord(row);
    },
    async listRecordsByOffset(offset, limit) {
      const result = await db.query<RecordRow>({
        text: `SELECT ${RECORD_COLUMNS} FROM records ORDER BY occurred_at, id OFFSET $1 LIMIT $2`,
        values: [offset, limit],
      });
      return result.rows.map(toStoredRecord);
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
