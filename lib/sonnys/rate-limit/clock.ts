/**
 * The limiter's only view of time, injectable so tests run the 15 s arithmetic in milliseconds
 * (the octokit plugin-throttling pattern, STYLE.md).
 *
 * `now()` must be wall-clock epoch ms (not `performance.now()`): several processes on one machine
 * compare the timestamps they write into a shared store, so they need a common origin.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Milliseconds from any origin, never stepped (the clock that timers run on). Optional; with it the
   * limiter notices when `now()` is stepped (NTP, an operator) and resets the API ID's window
   * bookkeeping instead of trusting stamps from before and after the step (policy.ts, "Clock steps").
   */
  monotonic?(): number;
  /**
   * Resolves after `ms` milliseconds, or as soon as `signal` aborts. It never rejects: the caller
   * decides whether an abort means "give up" or "wake up and look again".
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** `Date.now()`, `performance.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      // Not unref'd: a pending acquire is real work, and letting Node exit mid-wait would drop it.
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};
