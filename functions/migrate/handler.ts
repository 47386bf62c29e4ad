/**
 * Migrate function. The tenant stack invokes it (aws_lambda_invocation) whenever migrationsChecksum() changes, with
 * `{ "action": "migrate", "checksum": "<migrationsChecksum() at synth>" }`; it applies pending migrations under an advisory
 * lock and returns `{ applied, current, checksum }`. Idempotent: invoking it again applies nothing.
 *
 * A checksum that differs from the bundled migrations means the stack and the deployed code disagree (e.g. a stale
 * bundle); the function then refuses to migrate so the deploy fails loudly instead of applying an unexpected schema.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Pool } from 'pg';
import * as z from 'zod'; // namespace import: lets esbuild drop zod's unused parts (~370 KB, incl. all locales) from the Lambda bundles
import { migrationsChecksum } from '../migrations';
import { loadTenantId } from '../shared/config';
import { getPool } from '../shared/db';
import { createLogger } from '../shared/logger';
import { migrate, type MigrateResult } from '../shared/migrations';

/** Input of the migrate function. */
export const MigrateInputSchema = z.strictObject({
  action: z.literal('migrate', { error: 'action must be "migrate"' }),
  /** migrationsChecksum() the caller expects the bundle to contain (optional). */
  checksum: z.string().regex(/^[0-9a-f]{64}$/, { error: 'checksum must be 64 lowercase hex characters' }).optional(),
});
export type MigrateInput = z.infer<typeof MigrateInputSchema>;

/** Thrown for an invalid invocation payload or a checksum mismatch. */
export class MigrateRequestError extends Error {
  override readonly name = 'MigrateRequestError';
}

export interface MigrateHandlerDeps {
  pool: () => Promise<Pool>;
  logger: Logger;
}

/** Builds the handler around its dependencies (tests and the local dev fleet pass their own). */
export function createMigrateHandler(deps: MigrateHandlerDeps): (event: unknown) => Promise<MigrateResult> {
  return async (event) => {
    const parsed = MigrateInputSchema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      throw new MigrateRequestError(`invalid migrate input: ${problems}; expected {"action":"migrate","checksum":"<sha256>"}`);
    }
    const bundled = migrationsChecksum();
    if (parsed.data.checksum !== undefined && parsed.data.checksum !== bundled) {
      throw new MigrateRequestError(
        `checksum ${parsed.data.checksum} does not match the bundled migrations (${bundled}): redeploy the migrate function ` +
          'from the same commit as the stack',
      );
    }
    const result = await migrate(await deps.pool(), { log: (message) => deps.logger.info(message) });
    deps.logger.info('migrations complete', { applied: result.applied, current: result.current, checksum: result.checksum });
    return result;
  };
}

let lambdaHandler: ((event: unknown) => Promise<MigrateResult>) | undefined;

/** Lambda entry point; configuration is read on first invocation. */
export const handler = (event: unknown): Promise<MigrateResult> => {
  lambdaHandler ??= createMigrateHandler({
    pool: () => getPool(process.env, 'migrate'),
    logger: createLogger({ service: 'migrate', tenantId: loadTenantId() }),
  });
  return lambdaHandler(event);
};
