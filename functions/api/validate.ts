import { ANY_RECORD, compilePolicy, describeIssues, describeViolation, payloadJson, RecordSchema, type RecordPolicy } from '../../contract/record';
import type { ValidateRecord } from './app';

/**
 * Validates a POST body with the shared record schema and the tenant's record policy — the same rules, in the same
 * words, as ingest applies to each message — in the app's result shape.
 */
export function validateRecordFor(policy: RecordPolicy, tenantId: string): ValidateRecord {
  const check = compilePolicy(policy, tenantId);
  return (body) => {
    const result = RecordSchema.safeParse(body);
    if (!result.success) {
      return {
        ok: false,
        messages: describeIssues(result.error, body),
        issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      };
    }
    const violations = check(result.data, payloadJson(result.data.payload));
    if (violations.length > 0) {
      return {
        ok: false,
        messages: violations.map(describeViolation),
        issues: violations.map((v) => ({ path: v.path, message: v.message })),
      };
    }
    return { ok: true, record: result.data };
  };
}

/** The record schema alone (any type, payloads up to the schema's limit). */
export const validateRecord: ValidateRecord = validateRecordFor(ANY_RECORD, 'any');
