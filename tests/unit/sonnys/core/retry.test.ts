import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  ResponseValidationError,
} from '@/lib/sonnys/core/errors';
import { backoffDelay, isRetryable, resolveRetryTiming, retryAfterMs, retryDelay, sleep } from '@/lib/sonnys/core/retry';

const status = (s: number) => APIError.generate(s, { body: undefined, type: undefined, messages: [], code: undefined });

describe('isRetryable', () => {
  it.each([429, 500, 502, 503, 504])('retries GET on %i', (s) => {
    expect(isRetryable('GET', status(s))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])('never retries GET on %i', (s) => {
    expect(isRetryable('GET', status(s))).toBe(false);
  });

  it('retries GET on timeouts, connection errors and a bad 200 body, never on abort', () => {
    expect(isRetryable('GET', new APITimeoutError())).toBe(true);
    expect(isRetryable('GET', new APIConnectionError())).toBe(true);
    expect(isRetryable('GET', new ResponseValidationError('GET /item', []))).toBe(true);
    expect(isRetryable('GET', new APIUserAbortError())).toBe(false);
    expect(isRetryable('GET', new Error('bug'))).toBe(false);
  });

  it('retries an idempotent POST (load-job) like a GET', () => {
    expect(isRetryable('POST', status(503), true)).toBe(true);
    expect(isRetryable('POST', new APIConnectionError(), true)).toBe(true);
    expect(isRetryable('POST', status(422), true)).toBe(false);
  });

  it('retries another POST only on 429', () => {
    expect(isRetryable('POST', status(429))).toBe(true);
    for (const s of [400, 404, 422, 500, 503]) expect(isRetryable('POST', status(s))).toBe(false);
    expect(isRetryable('POST', new APITimeoutError())).toBe(false);
    expect(isRetryable('POST', new APIConnectionError())).toBe(false);
    // The job may have started even though its answer was unreadable.
    expect(isRetryable('POST', new ResponseValidationError('POST /transaction/load-job', []))).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const top = resolveRetryTiming({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.9999 });
    expect([0, 1, 2, 3, 4, 5, 10].map((r) => backoffDelay(r, top))).toEqual([99, 199, 399, 799, 999, 999, 999]);
    const bottom = resolveRetryTiming({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    expect(backoffDelay(3, bottom)).toBe(0);
    const mid = resolveRetryTiming({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    expect(backoffDelay(2, mid)).toBe(200);
  });

  it('after a 429 without a limiter, waits at least a full server window', () => {
    const timing = resolveRetryTiming({ baseDelayMs: 100, maxDelayMs: 1000, rateLimitWindowMs: 15_000, random: () => 0.5 });
    expect(retryDelay(0, status(429), timing, false)).toBe(15_050);
    // With a limiter the limiter blocks; the retry only backs off a little.
    expect(retryDelay(0, status(429), timing, true)).toBe(50);
    expect(retryDelay(0, status(503), timing, false)).toBe(50);
  });

  it('honours a Retry-After header if the server ever sends one', () => {
    const err = APIError.generate(429, { body: undefined, type: undefined, messages: [], code: undefined }, { headers: { 'retry-after': '7' } });
    const timing = resolveRetryTiming({ baseDelayMs: 100, random: () => 0 });
    expect(retryDelay(0, err, timing, true)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000)).toBe(6000);
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });

  it('sleep rejects with APIUserAbortError when aborted', async () => {
    const controller = new AbortController();
    const p = sleep(10_000, controller.signal);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
