/**
 * The vendor throttle, exactly as documented (openapi.yml "Throttling", FACTS §1.6): per API ID,
 * a counter created at the first request's arrival with an expiry `windowMs` later; each request
 * adds one; the request that would exceed `limit` inside the window gets 429. At expiry the next
 * request opens a new window. Fixed window, not sliding. "Arrival" is when the server front calls
 * {@link Throttle.hit}: after the injected request-leg latency, as a real request arrives only once
 * it has crossed the network (`server.ts`).
 */

/**
 * The vendor's documented throttle. The simulator keeps its own copy of this vendor fact (it
 * models the vendor and imports nothing of Washboard's SDK, which defines the same figures as
 * `API_RATE_LIMIT`): the throttle tests then hold the SDK's limiter against an independent server.
 */
export const VENDOR_THROTTLE = { limit: 20, windowMs: 15_000 } as const;

export interface ThrottleOptions {
  /** @default true */
  enabled?: boolean;
  /** Requests allowed per window. @default 20 */
  limit?: number;
  /** Window length, ms. @default 15000 */
  windowMs?: number;
  /** Whether a rejected (429) request also increments the counter [FACTS: unknown]. @default false */
  countRejected?: boolean;
  /** Send `Retry-After` (seconds to window end) on 429 [FACTS: none documented]. @default false */
  retryAfterHeader?: boolean;
  /** Sees every arrival with its decision and path (benchmarks and tests watch the server's windows with it). */
  onArrival?: (apiId: string, at: number, decision: ThrottleDecision, url: string) => void;
}

export interface ThrottleDecision {
  allowed: boolean;
  count: number;
  /** Wall-clock ms when the current window expires. */
  resetAt: number;
}

export class Throttle {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  readonly options: Required<Omit<ThrottleOptions, 'onArrival'>>;
  private readonly onArrival: ThrottleOptions['onArrival'];

  constructor(options: ThrottleOptions, private readonly now: () => number) {
    this.options = {
      enabled: options.enabled ?? true,
      limit: options.limit ?? VENDOR_THROTTLE.limit,
      windowMs: options.windowMs ?? VENDOR_THROTTLE.windowMs,
      countRejected: options.countRejected ?? false,
      retryAfterHeader: options.retryAfterHeader ?? false,
    };
    this.onArrival = options.onArrival;
  }

  /** Record a request that arrived now for `apiId` (`url`: its path and query, for the observer). */
  hit(apiId: string, url = ''): ThrottleDecision {
    const t = this.now();
    const decision = this.decide(apiId, t);
    this.onArrival?.(apiId, t, decision, url);
    return decision;
  }

  private decide(apiId: string, t: number): ThrottleDecision {
    const { limit, windowMs, enabled, countRejected } = this.options;
    let w = this.windows.get(apiId);
    if (!w || t >= w.startedAt + windowMs) {
      w = { startedAt: t, count: 0 };
      this.windows.set(apiId, w);
    }
    const resetAt = w.startedAt + windowMs;
    if (!enabled || w.count < limit) {
      w.count += 1;
      return { allowed: true, count: w.count, resetAt };
    }
    if (countRejected) w.count += 1;
    return { allowed: false, count: w.count, resetAt };
  }

  /** Forget every window (tests). */
  reset(): void {
    this.windows.clear();
  }

  /** Current counter for an API ID, 0 when no window is open. */
  count(apiId: string): number {
    const w = this.windows.get(apiId);
    if (!w || this.now() >= w.startedAt + this.options.windowMs) return 0;
    return w.count;
  }
}
