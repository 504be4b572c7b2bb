import type { Clock } from '@/lib/sonnys/rate-limit/clock';
import type { RateLimiter } from '@/lib/sonnys/rate-limit/types';

/**
 * The server's throttle as documented (openapi.yml "Throttling", FACTS §1.6): a counter per API ID
 * opened at the first arrival, `limit` arrivals per `windowMs`, the next one gets 429.
 * `countRejected` covers the undocumented case where rejected requests also feed the counter.
 */
export class FixedWindowThrottle {
  /** Start of the current window (the arrival that opened it), null before the first arrival. */
  windowStart: number | null = null;
  private count = 0;
  accepted = 0;
  rejected = 0;

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 15_000,
    private readonly countRejected = false,
  ) {}

  arrive(at: number): 200 | 429 {
    if (this.windowStart === null || at >= this.windowStart + this.windowMs) {
      this.windowStart = at;
      this.count = 0;
    }
    if (this.count >= this.limit) {
      if (this.countRejected) this.count += 1;
      this.rejected += 1;
      return 429;
    }
    this.count += 1;
    this.accepted += 1;
    return 200;
  }
}

export interface SimulatedRequest {
  permitId: string;
  sentAt: number;
  arrivedAt: number;
  respondedAt: number;
  status: number;
  /** Start of the server window the request arrived in. */
  windowStart: number;
}

/**
 * One request through the limiter to the throttle, each leg delayed by `latency()` ms. Times are the
 * clock's true time (`trueNow()`, unaffected by wall-clock steps), as the server would see them.
 */
export async function simulateRequest(options: {
  limiter: RateLimiter;
  clock: Clock & { trueNow(): number };
  throttle: FixedWindowThrottle;
  apiId: string;
  /** Delay of one leg in ms; told which leg, so a test can make them differ. */
  latency: (leg: 'request' | 'response') => number;
  priority?: 'interactive' | 'background';
}): Promise<SimulatedRequest> {
  const { clock, throttle } = options;
  const permit = await options.limiter.acquire(options.apiId, { priority: options.priority });
  const sentAt = clock.trueNow();
  await clock.sleep(options.latency('request'));
  const arrivedAt = clock.trueNow();
  const status = throttle.arrive(arrivedAt);
  const windowStart = throttle.windowStart!;
  await clock.sleep(options.latency('response'));
  const respondedAt = clock.trueNow();
  await permit.release({ status, rateLimited: status === 429 });
  return { permitId: permit.id, sentAt, arrivedAt, respondedAt, status, windowStart };
}

/** The most requests sent within any span shorter than `windowMs` (a sliding check on send times). */
export function maxSentInAnyWindow(sentTimes: readonly number[], windowMs: number): number {
  const sorted = [...sentTimes].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
