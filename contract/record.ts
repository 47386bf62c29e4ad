/**
 * The record message: what clients publish to a tenant's SNS topic (and POST to the tenant API), what the ingest function
 * stores, and what the API returns. This zod schema is the single source of truth for its shape; docs/functions.md documents it.
 *
 * ```json
 * { "id": "order-42", "type": "order.created", "occurredAt": "2026-11-26T09:00:00.000Z", "payload": { "total": 12.5 } }
 * ```
 *
 * Beyond shape, the schema rejects values PostgreSQL would refuse or could not process (NUL characters and unpaired UTF-16
 * surrogates in text, or escaped in JSON, which PostgreSQL's JSON functions and jsonb refuse; years outside 1..9999): one
 * such record inside a batch insert would otherwise fail the whole batch on every retry.
 */
import * as z from 'zod'; // namespace import: lets esbuild drop zod's unused parts (~370 KB, incl. all locales) from the Lambda bundles

/** Largest accepted payload, measured as UTF-8 bytes of its JSON serialization. */
export const MAX_PAYLOAD_BYTES = 200 * 1024;
/** Longest accepted record id. */
export const MAX_RECORD_ID_LENGTH = 128;
/** Longest accepted record type. */
export const MAX_RECORD_TYPE_LENGTH = 64;
/** Most entries a tenant's accepted-types list (`records.types`) may have: each is checked per record, so it stays short. */
export const MAX_RECORD_TYPES = 100;
/** Deepest accepted nesting of objects/arrays inside payload (JSON.stringify and PostgreSQL both recurse per level). */
export const MAX_PAYLOAD_DEPTH = 64;
/** Allowed record id characters (safe in URLs, log lines and cursors without escaping). */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** The record schema's id rule (1..MAX_RECORD_ID_LENGTH of RECORD_ID_PATTERN) without zod: for path parameters. */
export function isRecordId(id: string): boolean {
  return id.length <= MAX_RECORD_ID_LENGTH && RECORD_ID_PATTERN.test(id);
}

/**
 * True when `json` (output of JSON.stringify) contains an escaped NUL (`\u0000`) or an unpaired surrogate (`\ud800`…`\udfff`):
 * JSON.stringify writes exactly those as escapes, and PostgreSQL's jsonb and JSON functions reject both (the json column
 * would store them, but nothing could read the payload as JSON inside the database). An even run of backslashes before
 * `\u` means the backslash itself was escaped (literal text `\u0000`), which is fine.
 */
export function hasJsonbUnsafeEscape(json: string): boolean {
  if (!json.includes('\\u')) return false;
  return /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(json);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` can be stored in a PostgreSQL text column (UTF-8, no NUL). */
export function isPostgresSafeText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** True when `value` nests objects/arrays deeper than `max` levels (stops descending at max, so it cannot overflow). */
export function nestingExceeds(value: unknown, max: number, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > max) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (typeof child === 'object' && child !== null && nestingExceeds(child, max, depth + 1)) return true;
  }
  return false;
}

const recordId = z
  .string({ error: 'id must be a string' })
  .min(1, { error: 'id must not be empty', abort: true })
  .max(MAX_RECORD_ID_LENGTH, { error: `id must be at most ${MAX_RECORD_ID_LENGTH} characters` })
  .regex(RECORD_ID_PATTERN, { error: 'id may contain only letters, digits and . _ : -' })
  .describe('Client-supplied idempotency key: a record with an id that is already stored is ignored.');

const recordType = z
  .string({ error: 'type must be a string' })
  .min(1, { error: 'type must not be empty' })
  .max(MAX_RECORD_TYPE_LENGTH, { error: `type must be at most ${MAX_RECORD_TYPE_LENGTH} characters` })
  .refine(isPostgresSafeText, { error: 'type must not contain NUL characters or unpaired surrogates' })
  .describe('Record kind chosen by the client, e.g. "order.created".');

const occurredAt = z
  .iso.datetime({
    offset: true,
    abort: true,
    error: 'occurredAt must be an ISO-8601 timestamp with a time zone, e.g. 2026-11-26T09:00:00Z',
  })
  .refine(
    (value) => {
      const year = new Date(value).getUTCFullYear();
      return year >= 1 && year <= 9999;
    },
    { error: 'occurredAt must be between years 0001 and 9999' },
  )
  .describe('When the event happened at the source (ISO-8601 with Z or an offset). Records are listed in this order.');

/**
 * JSON text of each payload the schema accepted, from the size check's own JSON.stringify: ingest stores exactly that text
 * ({@link payloadJson}), so a record's payload is serialized once, not twice. Weak keys: entries go with the payload.
 */
const acceptedPayloadJson = new WeakMap<object, string>();

/** JSON.stringify(payload), reusing the serialization made while validating it when there was one. */
export function payloadJson(payload: Record<string, unknown>): string {
  return acceptedPayloadJson.get(payload) ?? JSON.stringify(payload);
}

const payload = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'payload must be a JSON object',
  })
  .superRefine((value, context) => {
    if (nestingExceeds(value, MAX_PAYLOAD_DEPTH)) {
      context.addIssue({ code: 'custom', message: `payload must not nest objects/arrays more than ${MAX_PAYLOAD_DEPTH} levels deep` });
      return;
    }
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES) {
      context.addIssue({ code: 'custom', message: `payload must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON` });
    } else if (hasJsonbUnsafeEscape(json)) {
      context.addIssue({ code: 'custom', message: 'payload must not contain NUL characters (\\u0000) or unpaired surrogates' });
    } else {
      acceptedPayloadJson.set(value, json);
    }
  })
  .describe(`Free-form JSON object, at most ${MAX_PAYLOAD_BYTES} bytes serialized.`);

/** zod schema of one record message. Unknown top-level keys are rejected so typos (`occured_at`) fail loudly. */
export const RecordSchema = z.strictObject({ id: recordId, type: recordType, occurredAt, payload });

/** A validated record message. */
export type RecordInput = z.infer<typeof RecordSchema>;

/** A record as stored and returned by the API. Timestamps are ISO-8601 strings in UTC. */
export interface StoredRecord {
  id: string;
  type: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  /** SQS message id of the delivery that stored it. */
  messageId: string;
  /** When the message was published (SQS SentTimestamp; for SNS→SQS raw delivery this is the publish time). Null if unknown. */
  publishedAt: string | null;
  /** When the row was committed. */
  ingestedAt: string;
}

/** A `records` row as node-postgres returns it (default type parsers: timestamptz → Date, json → object). */
export interface RecordRow {
  id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  message_id: string;
  published_at: Date | null;
  ingested_at: Date;
}

/** Column list matching {@link RecordRow}, for `SELECT ${RECORD_COLUMNS} FROM records …`. */
export const RECORD_COLUMNS = 'id, type, occurred_at, payload, message_id, published_at, ingested_at';

/** Maps a database row to the API shape. */
export function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
    messageId: row.message_id,
    publishedAt: row.published_at ? row.published_at.toISOString() : null,
    ingestedAt: row.ingested_at.toISOString(),
  };
}

/**
 * Formats zod issues as one line per field, e.g. `occurredAt: occurredAt must be an ISO-8601 timestamp … (got "yesterday")`.
 * Shared by ingest (rejection logs) and the API (400 bodies) so a client sees the same words both ways.
 */
export function describeIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.join(', ')}: unknown field (a record has only id, type, occurredAt, payload; nest extra data in payload)`;
    }
    const path = issue.path.length > 0 ? issue.path.join('.') : '(record)';
    const got = valueAt(input, issue.path);
    const shown = got === undefined ? 'missing' : got instanceof Elided ? got.what : truncate(JSON.stringify(got) ?? String(got), 60);
    return `${path}: ${issue.message} (got ${shown})`;
  });
}

/** A value summarized rather than echoed (payloads can be 200 KiB). */
class Elided {
  constructor(readonly what: string) {}
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  // Payload issues concern its size or content, not a short value worth echoing.
  if (path[0] === 'payload' && typeof current === 'object' && current !== null) {
    return new Elided(Array.isArray(current) ? 'an array' : 'an object');
  }
  return current;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * What one tenant accepts beyond {@link RecordSchema} (manifest `records` in tenants/<id>.yaml, carried to the functions
 * as FLOTA_RECORD_TYPES / FLOTA_MAX_PAYLOAD_BYTES). A tenant can only tighten the schema, never loosen it.
 */
export interface RecordPolicy {
  /** Accepted record types; an entry ending in `*` is a prefix match (`order.*`). Null: any type. */
  readonly types: readonly string[] | null;
  /** Largest accepted payload, UTF-8 bytes of its JSON (≤ {@link MAX_PAYLOAD_BYTES}). */
  readonly maxPayloadBytes: number;
}

/**
 * Type of the records `flota smoke` publishes after every deploy. Exempt from tenant policies (not from the schema), so a
 * tenant's `records.types` can never make its own post-deploy smoke test fail.
 */
export const SMOKE_RECORD_TYPE = 'flota.smoke';

/** The fleet-wide schema alone: any type, payloads up to {@link MAX_PAYLOAD_BYTES}. */
export const ANY_RECORD: RecordPolicy = { types: null, maxPayloadBytes: MAX_PAYLOAD_BYTES };

/** One way a schema-valid record breaks its tenant's policy (same shape as a zod issue's path + message). */
export interface PolicyViolation {
  readonly path: 'type' | 'payload';
  /** What is wrong and how to fix it, e.g. `type "refund.issued" is not accepted by tenant acme (accepted: …); …`. */
  readonly message: string;
}

/** One line per violation, `path: message` — the form describeIssues gives schema problems. */
export function describeViolation(violation: PolicyViolation): string {
  return `${violation.path}: ${violation.message}`;
}

/** Checks records against a tenant's policy; built once per container (exact types in a Set, prefixes in a list). */
export type PolicyCheck = (record: Pick<RecordInput, 'type'>, payloadJson: string) => PolicyViolation[];

const NO_VIOLATIONS: PolicyViolation[] = [];

export function compilePolicy(policy: RecordPolicy, tenantId: string): PolicyCheck {
  const manifest = `tenants/${tenantId}.yaml`;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const entry of policy.types ?? []) {
    if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
    else exact.add(entry);
  }
  const accepted = policy.types === null ? '' : truncate(policy.types.join(', '), 200);
  const limited = policy.maxPayloadBytes < MAX_PAYLOAD_BYTES;
  if (policy.types === null && !limited) return () => NO_VIOLATIONS;
  const typeAccepted = (type: string) => policy.types === null || exact.has(type) || prefixes.some((prefix) => type.startsWith(prefix));

  return (record, payloadJson) => {
    if (record.type === SMOKE_RECORD_TYPE) return NO_VIOLATIONS;
    let violations = NO_VIOLATIONS;
    if (!typeAccepted(record.type)) {
      violations = [
        {
          path: 'type',
          message: `type ${truncate(JSON.stringify(record.type), 70)} is not accepted by tenant ${tenantId} (accepted: ${accepted}); publish one of those types, or add it to records.types in ${manifest}`,
        },
      ];
    }
    // Byte length only when the tenant set a lower limit than the schema's (which the schema already enforced).
    if (limited && payloadJson.length > policy.maxPayloadBytes / 3) {
      const bytes = Buffer.byteLength(payloadJson, 'utf8');
      if (bytes > policy.maxPayloadBytes) {
        violations = [
          ...violations,
          {
            path: 'payload',
            message: `payload is ${bytes} bytes as JSON; tenant ${tenantId} accepts at most ${policy.maxPayloadBytes} (records.maxPayloadBytes in ${manifest})`,
          },
        ];
      }
    }
    return violations;
  };
}
