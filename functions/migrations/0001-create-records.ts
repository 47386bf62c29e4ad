/**
 * The tenant's records. PRIMARY KEY (id) on the client's idempotency key is what makes redelivery harmless:
 * ingest inserts with ON CONFLICT (id) DO NOTHING. (occurred_at, id) serves the API's keyset pagination
 * (`WHERE (occurred_at, id) > ($1, $2) ORDER BY occurred_at, id LIMIT n`) and time-range filters.
 * The CHECKs repeat the message schema (contract/record.ts) so no other writer can store what ingest would reject.
 */
export const sql = `
CREATE TABLE records (
  id           text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  type         text        NOT NULL CHECK (char_length(type) BETWEEN 1 AND 64),
  occurred_at  timestamptz NOT NULL,
  payload      jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  message_id   text        NOT NULL,
  published_at timestamptz,
  ingested_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX records_occurred_at_id_idx ON records (occurred_at, id);
`;
