/**
 * The SDK's rate limiter against the simulator's fixed-window throttle, over real sockets with
 * random latency on both legs; and what a client without a limiter does with the 21st request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError, type SonnysClient } from '@/lib/sonnys';
import { MemoryRateLimitStore, SharedRateLimiter } from '@/lib/sonnys/rate-limit';
import type { Simulator } from '@/lib/simulator';
import { clientFor, dayWindow, recordingFetch, simulator } from './helpers';

describe('throttle and limiter', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** A mix of cheap calls, so the budget is spent across endpoints as one (it is per API ID). */
  function call(client: SonnysClient, i: number, day: { startDate: number; endDate: number }): Promise<unknown> {
    switch (i % 4) {
      case 0:
        return client.sites.list();
      case 1:
        return client.employees.list().toArray();
      case 2:
        return client.items.list({ limit: 5, maxPages: 1 }).pages().next();
      default:
        return client.transactions.listV2({ ...day, site: 'JOLIET', limit: 10, maxPages: 1 }).pages().next();
    }
  }

  it('sends 100 concurrent requests through the shared limiter without a single 429', async () => {
    const latency = { min: 0, max: 50 };
    sim = await simulator({ throttle: { limit: 20, windowMs: 500 }, faults: { seed: 3, requestLatencyMs: latency, responseLatencyMs: latency } });
    const limiter = new SharedRateLimiter({ store: new MemoryRateLimitStore(), limit: 20, windowMs: 500 });
    const { fetch, exchanges } = recordingFetch();
    // No retries: a 429 would surface as a RateLimitError instead of being papered over.
    const client = clientFor(sim, 'washu', { rateLimiter: limiter, fetch, maxRetries: 0 });
    const day = dayWindow(sim, 'JOLIET');
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => call(client, i, day)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(exchanges).toHaveLength(100);
    expect(exchanges.filter((e) => e.status !== 200)).toEqual([]);
    const snapshot = await limiter.snapshot('washu-demo');
    expect(snapshot.rateLimited.lastHour).toBe(0);
    expect(snapshot.requestsLastHour).toBe(100);
  });

  it('without a limiter the 21st concurrent request gets RequestRateExceedError', async () => {
    sim = await simulator({ throttle: { limit: 20, windowMs: 15_000 }, wallClock: { start: 0, frozen: true } });
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { fetch, maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: 21 }, () => client.sites.list()));
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(RateLimitError);
    expect(rejected[0]).toMatchObject({ status: 429, type: 'RequestRateExceedError' });
    expect(exchanges.map((e) => e.status).sort()).toEqual([...Array(20).fill(200), 429]);
  });

  it('without a limiter retries the 429 after a full server window, and then succeeds', async () => {
    sim = await simulator({ throttle: { limit: 20, windowMs: 15_000 }, wallClock: { start: 0, frozen: true } });
    const { fetch, exchanges } = recordingFetch();
    const waits: number[] = [];
    const client = clientFor(sim, 'washu', {
      fetch,
      maxRetries: 2,
      retry: {
        rateLimitWindowMs: 15_000,
        // The client's backoff, taken on the simulator's wall clock instead of real time.
        sleep: async (ms) => {
          waits.push(ms);
          sim!.wallClock.advance(ms);
        },
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 21 }, () => client.sites.list()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(21);
    expect(exchanges.map((e) => e.status)).toEqual([...Array(20).fill(200), 429, 200]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(15_000);
  });

  it('with a limiter that learns of a 429 (another program on the API ID), holds back and retries', async () => {
    sim = await simulator({ throttle: { limit: 20, windowMs: 300 } });
    // Another process spends the whole window first, unseen by this limiter.
    const other = clientFor(sim, 'washu');
    await Promise.all(Array.from({ length: 20 }, () => other.sites.list()));
    const limiter = new SharedRateLimiter({ store: new MemoryRateLimitStore(), limit: 20, windowMs: 300, blockJitterMs: 10 });
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { rateLimiter: limiter, fetch, maxRetries: 2 });
    await expect(client.sites.list()).resolves.toHaveLength(4);
    expect(exchanges.map((e) => e.status)).toEqual([429, 200]);
    const snapshot = await limiter.snapshot('washu-demo');
    expect(snapshot.rateLimited.lastHour).toBe(1);
  });
});
