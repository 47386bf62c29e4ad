/**
 * payload jsonb → json: the records store keeps each payload as the exact JSON text ingest wrote (JSON.stringify of the
 * validated message), and the API returns that text as is.
 *
 * Why (measured in bench/RESULTS-api.md): nothing queries inside payloads, but every read paid jsonb's text output
 * (~0.4 ms of PostgreSQL CPU per 100-record page, a third of the page) and every write paid building jsonb's binary
 * form. `json` still validates the text on input (invalid JSON is refused), keeps the client's key order and number
 * spelling (jsonb sorts keys and reformats), and is smaller on disk here (65 vs 78 MB for the 200,000 bench records).
 * A future feature that filters on payload fields can add an expression index over `payload::jsonb`.
 *
 * One statement, one table rewrite under an ACCESS EXCLUSIVE lock: ingest waits (SQS keeps the messages) and API reads
 * wait for its duration, which at flota's sizes is seconds. The CHECK is re-created for the new type in the same pass.
 * Rows stored before this migration keep jsonb's text form (`{"a": 1}`, keys already re-ordered): still the same JSON.
 * (Comments here are outside `sql`, so they are not part of the migration's checksum.)
 */
export const sql = `
ALTER TABLE records
  DROP CONSTRAINT records_payload_check,
  ALTER COLUMN payload TYPE json USING payload::json,
  ADD CONSTRAINT records_payload_check CHECK (json_typeof(payload) = 'object');
`;
