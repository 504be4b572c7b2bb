import type { Clock } from '@/lib/sonnys/rate-limit/clock';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Store calls doing real I/O (Postgres), which time must wait for: see {@link trackIo}. */
const pendingIo = new Set<Promise<unknown>>();

/**
 * Registers a call that takes real time (a database round trip) so that {@link settle}, and with
 * it every move of a fake clock, waits for it: a simulated millisecond must not pass while a store
 * decision is still on the wire, or the simulation would measure the test machine, not the rule.
 */
export function trackIo<T>(promise: Promise<T>): Promise<T> {
  pendingIo.add(promise);
  const forget = () => pendingIo.delete(promise);
  promise.then(forget, forget);
  return promise;
}

/** Lets pending promise chains (store calls, awaits in the limiter) run before time moves. */
export async function settle(): Promise<void> {
  for (;;) {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (pendingIo.size === 0) return;
    await Promise.allSettled([...pendingIo]);
  }
}

/**
 * A clock whose time only moves when a test says so. Timers fire in time order, with the promise
 * chains they unblock settled before the next one, so simulated requests interleave as they would.
 *
 * Like the real one it has two faces: `monotonic()` (what timers run on, never stepped) and `now()`,
 * the wall clock, which `step()` moves without moving time itself. `trueNow()` is the wall clock as
 * it would read without steps: the time a simulated server sees.
 */
export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  private mono = 0;
  private offset: number;

  constructor(private readonly start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.offset = start;
  }

  now(): number {
    return this.mono + this.offset;
  }

  monotonic(): number {
    return this.mono;
  }

  trueNow(): number {
    return this.mono + this.start;
  }

  /** Steps the wall clock by `ms` (negative: backwards), as NTP or an operator would. */
  step(ms: number): void {
    this.offset += ms;
  }

  /** The same clock without a monotonic face, as a library user's clock may be. */
  wallOnly(): Clock {
    return { now: () => this.now(), sleep: (ms, signal) => this.sleep(ms, signal) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const timer: Timer = {
        at: this.mono + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        },
      };
      const cancel = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private fireNext(limit: number): boolean {
    let next: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.at <= limit && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) {
        next = timer;
      }
    }
    if (!next) return false;
    this.timers = this.timers.filter((t) => t !== next);
    this.mono = Math.max(this.mono, next.at);
    next.resolve();
    return true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.mono + ms;
    await settle();
    while (this.fireNext(target)) await settle();
    this.mono = target;
    await settle();
  }

  /** Runs time forward, timer by timer, until `promise` settles. */
  async run<T>(promise: Promise<T>, maxMs = 24 * 3_600_000): Promise<T> {
    let done = false;
    const tracked = promise.finally(() => {
      done = true;
    });
    tracked.catch(() => undefined);
    const deadline = this.mono + maxMs;
    await settle();
    while (!done) {
      if (!this.fireNext(deadline)) throw new Error('FakeClock.run: nothing left to wait for but the promise is pending');
      await settle();
    }
    return tracked;
  }
}

/** A small seeded PRNG (mulberry32) so simulated latencies are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
