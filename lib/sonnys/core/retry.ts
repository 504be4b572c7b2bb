/**
 * When to try a request again, and how long to wait first. Kept apart from the rate limiter
 * (octokit's plugin-retry / plugin-throttling split): the limiter decides when a request may go
 * out, this layer only decides whether a failed attempt is worth another one.
 */
import { API_RATE_LIMIT } from '../constants';
import { APIConnectionError, APIError, APIUserAbortError, RateLimitError, ResponseValidationError } from './errors';

export type HttpMethod = 'GET' | 'POST';

/** Timing knobs; injectable so tests run in milliseconds. */
export interface RetryTiming {
  /**
   * First backoff ceiling; each retry doubles it.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * Upper bound of any single backoff.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Minimum wait after a 429 when no rate limiter is configured: the server's fixed window is
   * 15 s (FACTS §1.6), so retrying sooner lands in the same window. With a limiter this is not
   * used: the limiter blocks until the window has reset.
   * @default 15000
   */
  rateLimitWindowMs?: number;
  /** @default setTimeout-based sleep that rejects when the signal aborts */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) source for jitter. @default Math.random */
  random?: () => number;
}

export type ResolvedRetryTiming = Required<RetryTiming>;

export function resolveRetryTiming(timing: RetryTiming = {}): ResolvedRetryTiming {
  return {
    baseDelayMs: timing.baseDelayMs ?? 500,
    maxDelayMs: timing.maxDelayMs ?? 8000,
    rateLimitWindowMs: timing.rateLimitWindowMs ?? API_RATE_LIMIT.windowMs,
    sleep: timing.sleep ?? sleep,
    random: timing.random ?? Math.random,
  };
}

/**
 * Whether an attempt that failed with `error` may be repeated.
 *
 * GETs are idempotent: retry on 429, 5xx, timeouts and connection errors, and on a 200 whose body
 * is cut short or is not what the schema expects: a flaky proxy truncates bodies, and issue 13 saw
 * a 5% rate of those abort whole syncs. A body that is wrong on every attempt (a vendor change)
 * still fails, after the same bounded retries as a 5xx. A POST is retried the same way only when
 * repeating it is harmless (`idempotent`): load-job is, because identical criteria within 20
 * minutes return the same job instead of starting another (FACTS §2.2 #6). Any other POST is
 * retried only after a 429, which the server refused before doing anything. Other 4xx would fail
 * again unchanged.
 */
export function isRetryable(method: HttpMethod, error: unknown, idempotent: boolean = method === 'GET'): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof RateLimitError) return true;
  if (!idempotent) return false;
  if (error instanceof APIConnectionError) return true; // includes APITimeoutError
  if (error instanceof ResponseValidationError) return true;
  return error instanceof APIError && error.status !== undefined && error.status >= 500;
}

/**
 * Capped exponential backoff with full jitter (AWS architecture blog): a uniform draw in
 * [0, min(max, base·2^retry)), so many clients recovering together do not retry in lockstep.
 * `retry` is 0 for the first retry.
 */
export function backoffDelay(retry: number, timing: ResolvedRetryTiming): number {
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** retry);
  return Math.floor(timing.random() * ceiling);
}

/** Seconds from a `Retry-After` header (not documented by Sonny's, honoured if ever sent). */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  const value = headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0-based) after `error`.
 * `hasLimiter`: with a limiter, a 429 needs no long wait here (the limiter holds the next permit).
 */
export function retryDelay(retry: number, error: unknown, timing: ResolvedRetryTiming, hasLimiter: boolean): number {
  const delay = backoffDelay(retry, timing);
  if (!(error instanceof RateLimitError)) return delay;
  const hinted = retryAfterMs(error.headers) ?? 0;
  if (hasLimiter) return Math.max(delay, hinted);
  // Full window plus jitter, so that several processes sharing the API ID do not all return at once.
  const windowWait = timing.rateLimitWindowMs + Math.floor(timing.random() * timing.baseDelayMs);
  return Math.max(delay, hinted, windowWait);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new APIUserAbortError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
