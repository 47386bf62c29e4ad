import type { CustomTypesConfig, Pool, QueryArrayConfig } from 'pg';
import { RECORD_COLUMNS, SMOKE_RECORD_TYPE, toStoredRecord, type RecordRow, type StoredRecord } from '../../contract/record';
import type { ListRecordsQuery } from './params';

/**
 * Every SQL statement of the API, all parameterized: values only ever travel as bind parameters ($1…), never in the
 * SQL text. The WHERE clause is assembled from fixed fragments only.
 */

/**
 * A page is fetched as plain rows and spliced into JSON text in node; nothing is parsed into JS objects:
 * - every column comes back as PostgreSQL's own text (the RAW parser below), so the payload (json: the text ingest stored)
 *   is never JSON.parse'd and timestamps are never turned into Date objects;
 * - timestamps arrive as PostgreSQL prints them in the session flota's pools set up (db.ts SESSION_OPTIONS: TimeZone UTC,
 *   DateStyle ISO): `2026-01-31 12:00:00.123456+00`, and are cut to milliseconds + `Z` in node ({@link isoMilliseconds}),
 *   which is what Date#toISOString (and GET /v1/records/{id}) gives. Text in any other zone is refused loudly.
 * Measured on the bench page (101 rows): formatting the three timestamps in SQL (`to_json(ts AT TIME ZONE 'UTC')`) cost
 * PostgreSQL 0.37 ms of a page's execution against 0.26 ms for the raw columns; building the whole page in SQL
 * (json_build_object + json_agg + to_char) cost ~2.4 ms.
 */

/** One page row, in RECORD_COLUMNS order, every value as PostgreSQL's text. */
type PageRow = [id: string, type: string, occurredAt: string, payload: string, messageId: string, publishedAt: string | null, ingestedAt: string];

/** Keeps every column as the text PostgreSQL sent (no JSON.parse of payloads, no Date for timestamps). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as CustomTypesConfig;

/** Splits PostgreSQL's ISO timestamptz text in UTC (`2026-01-31 12:00:00.123456+00`, fraction trimmed) into `…T…` seconds and fraction. */
function splitTimestamp(text: string): [seconds: string, fraction: string] {
  const space = text.indexOf(' ');
  if (space < 0 || !text.endsWith('+00') || text.charCodeAt(space + 3) !== 58 /* : */) {
    throw new Error(`timestamp ${JSON.stringify(text)} is not ISO text in UTC: connect with db.ts createPool (TimeZone=UTC, DateStyle=ISO)`);
  }
  const end = text.length - 3;
  const seconds = `${text.slice(0, space)}T${text.slice(space + 1, space + 9)}`;
  return [seconds, text.charCodeAt(space + 9) === 46 /* . */ ? text.slice(space + 10, end) : ''];
}

/** ISO-8601 UTC with milliseconds (truncated, like the Date PostgreSQL's driver would build): `2026-01-31T12:00:00.123Z`. */
export function isoMilliseconds(text: string): string {
  const [seconds, fraction] = splitTimestamp(text);
  return `${seconds}.${(fraction + '000').slice(0, 3)}Z`;
}

/** ISO-8601 UTC with microseconds: the cursor needs PostgreSQL's full precision (a rounded position would skip rows). */
export function isoMicroseconds(text: string): string {
  const [seconds, fraction] = splitTimestamp(text);
  return `${seconds}.${(fraction + '000000').slice(0, 6)}Z`;
}

/** The page query: the record columns ordered by occurred_at, id, LIMIT limit + 1 (one extra row tells whether more follow). */
function pageQuery(name: string, where: string, tail: string, values: unknown[]): QueryArrayConfig {
  return {
    name,
    text: `SELECT ${RECORD_COLUMNS} FROM records${where} ORDER BY occurred_at, id ${tail}`,
    values,
    rowMode: 'array',
    types: RAW_TEXT,
  };
}

/**
 * Smoke records (`flota smoke`, type {@link SMOKE_RECORD_TYPE}) live in a partition of the table the API never lists:
 * `GET /v1/records/:id` reads them (that is how the smoke test verifies its record), no page ever contains one, so a
 * tenant's clients never see the post-deploy checks. (A literal, not a parameter: the planner sees it, and the named
 * page statements stay four.)
 */
export const NOT_SMOKE = `type <> '${SMOKE_RECORD_TYPE}'`;

/** Builds the keyset page query; exported for tests and EXPLAIN. Fetches limit + 1 rows to know if another page exists. */
export function listRecordsStatement(query: ListRecordsQuery): QueryArrayConfig {
  const values: unknown[] = [];
  const where: string[] = [NOT_SMOKE];
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
  // Named (prepared once per connection, plan cached): saves the planning time on every page. Four fixed variants.
  const variant = `${query.from === undefined ? '' : 'f'}${query.to === undefined ? '' : 't'}${query.after === undefined ? '' : 'a'}`;
  return pageQuery(
    `api_list_records_${variant || 'all'}`,
    ` WHERE ${where.join(' AND ')}`,
    `LIMIT $${values.length}::int + 1`,
    values,
  );
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

/**
 * Turns up to limit + 1 rows into the page: the items as JSON text (exactly the StoredRecord shape of record.ts, same
 * key order as toStoredRecord), whether more follow, and the exact position of the last item for the next cursor.
 */
function toPage(rows: readonly PageRow[], limit: number): RecordPage {
  const count = Math.min(rows.length, limit);
  let items = '[';
  for (let i = 0; i < count; i++) {
    const [id, type, occurredAt, payload, messageId, publishedAt, ingestedAt] = rows[i]!;
    items +=
      `${i === 0 ? '' : ','}{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"occurredAt":"${isoMilliseconds(occurredAt)}",` +
      `"payload":${payload},"messageId":${JSON.stringify(messageId)},` +
      `"publishedAt":${publishedAt === null ? 'null' : `"${isoMilliseconds(publishedAt)}"`},"ingestedAt":"${isoMilliseconds(ingestedAt)}"}`;
  }
  items += ']';
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    itemsJson: items,
    count,
    hasMore: last !== undefined,
    ...(last === undefined ? {} : { last: { occurredAt: isoMicroseconds(last[2]), id: last[0] } }),
  };
}

/** Anything with pg's `query`: a Pool in production, a Pool per tenant database in the dev fleet. */
export type Queryable = Pick<Pool, 'query'>;

export function createRecordQueries(db: Queryable): RecordQueries {
  return {
    async listRecords(query) {
      const result = await db.query<PageRow>(listRecordsStatement(query));
      return toPage(result.rows, query.limit);
    },
    async getRecord(id) {
      const result = await db.query<RecordRow>({ text: `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, values: [id] });
      const row = result.rows[0];
      return row === undefined ? undefined : toStoredRecord(row);
    },
    async listRecordsByOffset(offset, limit) {
      // Same columns, order and page building as listRecords: only the paging predicate differs.
      const result = await db.query<PageRow>(pageQuery('api_list_records_offset', ` WHERE ${NOT_SMOKE}`, 'OFFSET $1 LIMIT $2::int + 1', [offset, limit]));
      return toPage(result.rows, limit);
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
