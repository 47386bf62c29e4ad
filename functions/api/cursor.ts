import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keyset pagination cursors: opaque to clients and tamper-evident.
 *
 * A cursor is `base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, payload))`. The payload holds the sort key of
 * the last item returned (`occurred_at` as PostgreSQL's exact microsecond text, so no row is skipped or repeated by
 * rounding, and `id`) plus the time range the first page was asked for, so a client cannot change the range mid-walk.
 * The key is per tenant (see {@link deriveCursorKey}), so a cursor of one tenant is rejected by every other tenant.
 * Keys rotate: a {@link CursorKeyring} signs with its current key and verifies with the current AND the previous keys,
 * so cursors a client holds across a rotation keep working (see cursor-keys.ts for where the keys come from).
 *
 * The MAC is not what keeps the database safe (every value is a bound SQL parameter); it makes garbled or hand-edited
 * cursors fail with a clear 400 and keeps the format free to change.
 */
export interface CursorPosition {
  /** `occurred_at` of the last item returned, ISO-8601 UTC with microseconds. */
  readonly occurredAt: string;
  /** `id` of the last item returned. */
  readonly id: string;
  /** Time range of the walk (inclusive lower bound), if any. */
  readonly from?: string;
  /** Time range of the walk (exclusive upper bound), if any. */
  readonly to?: string;
}

const VERSION = 1;

/** Derives the per-tenant cursor key from a base secret, so tenants never share a key even when the secret is shared. */
export function deriveCursorKey(secret: string, tenantId: string): Buffer {
  return createHmac('sha256', secret).update(`flota/cursor/v${VERSION}/${tenantId}`).digest();
}

/** A tenant's cursor keys: `current` signs new cursors; `current` and every `previous` key verify them. */
export interface CursorKeyring {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

/** One key (never rotated: tests, the dev fleet, benchmarks) or a keyring. */
export type CursorKeys = Buffer | CursorKeyring;

function keyring(keys: CursorKeys): CursorKeyring {
  return Buffer.isBuffer(keys) ? { current: keys, previous: [] } : keys;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function encodeCursor(keys: CursorKeys, position: CursorPosition): string {
  const key = keyring(keys).current;
  const payload = Buffer.from(
    JSON.stringify({ v: VERSION, t: position.occurredAt, i: position.id, f: position.from, u: position.to }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** Why a cursor was refused; the API answers 400 with this text. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Thrown when no key of the ring made the signature (the caller may refresh its keys once and retry). */
export class CursorSignatureError extends InvalidCursorError {}

/** Verifies and decodes a cursor; throws {@link InvalidCursorError} for anything not issued by one of this tenant's keys. */
export function decodeCursor(keys: CursorKeys, cursor: string): CursorPosition {
  const parts = cursor.split('.');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || cursor.length > 2048) {
    throw new InvalidCursorError('cursor is malformed');
  }
  const [payload, signature] = parts as [string, string];
  const given = Buffer.from(signature, 'base64url');
  const { current, previous } = keyring(keys);
  const signedBy = [current, ...previous].find((key) => {
    const expected = mac(key, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (signedBy === undefined) {
    throw new CursorSignatureError('cursor signature does not match (tampered, truncated, expired by two key rotations, or issued for another tenant)');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor payload is not valid JSON');
  }
  const d = decoded as { v?: unknown; t?: unknown; i?: unknown; f?: unknown; u?: unknown };
  if (d.v !== VERSION || typeof d.t !== 'string' || typeof d.i !== 'string') {
    throw new InvalidCursorError(`cursor version or fields are not supported (expected v${VERSION})`);
  }
  return {
    occurredAt: d.t,
    id: d.i,
    ...(typeof d.f === 'string' ? { from: d.f } : {}),
    ...(typeof d.u === 'string' ? { to: d.u } : {}),
  };
}
