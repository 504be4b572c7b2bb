/**
 * The limiter against a simulated server that implements the documented fixed window, with random
 * latencies on both legs, on a fake clock: hundreds of requests in well under a second.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';
import type { Priority } from '@/lib/sonnys/rate-limit/types';
import { FakeClock, seededRandom } from './support/fake-clock';
import {
  FixedWindowThrottle,
  maxSentInAnyWindow,
  simulateRequest,
  type SimulatedRequest,
} from './support/fixed-window';
import { storeFixtures } from './support/stores';

const API = 'api-sim';
const WINDOW = 15_000;

describe.each(storeFixtures)('simulated fixed-window server with $name', (fixture) => {
  let env: ReturnType<typeof fixture.create>;
  beforeEach(() => {
    env = fixture.create();
  });
  afterEach(() => env.dispose());

  /** `workers` concurrent loops per limiter, each sending requests back to back. */
  async function simulate(options: {
    clock: FakeClock;
    limiters: SharedRateLimiter[];
    throttle: FixedWindowThrottle;
    requestsPerLimiter: number;
    workers: number;
    latency: () => number;
    priority?: (limiterIndex: number, worker: number) => Priority;
  }): Promise<SimulatedRequest[]> {
    const results: SimulatedRequest[] = [];
    const loops = options.limiters.flatMap((limiter, index) => {
      let remaining = options.requestsPerLimiter;
      return Array.from({ length: options.workers }, async (_, worker) => {
        while (remaining > 0) {
          remaining -= 1;
          results.push(
            await simulateRequest({
              limiter,
              clock: options.clock,
              throttle: options.throttle,
              apiId: API,
              latency: options.latency,
              priority: options.priority?.(index, worker),
            }),
          );
        }
      });
    });
    await options.clock.run(Promise.all(loops));
    return results;
  }

  it('never gets a 429 with 0-150 ms legs, and stays near the physical minimum', async () => {
    const clock = new FakeClock();
    const random = seededRandom(42);
    const throttle = new FixedWindowThrottle(20, WINDOW);
    const limiter = new SharedRateLimiter({ store: env.store, clock });
    const start = clock.now();
    const results = await simulate({
      clock,
      limiters: [limiter],
      throttle,
      requestsPerLimiter: 400,
      workers: 40,
      latency: () => Math.floor(random() * 151),
    });
    expect(results).toHaveLength(400);
    expect(throttle.rejected).toBe(0);
    expect(maxSentInAnyWindow(results.map((r) => r.sentAt), WINDOW)).toBeLessThanOrEqual(20);
    const elapsed = Math.max(...results.map((r) => r.respondedAt)) - start;
    const minimum = (Math.ceil(400 / 20) - 1) * WINDOW;
    expect(minimum / elapsed).toBeGreaterThan(0.97);
  });

  it('never gets a 429 with heavy-tailed latencies, two limiters sharing the store, and rejects counted', async () => {
    const clock = new FakeClock();
    const random = seededRandom(7);
    const throttle = new FixedWindowThrottle(20, WINDOW, true);
    const limiters = [
      new SharedRateLimiter({ store: env.store, clock }),
      new SharedRateLimiter({ store: env.connect(), clock }),
    ];
    const results = await simulate({
      clock,
      limiters,
      throttle,
      requestsPerLimiter: 250,
      workers: 25,
      // Mostly fast, sometimes seconds: a slow leg makes the arrival time very uncertain.
      latency: () => (random() < 0.05 ? Math.floor(random() * 8_000) : Math.floor(random() * 151)),
      priority: (index, worker) => (index === 1 && worker % 5 === 0 ? 'interactive' : 'background'),
    });
    expect(results).toHaveLength(500);
    expect(throttle.rejected).toBe(0);
    expect(maxSentInAnyWindow(results.map((r) => r.sentAt), WINDOW)).toBeLessThanOrEqual(20);
  });
});

describe('the simulated server itself', () => {
  it('does reject the 21st arrival of a window (so zero 429s above means something)', async () => {
    const clock = new FakeClock();
    const throttle = new FixedWindowThrottle(20, WINDOW);
    const statuses = Array.from({ length: 21 }, (_, i) => throttle.arrive(clock.now() + i * 100));
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(throttle.arrive(clock.now() + WINDOW)).toBe(200);
  });
});
