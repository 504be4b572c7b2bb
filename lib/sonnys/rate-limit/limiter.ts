/**
 * The rate limiter the SDK's request pipeline calls before every attempt: one budget per API ID,
 * kept in a {@link RateLimitStore} so that every process sharing the store shares the budget.
 *
 * The budget rule and its proof are in `policy.ts`. This file is the waiting: queue in the store,
 * sleep until the computed time, look again; and watching the clock for steps.
 *
 * How waiters wait, and why they do not poll fast: one loop per API ID presents all of this
 * process's waiters to the store in one atomic step, which grants those whose turn it is (so a
 * window's requests leave together, after one round trip instead of one per request) and answers
 * "not before T" for the rest, where T is when enough counted requests stop counting: when the
 * window they arrived in has surely ended (one window after the first answer from it), or one
 * window after their own answer. For requests still in flight T is a lower bound (now + windowMs),
 * which is windowMs away, and by the time it passes the answers are in the log. So waking at T is
 * never late for budget reasons. What the store cannot predict is an answer arriving (which may
 * bring T forward) or a waiter ahead of us in another process leaving the queue (abort, crash); the
 * loop therefore looks again at least every `pollIntervalMs`, which also serves as its waiters'
 * heartbeat. A new acquire, a local abort or an unsent release wakes the loop at once.
 *
 * To pace at the server's limit, a caller keeps at least `limit` requests waiting here (the sync's
 * pool of `concurrency` page fetches does): the slots of a window free together, and only requests
 * already queued can take them at that instant.
 */
import { systemClock, type Clock } from './clock';
import { countHorizon, type BudgetParams } from './policy';
import type { PermitRecord, RateLimitStore, TryAcquireResult } from './store';
import type { AcquireOptions, Permit, Priority, RateLimiter, RateLimitSnapshot, ReleaseOutcome } from './types';

export interface SharedRateLimiterOptions {
  /**
   * Where the budget and the queue live. Give every process that uses the same API IDs the same
   * store (for example the app database's `db.rateLimitStore`: SQLite or Postgres).
   */
  store: RateLimitStore;
  /**
   * Requests per window per API ID. The rule in `policy.ts` is exact, so the server's full 20 is
   * safe (FACTS §6 suggests 19 only as a margin for a sliding log keyed on send times).
   * @default 20
   */
  limit?: number;
  /** Window length in ms (openapi.yml "Throttling"). @default 15000 */
  windowMs?: number;
  /** Wall-clock time and sleeping; inject a fake in tests. @default systemClock */
  clock?: Clock;
  /**
   * A request still unreleased this long after its permit was granted is treated as answered at
   * grant + maxInFlightMs, so a crashed process cannot hold slots forever. Keep it above the HTTP
   * client's request timeout, or a live slow request could stop counting too early.
   * @default 120000
   */
  maxInFlightMs?: number;
  /**
   * Starvation bound: while interactive and background requests both wait, at least one grant in
   * this many goes to the oldest background waiter. `Infinity` gives interactive work strict
   * priority (background may then wait indefinitely under sustained interactive load).
   * @default 5
   */
  backgroundEvery?: number;
  /**
   * The longest a waiter sleeps between looks at the store, in ms; each look is also its heartbeat.
   * It bounds how late a waiter notices that a waiter ahead of it in another process left the
   * queue. Slot releases need no polling: their time is computed (see the file comment).
   * @default 1000
   */
  pollIntervalMs?: number;
  /**
   * A waiter (in any process) whose last look at the store is older than this is dropped from the
   * queue, so a crashed process's waiters do not hold their places. Must exceed `pollIntervalMs`.
   * @default 5000
   */
  staleWaiterMs?: number;
  /**
   * After a 429, sending stops until answer time + windowMs + a random 0..blockJitterMs ms, so that
   * the server window that rejected us has surely ended (FACTS §1.6, §5.3 (d)).
   * @default 500
   */
  blockJitterMs?: number;
  /**
   * After a 429 (another program uses the API ID) the limiter paces by the sliding rule for this
   * long: a request counts until one window after its answer, which stays within the limit however
   * the other program's requests place the server's windows, at the cost of a round trip per
   * window (policy.ts, "Another program").
   * @default 3600000
   */
  slidingAfter429Ms?: number;
  /** Request records are kept this long for the snapshot's 24 h figures. @default 86400000 */
  retentionMs?: number;
  /** How often (at most) an acquire also prunes old records and dead waiters, in ms. @default 600000 */
  pruneIntervalMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * A wall-clock step larger than this (seen against the clock's monotonic time, or as a stamp in
   * the store later than now) resets the API ID's window bookkeeping and blocks it for one window
   * (policy.ts, "Clock steps"). Also the most a `now` read before the store's lock may lag.
   * @default 250
   */
  clockStepToleranceMs?: number;
}

/** One pending `acquire` call. */
interface LocalWaiter {
  waiterId: string;
  priority: Priority;
  enqueuedAt: number;
  /** Settled (granted, aborted or failed): a late grant for it goes straight back. */
  done: boolean;
  /** The store has (or may have) a waiter row for it, which leaving must delete. */
  queued: boolean;
  resolve(permit: Permit): void;
  reject(error: unknown): void;
  /** Detaches the abort listener. */
  detach(): void;
}

/** This process's waiters for one API ID and the loop that presents them to the store. */
interface ApiQueue {
  waiters: LocalWaiter[];
  running: boolean;
  /** Something changed while the store was deciding: look again at once instead of sleeping. */
  dirty: boolean;
  /** Aborting this wakes the loop from its sleep. */
  wake: AbortController | null;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  return value;
}

export class SharedRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly store: RateLimitStore;
  private readonly clock: Clock;
  private readonly maxInFlightMs: number;
  private readonly backgroundEvery: number;
  private readonly pollIntervalMs: number;
  private readonly staleWaiterMs: number;
  private readonly blockJitterMs: number;
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly random: () => number;
  private readonly clockStepToleranceMs: number;
  private readonly slidingAfter429Ms: number;

  /** The previous (wall, monotonic) reading, against which a step of the wall clock shows. */
  private lastReading: { wall: number; mono: number } | null = null;
  /** Monotonic time at which the latest step was noticed. */
  private lastStepAt = Number.NEGATIVE_INFINITY;
  /** Per API ID, the step (its `lastStepAt`) the store was last told about. */
  private readonly stepReported = new Map<string, number>();
  /** Prefix of this instance's waiter ids; with a padded counter it keeps same-millisecond FIFO. */
  private readonly instanceId = globalThis.crypto.randomUUID().slice(0, 8);
  private waiterSeq = 0;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  /** This instance's waiters per API ID, presented to the store together by one loop per API ID. */
  private readonly queues = new Map<string, ApiQueue>();

  constructor(options: SharedRateLimiterOptions) {
    this.store = options.store;
    this.limit = positiveInteger('limit', options.limit ?? 20);
    this.windowMs = positiveNumber('windowMs', options.windowMs ?? 15_000);
    this.clock = options.clock ?? systemClock;
    this.maxInFlightMs = positiveNumber('maxInFlightMs', options.maxInFlightMs ?? 120_000);
    const backgroundEvery = options.backgroundEvery ?? 5;
    if (!(backgroundEvery >= 2)) throw new RangeError(`backgroundEvery must be at least 2, got ${backgroundEvery}`);
    this.backgroundEvery = backgroundEvery;
    this.pollIntervalMs = positiveNumber('pollIntervalMs', options.pollIntervalMs ?? 1_000);
    this.staleWaiterMs = positiveNumber('staleWaiterMs', options.staleWaiterMs ?? 5_000);
    if (this.staleWaiterMs <= this.pollIntervalMs) {
      throw new RangeError(`staleWaiterMs (${this.staleWaiterMs}) must exceed pollIntervalMs (${this.pollIntervalMs})`);
    }
    this.blockJitterMs = Math.max(0, options.blockJitterMs ?? 500);
    this.retentionMs = positiveNumber('retentionMs', options.retentionMs ?? 86_400_000);
    if (this.retentionMs < this.windowMs + this.maxInFlightMs) {
      throw new RangeError('retentionMs must cover windowMs + maxInFlightMs, or pruning would forget counted requests');
    }
    this.pruneIntervalMs = positiveNumber('pruneIntervalMs', options.pruneIntervalMs ?? 600_000);
    this.random = options.random ?? Math.random;
    this.clockStepToleranceMs = Math.max(0, options.clockStepToleranceMs ?? 250);
    this.slidingAfter429Ms = Math.max(0, options.slidingAfter429Ms ?? 3_600_000);
  }

  private get budget(): BudgetParams {
    return { limit: this.limit, windowMs: this.windowMs, maxInFlightMs: this.maxInFlightMs };
  }

  async acquire(apiId: string, options: AcquireOptions = {}): Promise<Permit> {
    const priority: Priority = options.priority ?? 'background';
    const { signal } = options;
    signal?.throwIfAborted();
    const waiterId = `${this.instanceId}-${(this.waiterSeq++).toString(36).padStart(8, '0')}`;
    const enqueuedAt = this.readClock();
    await this.maybePrune(enqueuedAt);
    signal?.throwIfAborted();
    return new Promise<Permit>((resolve, reject) => {
      const waiter: LocalWaiter = { waiterId, priority, enqueuedAt, done: false, queued: false, resolve, reject, detach: () => undefined };
      if (signal) {
        const onAbort = () => void this.leave(apiId, waiter, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue(apiId).waiters.push(waiter);
      this.kick(apiId);
    });
  }

  async snapshot(apiId: string): Promise<RateLimitSnapshot> {
    return this.store.snapshot({
      apiId,
      now: this.readClock(),
      limit: this.limit,
      windowMs: this.windowMs,
      maxInFlightMs: this.maxInFlightMs,
      staleWaiterMs: this.staleWaiterMs,
    });
  }

  private createPermit(record: PermitRecord): Permit {
    let released = false;
    return {
      id: record.id,
      apiId: record.apiId,
      grantedAt: record.grantedAt,
      release: async (outcome: ReleaseOutcome = {}) => {
        if (released) return;
        released = true;
        const now = this.readClock();
        const rateLimited = outcome.rateLimited === true || outcome.status === 429;
        const jitter = Math.floor(this.random() * (this.blockJitterMs + 1));
        await this.store.release({
          apiId: record.apiId,
          permitId: record.id,
          now,
          status: outcome.status,
          rateLimited,
          notSent: outcome.notSent === true && !rateLimited,
          blockUntil: rateLimited ? now + this.windowMs + jitter : undefined,
          slidingUntil: rateLimited ? now + this.slidingAfter429Ms : undefined,
          countHorizon: rateLimited ? countHorizon(now, this.budget) : undefined,
        });
        // An unsent request frees its slot now; an answered one frees it later, at a time the
        // sleeping waiters' bound already accounts for, so waking them would only cost round trips.
        if (outcome.notSent) this.kick(record.apiId);
      },
    };
  }

  /**
   * `clock.now()`, noticing a step of it: between two readings the wall clock should move as the
   * monotonic clock does, give or take NTP's slewing (at most 0.05 %, allowed 0.1 %).
   */
  private readClock(): number {
    const wall = this.clock.now();
    const mono = this.clock.monotonic?.();
    if (mono === undefined) return wall;
    const last = this.lastReading;
    if (last) {
      const elapsed = mono - last.mono;
      if (Math.abs(wall - last.wall - elapsed) > this.clockStepToleranceMs + Math.abs(elapsed) / 1000) this.lastStepAt = mono;
    }
    this.lastReading = { wall, mono };
    return wall;
  }

  /** The step the store of `apiId` has not been told about yet, if any (each API ID is reset once per step). */
  private unreportedStep(apiId: string): number | null {
    if (this.lastStepAt === Number.NEGATIVE_INFINITY) return null;
    return (this.stepReported.get(apiId) ?? Number.NEGATIVE_INFINITY) < this.lastStepAt ? this.lastStepAt : null;
  }

  private queue(apiId: string): ApiQueue {
    let queue = this.queues.get(apiId);
    if (!queue) {
      queue = { waiters: [], running: false, dirty: false, wake: null };
      this.queues.set(apiId, queue);
    }
    return queue;
  }

  /**
   * Gets the API ID's loop to look at the store now: starts it (after the current microtasks, so
   * every acquire made in the same turn joins the same store call) or wakes it.
   */
  private kick(apiId: string): void {
    const queue = this.queue(apiId);
    if (queue.running) {
      queue.dirty = true;
      queue.wake?.abort();
      return;
    }
    if (queue.waiters.length === 0) return;
    queue.running = true;
    queueMicrotask(() => void this.pump(apiId, queue));
  }

  /**
   * The waiting: present every local waiter to the store in one atomic step, hand out the permits
   * it grants, and sleep until the earliest time the others could be granted (at most
   * `pollIntervalMs`, which is also their heartbeat), or until woken.
   */
  private async pump(apiId: string, queue: ApiQueue): Promise<void> {
    try {
      while (queue.waiters.length > 0) {
        queue.dirty = false;
        const now = this.readClock();
        const step = this.unreportedStep(apiId);
        const presented = [...queue.waiters];
        let results: TryAcquireResult[];
        try {
          results = await this.store.tryAcquire({
            apiId,
            waiters: presented.map((w) => ({
              waiterId: w.waiterId,
              priority: w.priority,
              enqueuedAt: w.enqueuedAt,
              permitId: globalThis.crypto.randomUUID(),
            })),
            now,
            limit: this.limit,
            windowMs: this.windowMs,
            maxInFlightMs: this.maxInFlightMs,
            staleWaiterMs: this.staleWaiterMs,
            backgroundEvery: this.backgroundEvery,
            clockStepToleranceMs: this.clockStepToleranceMs,
            clockStepped: step !== null,
          });
        } catch (error) {
          // Each waiter's acquire fails with the store's error, as its own call would have.
          await Promise.all(presented.map((w) => this.leave(apiId, w, error)));
          continue;
        }
        if (step !== null) this.stepReported.set(apiId, step);
        const next = await this.settle(apiId, queue, presented, results);
        if (queue.waiters.length === 0 || queue.dirty) continue;
        await this.sleep(queue, Math.min(Math.max(next - now, 1), this.pollIntervalMs));
      }
    } finally {
      queue.running = false;
      // A waiter that arrived after the loop's last look but before it stopped.
      if (queue.waiters.length > 0) this.kick(apiId);
    }
  }

  /** Hands out what the store granted; returns the earliest `waitUntil` of the rest. */
  private async settle(apiId: string, queue: ApiQueue, presented: LocalWaiter[], results: TryAcquireResult[]): Promise<number> {
    const byId = new Map(presented.map((w) => [w.waiterId, w]));
    let next = Number.POSITIVE_INFINITY;
    for (const result of results) {
      const waiter = byId.get(result.waiterId);
      if (!waiter) continue;
      if (result.kind === 'wait') {
        waiter.queued = true;
        // Left (aborted) while the store was deciding: its row was written again, delete it.
        if (waiter.done) await this.store.dequeue({ apiId, waiterId: waiter.waiterId }).catch(() => undefined);
        else next = Math.min(next, result.waitUntil);
        continue;
      }
      waiter.queued = false; // the store removed the waiter row with the grant
      this.remove(queue, waiter);
      if (waiter.done) {
        // Aborted while the store was deciding: honour "never granted once aborted" and hand the
        // slot straight back; nothing was sent. Best effort: if the store fails, the record counts
        // until maxInFlightMs, which only costs budget.
        await this.store
          .release({ apiId, permitId: result.permit.id, now: this.readClock(), notSent: true })
          .catch(() => undefined);
        queue.dirty = true;
        continue;
      }
      waiter.done = true;
      waiter.detach();
      waiter.resolve(this.createPermit(result.permit));
    }
    return next;
  }

  /** A waiter gives up (abort, or the store failed): out of the local queue and the store's, then rejected. */
  private async leave(apiId: string, waiter: LocalWaiter, error: unknown): Promise<void> {
    if (waiter.done) return;
    waiter.done = true;
    waiter.detach();
    const queue = this.queue(apiId);
    this.remove(queue, waiter);
    waiter.reject(error);
    if (waiter.queued) {
      // Best effort: if this fails too, the row stops being refreshed and every process drops it
      // after staleWaiterMs. The caller got the original error either way.
      await this.store.dequeue({ apiId, waiterId: waiter.waiterId }).catch(() => undefined);
      // A waiter behind it may now fit.
      this.kick(apiId);
    }
  }

  private remove(queue: ApiQueue, waiter: LocalWaiter): void {
    const index = queue.waiters.indexOf(waiter);
    if (index >= 0) queue.waiters.splice(index, 1);
  }

  private async sleep(queue: ApiQueue, ms: number): Promise<void> {
    const wake = new AbortController();
    queue.wake = wake;
    try {
      await this.clock.sleep(ms, wake.signal);
    } finally {
      queue.wake = null;
    }
  }

  private async maybePrune(now: number): Promise<void> {
    if (now - this.lastPruneAt < this.pruneIntervalMs) return;
    this.lastPruneAt = now;
    await this.store.prune({ now, retentionMs: this.retentionMs, staleWaiterMs: this.staleWaiterMs });
  }
}
