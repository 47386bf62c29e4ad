/**
 * Pure parsing of SQS messages (raw SNS delivery: the body IS the record JSON) into records to store or rejections to
 * report. No I/O, so tests call it directly.
 */
import type { SQSRecord } from 'aws-lambda';
import { describeIssues, describeViolation, payloadJson, RecordSchema, type PolicyCheck, type RecordInput } from '../../contract/record';

/** A message whose body is a valid record. */
export interface AcceptedMessage {
  messageId: string;
  record: RecordInput;
  /** JSON.stringify(record.payload): one complete JSON value (store.ts joins these into one JSON array). */
  payloadJson: string;
  /** SQS SentTimestamp (epoch ms): for SNS→SQS this is when SNS delivered, i.e. the publish time. Null if absent. */
  sentAt: number | null;
}

/** A message that can never be stored as sent: reported as a batch item failure (SQS retries, then dead-letters it). */
export interface Rejection {
  messageId: string;
  /** Record id, when the body got far enough to have one (for logs). */
  recordId?: string;
  /** What is wrong and how to fix it, one clause per problem. */
  reason: string;
}

export type ParseOutcome = { ok: true; message: AcceptedMessage } | { ok: false; rejection: Rejection };

/** Validates one SQS message against the record schema and, when given, its tenant's policy. Never throws. */
export function parseMessage(message: SQSRecord, policy?: PolicyCheck): ParseOutcome {
  const { messageId, body } = message;
  if (typeof body !== 'string' || body.trim() === '') {
    return reject(messageId, 'body is empty: publish the record JSON as the SNS message (raw message delivery)');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return reject(messageId, `body is not valid JSON (${(error as Error).message}): publish the record as a JSON object`);
  }
  if (isSnsEnvelope(json)) {
    return reject(
      messageId,
      'body is an SNS notification envelope, not a record: enable raw message delivery on the SNS subscription',
    );
  }
  let result: ReturnType<typeof RecordSchema.safeParse>;
  try {
    result = RecordSchema.safeParse(json);
  } catch (error) {
    // Defensive: a validator bug or a pathological value must reject this message, not the batch.
    return reject(messageId, `record could not be validated (${(error as Error).message})`);
  }
  if (!result.success) {
    const recordId = typeof (json as { id?: unknown } | null)?.id === 'string' ? (json as { id: string }).id : undefined;
    return reject(messageId, describeIssues(result.error, json).join('; '), recordId);
  }
  const payloadText = payloadJson(result.data.payload);
  const violations = policy?.(result.data, payloadText);
  if (violations !== undefined && violations.length > 0) {
    return reject(messageId, violations.map(describeViolation).join('; '), result.data.id);
  }
  return { ok: true, message: { messageId, record: result.data, payloadJson: payloadText, sentAt: sentTimestamp(message) } };
}

/**
 * Keeps the first message of each record id (a client may publish the same record twice; SQS may deliver twice) and returns
 * the later ones separately: they are acknowledged once their id is stored, or failed with it.
 */
export function uniqueById(messages: readonly AcceptedMessage[]): { unique: AcceptedMessage[]; repeats: AcceptedMessage[] } {
  const seen = new Set<string>();
  const unique: AcceptedMessage[] = [];
  const repeats: AcceptedMessage[] = [];
  for (const message of messages) {
    if (seen.has(message.record.id)) {
      repeats.push(message);
    } else {
      seen.add(message.record.id);
      unique.push(message);
    }
  }
  return { unique, repeats };
}

/** SentTimestamp attribute (epoch ms as a string) → number, or null when missing/garbled. */
export function sentTimestamp(message: Pick<SQSRecord, 'attributes'>): number | null {
  const raw = message.attributes?.SentTimestamp;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

function isSnsEnvelope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const candidate = json as Record<string, unknown>;
  return candidate.Type === 'Notification' && typeof candidate.Message === 'string' && typeof candidate.TopicArn === 'string';
}

function reject(messageId: string, reason: string, recordId?: string): ParseOutcome {
  return { ok: false, rejection: recordId === undefined ? { messageId, reason } : { messageId, recordId, reason } };
}
