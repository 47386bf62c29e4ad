/**
 * Local dead-letter table of the dev fleet (`npm run dev`): where a message lands after maxReceiveCount failed deliveries,
 * like the SQS DLQ in AWS. Unused in AWS (the real DLQ is an SQS queue), harmless there.
 */
export const sql = `
CREATE TABLE dead_letters (
  message_id    text        PRIMARY KEY,
  body          text        NOT NULL,
  reason        text        NOT NULL,
  receive_count integer     NOT NULL CHECK (receive_count >= 1),
  failed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dead_letters_failed_at_idx ON dead_letters (failed_at);
`;
