import { describeIssues, RecordSchema } from '../shared/record';
import type { ValidateRecord } from './app';

/** Validates a POST body with the shared record schema (the same rules ingest applies), in the app's result shape. */
export const validateRecord: ValidateRecord = (body) => {
  const result = RecordSchema.safeParse(body);
  if (result.success) return { ok: true, record: result.data };
  return {
    ok: false,
    messages: describeIssues(result.error, body),
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
};
