/**
 * Facts of the Sonny's Data API that the SDK and the app built on it both need, defined once here.
 * No imports: `lib/env.ts` (loaded by `next.config.ts`) and client components read them too.
 */

export const PRODUCTION_BASE_URL = 'https://trigonapi.sonnyscontrols.com/v1';
export const SANDBOX_BASE_URL = 'https://sandboxapi.sonnyscontrols.com/v1';

/** Largest page most lists accept (`CollectionLimitParameter`, 1–100). */
export const DEFAULT_PAGE_LIMIT = 100;

/**
 * The API's throttle: 20 requests per fixed 15-second window per API ID (openapi.yml
 * "Throttling", FACTS §1.6). Retries and load-job polls count like any request.
 */
export const API_RATE_LIMIT: { readonly limit: number; readonly windowMs: number } = { limit: 20, windowMs: 15_000 };
