/**
 * The rate limiter the SDK's request pipeline calls before every attempt: one budget per API ID,
 * kept in a {@link RateLimitStore} so that every process sharing the store shares the budget.
 *
 * The budget rule and its proof are in `policy.ts`. This file is the waiting: queue in the store,
 * sleep until the computed time, look again; and watching the clock for steps.
 *
 * How a waiter waits, and why it does not poll fast: the store answers "not before T", where T is
 * when enough counted requests stop counting: when the window they arrived in has surely ended
 * (one window after the first answer from it), or one window after their own answer. For requests
 * still in flight T is a lower bound (now + windowMs), which is windowMs away, and by the time it
 * passes the answers are in the log. So waking at T is never late for budget reasons, and a
 * window's worth of waiters wakes at the same T and is granted together. What the store cannot
 * predict is an answer arriving (which may bring T forward) or a waiter ahead of us in another
 * process leaving the queue (abort, crash); a waiter therefore looks again at least every
 * `pollIntervalMs`, which also serves as its heartbeat. A local abort or an unsent release wakes
 * this process's waiters at once.
 *
 * To pace at the server's limit, a caller keeps at least `limit` requests waiting here (the sync's
 * pool of `concurrency` page fetches does): the slots of a window free together, and only requests
 * already queued can take them at that instant.
 */
import { systemClock, type Clock } from './clock';
import { countHorizon } from './policy';
import type { PermitRecord, RateLimitStore } from './store';
import type { AcquireOptions, Permit, Priority, RateLimiter, RateLimitSnapshot, ReleaseOutcome } from './types';

export interface SharedRateLimiterOptions {
  /**
   * Where the budget and the queue live. Give every process that uses the same API IDs the same
   * store (for example a `SqliteRateLimitStore` on the app's database file).
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

interface LocalWaiter {
  /** Waiters ahead of this one at its last look. */
  position: number;
  /** Aborting this wakes the waiter early. */
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
  /** This instance's waiters per API ID, so local events can wake them without a store round trip. */
  private readonly local = new Map<string, Set<LocalWaiter>>();

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

  async acquire(apiId: string, options: AcquireOptions = {}): Promise<Permit> {
    const priority: Priority = options.priority ?? 'background';
    const { signal } = options;
    signal?.throwIfAborted();
    const waiterId = `${this.instanceId}-${(this.waiterSeq++).toString(36).padStart(8, '0')}`;
    const enqueuedAt = this.readClock();
    await this.maybePrune(enqueuedAt);

    const me: LocalWaiter = { position: 0, wake: null };
    let queued = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.readClock();
        const step = this.unreportedStep(apiId);
        const result = await this.store.tryAcquire({
          apiId,
          priority,
          waiterId,
          enqueuedAt,
          permitId: globalThis.crypto.randomUUID(),
          now,
          limit: this.limit,
          windowMs: this.windowMs,
          maxInFlightMs: this.maxInFlightMs,
          staleWaiterMs: this.staleWaiterMs,
          backgroundEvery: this.backgroundEvery,
          clockStepToleranceMs: this.clockStepToleranceMs,
          clockStepped: step !== null,
        });
        if (step !== null) this.stepReported.set(apiId, step);
        if (result.kind === 'granted') {
          queued = false; // the store removed our waiter row with the grant
          if (signal?.aborted) {
            // Aborted while the store was deciding: honour "never granted once aborted" and hand
            // the slot straight back; nothing was sent.
            await this.store.release({ apiId, permitId: result.permit.id, now: this.readClock(), notSent: true });
            this.wakeLocal(apiId, this.limit);
            throw signal.reason;
          }
          return this.createPermit(result.permit);
        }
        if (!queued) {
          queued = true;
          this.localWaiters(apiId).add(me);
        }
        me.position = result.position;
        const delay = Math.min(Math.max(result.waitUntil - now, 1), this.pollIntervalMs);
        await this.sleep(delay, me, signal);
      }
    } catch (error) {
      if (queued) {
        // Best effort: if this fails too, the row stops being refreshed and every process drops it
        // after staleWaiterMs. The caller gets the original error either way.
        await this.store.dequeue({ apiId, waiterId }).catch(() => undefined);
        this.wakeLocal(apiId, this.limit);
      }
      throw error;
    } finally {
      this.local.get(apiId)?.delete(me);
    }
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
          countHorizon: rateLimited ? countHorizon(now, { limit: this.limit, windowMs: this.windowMs, maxInFlightMs: this.maxInFlightMs }) : undefined,
        });
        // An unsent request frees its slot now; an answered one frees it windowMs later, a time the
        // sleeping waiters already account for, so waking them would only cost store round trips.
        if (outcome.notSent) this.wakeLocal(record.apiId, this.limit);
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

  private async sleep(ms: number, me: LocalWaiter, signal: AbortSignal | undefined): Promise<void> {
    const wake = new AbortController();
    me.wake = wake;
    const onAbort = () => wake.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.clock.sleep(ms, wake.signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      me.wake = null;
    }
  }

  private localWaiters(apiId: string): Set<LocalWaiter> {
    let set = this.local.get(apiId);
    if (!set) {
      set = new Set();
      this.local.set(apiId, set);
    }
    return set;
  }

  /**
   * Wakes this process's waiters that a freed slot or a shorter queue could serve now: those within
   * `maxPosition` of the head. The rest would only recompute a later time.
   */
  private wakeLocal(apiId: string, maxPosition: number): void {
    for (const waiter of this.local.get(apiId) ?? []) {
      if (waiter.position <= maxPosition) waiter.wake?.abort();
    }
  }

  private async maybePrune(now: number): Promise<void> {
    if (now - this.lastPruneAt < this.pruneIntervalMs) return;
    this.lastPruneAt = now;
    await this.store.prune({ now, retentionMs: this.retentionMs, staleWaiterMs: this.staleWaiterMs });
  }
}
