/**
 * Where the API's cursor keys come from in AWS: the tenant's dedicated cursor-key secret (Secrets Manager,
 * `FLOTA_CURSOR_SECRET_ARN`; created by the tenant stack, independent of every database credential). Rotating it is
 * `aws secretsmanager put-secret-value` (or a rotation function): the new value becomes AWSCURRENT and the old one
 * AWSPREVIOUS. The keyring signs with AWSCURRENT and verifies with both, so cursors issued before the rotation keep
 * working until the NEXT rotation (rotate less often than a client walks a listing: days, not seconds).
 *
 * Both stages are cached for {@link CURSOR_KEYS_MAX_AGE_MS}. A cursor that no cached key verifies makes the app ask once
 * with `refresh` (at most every {@link CURSOR_KEYS_MIN_REFRESH_MS}), so a container that has not seen a rotation yet
 * still accepts cursors signed by a container that has.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { deriveCursorKey, type CursorKeyring } from './cursor';

export const CURSOR_KEYS_MAX_AGE_MS = 5 * 60_000;
export const CURSOR_KEYS_MIN_REFRESH_MS = 30_000;

/** Thrown when the cursor-key secret cannot be read or has no usable value. */
export class CursorKeySecretError extends Error {
  override readonly name = 'CursorKeySecretError';
}

export interface CursorKeyringOptions {
  readonly secretArn: string;
  readonly tenantId: string;
  readonly client?: Pick<SecretsManagerClient, 'send'>;
  /** Clock (tests). */
  readonly now?: () => number;
}

/** A keyring provider for the API app's `cursorKey` dependency. */
export function cursorKeyringFromSecret(options: CursorKeyringOptions): (request?: { readonly refresh?: boolean }) => Promise<CursorKeyring> {
  // The SDK is loaded on first use (like the database secret in shared/db.ts): most of a cold start's module init.
  const sdk = () => import('@aws-sdk/client-secrets-manager');
  let client: Promise<Pick<SecretsManagerClient, 'send'>> | undefined = options.client === undefined ? undefined : Promise.resolve(options.client);
  const now = options.now ?? Date.now;
  let cached: { keys: Promise<CursorKeyring>; at: number } | undefined;

  const stage = async (versionStage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    const { GetSecretValueCommand, SecretsManagerClient: Client } = await sdk();
    client ??= Promise.resolve(new Client({}));
    try {
      const result = await (await client).send(new GetSecretValueCommand({ SecretId: options.secretArn, VersionStage: versionStage }));
      return result.SecretString;
    } catch (error) {
      // No AWSPREVIOUS before the first rotation.
      if (versionStage === 'AWSPREVIOUS' && (error as { name?: unknown }).name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  };
  const load = async (): Promise<CursorKeyring> => {
    const [current, previous] = await Promise.all([stage('AWSCURRENT'), stage('AWSPREVIOUS')]);
    if (current === undefined || current.length < 16) {
      throw new CursorKeySecretError(`cursor-key secret ${options.secretArn} has no AWSCURRENT string value of at least 16 characters`);
    }
    return {
      current: deriveCursorKey(current, options.tenantId),
      previous: previous !== undefined && previous !== current ? [deriveCursorKey(previous, options.tenantId)] : [],
    };
  };

  return async (request) => {
    const age = cached === undefined ? Infinity : now() - cached.at;
    if (age >= CURSOR_KEYS_MAX_AGE_MS || (request?.refresh === true && age >= CURSOR_KEYS_MIN_REFRESH_MS)) {
      const entry = { keys: load(), at: now() };
      cached = entry;
      entry.keys.catch(() => {
        if (cached === entry) cached = undefined; // retry on the next request
      });
    }
    return cached!.keys;
  };
}
