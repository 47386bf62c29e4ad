import type { CustomTypesConfig, Pool, QueryArrayConfig } from 'pg';
import { RECORD_COLUMNS, toStoredRecord, type RecordRow, type StoredRecord } from '../shared/record';
import type { ListRecordsQuery } from './params';

/**
 * Every SQL statement of the API, all parameterized: values only ever travel as bind parameters ($1…), never in the
 * SQL text. The WHERE clause is assembled from fixed fragments only.
 */

/**
 * A page is fetched as plain rows and spliced into JSON text in node; nothing is parsed into JS objects:
 * - every column comes back as PostgreSQL's own text (the RAW parser below), so the payload (json: the text ingest stored) is never JSON.parse'd
 *   and timestamps are never turned into Date objects;
 * - timestamps are sent as `to_json(ts AT TIME ZONE 'UTC')`, ISO-8601 whatever the session's DateStyle, and cut to
 *   milliseconds + `Z` in node ({@link isoMilliseconds}), which is what Date#toISOString (and GET /v1/records/{id}) gives.
 * Measured on the bench page (100 rows, ~250-byte payloads): building the page in SQL with json_build_object + json_agg
 * and three to_char() per row cost PostgreSQL ~2.4 ms of CPU per page; these rows cost it ~0.85 ms, and node ~0.5 ms more
 * than receiving the finished text — and node has the response to write anyway.
 */
const PAGE_COLUMNS = `id, type, to_json(occurred_at AT TIME ZONE 'UTC') AS occurred_iso, payload, message_id,
    to_json(published_at AT TIME ZONE 'UTC') AS published_iso, to_json(ingested_at AT TIME ZONE 'UTC') AS ingested_iso`;

/** One page row, in PAGE_COLUMNS order, every value as PostgreSQL's text. */
type PageRow = [id: string, type: string, occurredIso: string, payload: string, messageId: string, publishedIso: string | null, ingestedIso: string];

/** Keeps every column as the text PostgreSQL sent (no JSON.parse of payloads, no Date for timestamps). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as CustomTypesConfig;

/** Splits to_json(timestamp) text (`"2026-01-31T12:00:00.123456"`, fraction digits trimmed) into seconds and fraction. */
function splitTimestamp(json: string): [seconds: string, fraction: string] {
  const text = json.charCodeAt(0) === 34 /* " */ ? json.slice(1, -1) : json;
  const dot = text.indexOf('.', text.indexOf('T'));
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** ISO-8601 UTC with milliseconds (truncated, like the Date PostgreSQL's driver would build): `2026-01-31T12:00:00.123Z`. */
export function isoMilliseconds(toJsonText: string): string {
  const [seconds, fraction] = splitTimestamp(toJsonText);
  return `${seconds}.${(fraction + '000').slice(0, 3)}Z`;
}

/** ISO-8601 UTC with microseconds: the cursor needs PostgreSQL's full precision (a rounded position would skip rows). */
export function isoMicroseconds(toJsonText: string): string {
  const [seconds, fraction] = splitTimestamp(toJsonText);
  return `${seconds}.${(fraction + '000000').slice(0, 6)}Z`;
}

/**
 * The page query: plain columns ordered by occurred_at, id with LIMIT limit + 1 (one extra row tells whether more follow),
 * formatted in an outer query, so the to_json calls run for the rows returned only — never for rows an OFFSET skips
 * (a subquery with LIMIT is not flattened into its parent).
 */
function pageQuery(name: string, where: string, tail: string, values: unknown[]): QueryArrayConfig {
  return {
    name,
    text: `SELECT ${PAGE_COLUMNS} FROM (SELECT ${RECORD_COLUMNS} FROM records${where} ORDER BY occurred_at, id ${tail}) AS page
      ORDER BY occurred_at, id`,
    values,
    rowMode: 'array',
    types: RAW_TEXT,
  };
}

/** Builds the keyset page query; exported for tests and EXPLAIN. Fetches limit + 1 rows to know if another page exists. */
export function listRecordsStatement(query: ListRecordsQuery): QueryArrayConfig {
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
  // Named (prepared once per connection, plan cached): saves the planning time on every page. Four fixed variants.
  const variant = `${query.from === undefined ? '' : 'f'}${query.to === undefined ? '' : 't'}${query.after === undefined ? '' : 'a'}`;
  return pageQuery(
    `api_list_records_${variant || 'all'}`,
    where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '',
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
    const [id, type, occurredIso, payload, messageId, publishedIso, ingestedIso] = rows[i]!;
    items +=
      `${i === 0 ? '' : ','}{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"occurredAt":"${isoMilliseconds(occurredIso)}",` +
      `"payload":${payload},"messageId":${JSON.stringify(messageId)},` +
      `"publishedAt":${publishedIso === null ? 'null' : `"${isoMilliseconds(publishedIso)}"`},"ingestedAt":"${isoMilliseconds(ingestedIso)}"}`;
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
      const result = await db.query<PageRow>(pageQuery('api_list_records_offset', '', 'OFFSET $1 LIMIT $2::int + 1', [offset, limit]));
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
