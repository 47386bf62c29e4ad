import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

export interface TokenBucketOptions {
  /** Tokens added per second (steady-state requests per second). */
  readonly ratePerSecond: number;
  /** Bucket size (largest burst). */
  readonly burst: number;
  /** Clock in ms; injectable for tests. */
  readonly now?: () => number;
}

/**
 * A token bucket, the algorithm API Gateway usage plans use: `burst` requests at once, then `ratePerSecond`.
 * Returns 0 when a request may pass, else the seconds until a token is available.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError(`token bucket needs ratePerSecond > 0 and burst >= 1 (got ${options.ratePerSecond}, ${options.burst})`);
    }
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.updatedAt = this.now();
  }

  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.options.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.options.ratePerSecond;
  }
}

/** The dev fleet's stand-in for the usage plan throttle: 429 + Retry-After (whole seconds, at least 1). */
export function throttle(bucket: TokenBucket): MiddlewareHandler {
  return async (_c, next) => {
    const waitSeconds = bucket.take();
    if (waitSeconds > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitSeconds));
      throw new ApiError(429, 'too_many_requests', `request rate exceeds this tenant's limit; retry after ${retryAfter} second(s)`, undefined, retryAfter);
    }
    await next();
  };
}
