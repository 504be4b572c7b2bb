/**
 * The shared, per-API-ID rate limiter for the Sonny's Data API (20 requests per 15 s fixed window).
 *
 * ```ts
 * const limiter = new SharedRateLimiter({ store }); // a RateLimitStore: MemoryRateLimitStore, or the app's db.rateLimitStore
 * const permit = await limiter.acquire(apiId, { priority: 'interactive', signal });
 * let status: number | undefined;
 * try {
 *   const response = await fetch(url, { headers, signal });
 *   status = response.status;
 * } finally {
 *   await permit.release({ status }); // 429 blocks the API ID until the server window surely ended
 * }
 * ```
 */
export type { AcquireOptions, Permit, Priority, RateLimiter, RateLimitSnapshot, ReleaseOutcome } from './types';
export { SharedRateLimiter, type SharedRateLimiterOptions } from './limiter';
export type {
  PermitRecord,
  PruneRequest,
  RateLimitStore,
  ReleaseRequest,
  SnapshotRequest,
  TryAcquireRequest,
  TryAcquireResult,
  WaiterRequest,
} from './store';
export { MemoryRateLimitStore } from './memory-store';
export { systemClock, type Clock } from './clock';
