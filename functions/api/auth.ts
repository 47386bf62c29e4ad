import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

/**
 * Authentication. In AWS, API Gateway is the gate: every method requires an API key bound to the tenant's usage plan
 * (throttle + quota), so a request without a valid key never reaches the function. The handler still checks, as
 * defense in depth against a method deployed without `apiKeyRequired`: the REST event of an API-key-authenticated
 * request carries `requestContext.identity.apiKeyId`; no key id → 401. This applies to every route, /health included,
 * because the gateway requires the key on every method too (health checks use the tenant key, like the smoke test).
 */
export function requireApiGatewayKey(): MiddlewareHandler {
  return async (c, next) => {
    const env = c.env as { event?: { requestContext?: { identity?: { apiKeyId?: string | null } } } } | undefined;
    const apiKeyId = env?.event?.requestContext?.identity?.apiKeyId;
    if (typeof apiKeyId !== 'string' || apiKeyId === '') {
      throw new ApiError(401, 'missing_api_key', 'this API requires an API key: send it in the x-api-key header');
    }
    await next();
  };
}

/**
 * The dev fleet's stand-in for API Gateway's key check: missing `x-api-key` → 401, wrong key → 403 (the statuses API
 * Gateway itself uses for a missing and an unknown key are both 403; locally the two cases are told apart to help).
 */
export function requireApiKeyHeader(expectedKey: string): MiddlewareHandler {
  const expected = Buffer.from(expectedKey);
  return async (c, next) => {
    const given = c.req.header('x-api-key');
    if (given === undefined || given === '') {
      throw new ApiError(401, 'missing_api_key', 'this API requires an API key: send it in the x-api-key header (the dev fleet prints each tenant\'s key at start)');
    }
    const candidate = Buffer.from(given);
    if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) {
      throw new ApiError(403, 'invalid_api_key', 'the x-api-key header does not match this tenant\'s key');
    }
    await next();
  };
}
