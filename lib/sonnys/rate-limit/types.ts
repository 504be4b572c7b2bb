/**
 * The contract between the SDK's request pipeline and the rate limiter.
 *
 * The Sonny's Data API allows 20 requests per 15 s per API ID in a fixed window that the
 * server opens when it receives the first request (openapi.yml "Throttling", FACTS §1.6).
 * One budget is shared by every client and process that uses the same API ID, so the limiter
 * is keyed by API ID and keeps its state in a {@link RateLimitStore}.
 */

/** `interactive`: a person is waiting (Sync now). `background`: scheduled or bulk work. */
export type Priority = 'interactive' | 'background';

export interface AcquireOptions {
  /** @default 'background' */
  priority?: Priority;
  /** Aborts the wait for a permit (the permit is never granted once aborted). */
  signal?: AbortSignal;
}

/** What happened to a request that held a permit. */
export interface ReleaseOutcome {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** True when the server answered 429 (another program may share the API ID). */
  rateLimited?: boolean;
  /**
   * True only when the request surely never left the process (e.g. aborted before `fetch` was
   * called): the slot is handed back at once instead of counting for a window.
   */
  notSent?: boolean;
}

/** One granted request slot. Release it exactly once, as soon as the response (or failure) is known. */
export interface Permit {
  readonly id: string;
  readonly apiId: string;
  /** Epoch ms at which the permit was granted, i.e. just before the request is sent. */
  readonly grantedAt: number;
  release(outcome?: ReleaseOutcome): Promise<void>;
}

/** What a live budget gauge needs for one API ID. All times are epoch milliseconds. */
export interface RateLimitSnapshot {
  apiId: string;
  /** Requests allowed per window (20 in production). */
  limit: number;
  /** Window length in ms (15 000 in production). */
  windowMs: number;
  /** Requests that may still count against the server's current window (in flight included). */
  used: number;
  /** Requests in flight right now. */
  inFlight: number;
  /** When budget next frees up; null when nothing is used. */
  resetsAt: number | null;
  /** After a 429: no request is sent before this time. */
  blockedUntil: number | null;
  /** Requests waiting for a permit, by priority, across every process sharing the store. */
  queued: Record<Priority, number>;
  rateLimited: { lastHour: number; lastDay: number };
  requestsLastHour: number;
  /** The time the snapshot was taken. */
  now: number;
}

export interface RateLimiter {
  acquire(apiId: string, options?: AcquireOptions): Promise<Permit>;
  snapshot(apiId: string): Promise<RateLimitSnapshot>;
}
