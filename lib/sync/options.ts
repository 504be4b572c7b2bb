/** What a run is given: the database it syncs (with its client) and the options it runs with. */
import type { SiteTimezones } from '@/lib/env';
import type { SonnysClient } from '@/lib/sonnys';

/** A database to sync, with what it takes to reach it. */
export interface SyncTarget {
  key: string;
  name: string;
  apiId: string;
  defaultTimezone: string;
  /** Zones the operator set for sites (`SONNYS_<KEY>_SITE_TIMEZONES`), by upper-case site code. */
  siteTimezones?: SiteTimezones;
  /** Prefix of the credentials' variables (e.g. SONNYS_WASHU), named in failure messages; none in demo mode. */
  credentialsHint?: string;
  client: SonnysClient;
}

export interface SyncOptions {
  /** Days the first sync reaches back. @default 180 */
  backfillDays?: number;
  /** The API's horizon in days. @default 180 */
  horizonDays?: number;
  /** Trailing days always refetched. @default 2 */
  trailingDays?: number;
  /** Fetch the car-wash KPI data (wash lists, verifications, clock entries) too. @default true */
  kpis?: boolean;
  /**
   * Requests in flight at once per database. As many as the window allows, so a window's requests
   * go out together and free their slots together; the rate limiter, not this, bounds the pace.
   * @default the rate limit's requests per window (20)
   */
  concurrency?: number;
  /** Requests per window and window length, for the ETA forecast. @default API_RATE_LIMIT (20 per 15 000 ms) */
  rateLimit?: { limit: number; windowMs: number };
  /** Explicit inclusive local-day range (CLI --from/--to). */
  from?: string;
  to?: string;
  /**
   * With `from`/`to`: days fetched in full at or after this instant are not fetched again. A
   * request that joined another run passes when it was made, so its own run afterwards fetches
   * only what that run did not (issue 13). @default this run's start, or an interrupted
   * predecessor's
   */
  freshSince?: number;
  /** How often progress is written while running, ms. @default 1000 */
  progressIntervalMs?: number;
  now?: () => number;
}
