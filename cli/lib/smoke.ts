/**
 * The end-to-end smoke check of one tenant: publish a uniquely tagged record (to the SNS topic in AWS, to the local
 * API in dev), poll the tenant API until that record can be read back, and check the response. Transport-agnostic:
 * the command wires a publisher and an HTTP reader for AWS or for the local dev fleet.
 */
import { isDeepStrictEqual } from 'node:util';
import { SMOKE_RECORD_TYPE } from '../../contract/record';

export interface SmokeRecord {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly payload: Record<string, unknown>;
}

export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

export interface SmokeTarget {
  readonly tenant: string;
  /** Publishes the record through the tenant's ingest path (SNS topic, or the local API's POST). */
  readonly publish: (record: SmokeRecord) => Promise<void>;
  /** GET <tenant API>/v1/records/<id> with the tenant's API key. */
  readonly read: (id: string) => Promise<HttpResult>;
}

export interface SmokeOptions {
  readonly timeoutMs: number;
  /** First poll delay; doubles up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Unique suffix for the record id (default: time + random). */
  readonly nonce?: string;
}

export interface SmokeResult {
  readonly tenant: string;
  readonly ok: boolean;
  readonly recordId: string;
  /** Milliseconds from publish to the record being readable (when ok). */
  readonly latencyMs?: number;
  readonly attempts: number;
  /** Why it failed, in words an operator can act on. */
  readonly error?: string;
}

/** Defined with the record schema: tenant record policies exempt it (contract/record.ts). */
export { SMOKE_RECORD_TYPE };

export function smokeRecord(tenant: string, nonce: string, occurredAt: Date): SmokeRecord {
  return {
    id: `smoke-${nonce}`,
    type: SMOKE_RECORD_TYPE,
    occurredAt: occurredAt.toISOString(),
    payload: { smoke: true, tenant, nonce },
  };
}

/** Problems with a 200 response body, or [] when it is the record that was published. */
export function checkRecordResponse(body: string, expected: SmokeRecord): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`response is not JSON: ${body.slice(0, 120)}`];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['response is not a JSON object'];
  const record = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (record.id !== expected.id) problems.push(`id is ${JSON.stringify(record.id)}, expected ${JSON.stringify(expected.id)}`);
  if (record.type !== expected.type) problems.push(`type is ${JSON.stringify(record.type)}, expected ${JSON.stringify(expected.type)}`);
  if (typeof record.occurredAt !== 'string' || Date.parse(record.occurredAt) !== Date.parse(expected.occurredAt)) {
    problems.push(`occurredAt is ${JSON.stringify(record.occurredAt)}, expected ${expected.occurredAt}`);
  }
  if (!isDeepStrictEqual(record.payload, expected.payload)) problems.push('payload differs from the published payload');
  if (typeof record.ingestedAt !== 'string' || Number.isNaN(Date.parse(record.ingestedAt))) problems.push('ingestedAt is missing or not a timestamp');
  return problems;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function smokeTenant(target: SmokeTarget, options: SmokeOptions): Promise<SmokeResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const nonce = options.nonce ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const record = smokeRecord(target.tenant, nonce, new Date(now()));
  const fail = (attempts: number, error: string): SmokeResult => ({ tenant: target.tenant, ok: false, recordId: record.id, attempts, error });

  const start = now();
  try {
    await target.publish(record);
  } catch (error) {
    return fail(0, `publish failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  let delay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  let attempts = 0;
  let last = 'no response yet';
  for (;;) {
    attempts += 1;
    let response: HttpResult | undefined;
    try {
      response = await target.read(record.id);
    } catch (error) {
      last = `GET failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (response !== undefined) {
      if (response.status === 200) {
        const problems = checkRecordResponse(response.body, record);
        if (problems.length > 0) return fail(attempts, `unexpected record: ${problems.join('; ')}`);
        return { tenant: target.tenant, ok: true, recordId: record.id, latencyMs: now() - start, attempts };
      }
      if (response.status === 401 || response.status === 403) {
        return fail(attempts, `API refused the key (HTTP ${response.status}): check the tenant's API key secret and usage plan`);
      }
      last = `HTTP ${response.status}${response.status === 404 ? ' (not ingested yet)' : `: ${response.body.slice(0, 200)}`}`;
    }
    const remaining = options.timeoutMs - (now() - start);
    if (remaining <= 0) {
      return fail(attempts, `record ${record.id} not readable within ${Math.round(options.timeoutMs / 1000)} s (last: ${last}); check the queue, DLQ (flota dlq) and ingest logs`);
    }
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** Runs `work` over `items` with at most `limit` in flight, preserving order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
