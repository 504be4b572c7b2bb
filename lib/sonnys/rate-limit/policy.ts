/**
 * The budget rule and the queue order, as pure functions over plain records. Every store runs
 * these inside its own atomic step (a JS turn, a SQLite IMMEDIATE transaction, later a Redis Lua
 * script), so the arithmetic lives in one place and is tested once.
 *
 * ## The rule
 *
 * The server (openapi.yml "Throttling", FACTS §1.6) counts ARRIVALS per API ID in fixed 15 s
 * windows; a window opens at the first arrival after the previous one expired, and the 21st arrival
 * inside it gets 429. The client never sees arrival times: it knows when it sent a request (s) and
 * when the answer came back (r), and the arrival a lies somewhere in [s, r].
 *
 * A request may be sent at time t iff fewer than `limit` logged requests "count" at t, where a
 * request counts when it is still in flight or was answered after t - windowMs (and no 429 block
 * is active).
 *
 * Why this can never trip the server, whatever the latencies: take any server window [W, W + w)
 * and the set S of requests arriving in it. Let Z be the member of S granted last (the store
 * serialises grants), decided at time t_Z <= its send <= a_Z. Z arrived in the window, so
 * W > a_Z - w >= t_Z - w. Every other member i of S was granted earlier, so it was in the log when
 * Z was decided, and it arrived at a_i >= W, so it was answered at r_i >= a_i > t_Z - w, or not yet
 * answered: either way it counted. The rule let Z go, so |S| - 1 < limit, i.e. |S| <= limit.
 * This holds for any window of length w, so it is also indifferent to whether rejected requests
 * feed the server's counter (FACTS §1.6 "Not stated"). A `now` read a little before the store's
 * atomic step (waiting for the SQLite lock) only makes the count larger: still safe.
 *
 * In steady state each slot is reused every windowMs + one round trip, which at 0-150 ms per leg
 * is ~99% of the physical maximum. (The Python SDK's sliding log recorded send-start times and
 * skipped recording after a wait, hence its 429 on every 21st request: FACTS §5.3 (a), (c).)
 *
 * The proof needs s <= a <= r for every logged request, which is why a permit is granted just
 * before sending and released only once the request can no longer arrive (a response, or a
 * failure after which the socket is closed). Two escape hatches bend it deliberately:
 *  - A record still in flight after `maxInFlightMs` (its process crashed or forgot to release) is
 *    treated as answered at sentAt + maxInFlightMs, so it cannot hold a slot forever. Keep
 *    `maxInFlightMs` above the HTTP client's request timeout and this never fires for a live request.
 *  - A 429 (another program shares the API ID and does not use this store) blocks every send until
 *    the rejecting window has surely ended: answer time + windowMs + jitter.
 * Timestamps are wall-clock epoch ms shared between processes; a backwards step of the system
 * clock shortens the remembered window by that much (NTP slews small corrections, so this is rare).
 */
import type { Priority, RateLimitSnapshot } from './types';

/** One request as the store logs it. */
export interface RequestRecord {
  sentAt: number;
  /** Null while in flight. */
  respondedAt: number | null;
}

/** One request waiting for a permit, in any process. */
export interface WaiterRecord {
  id: string;
  priority: Priority;
  enqueuedAt: number;
}

export interface BudgetParams {
  limit: number;
  windowMs: number;
  maxInFlightMs: number;
}

/**
 * When the request counts as answered: its real answer, or sentAt + maxInFlightMs for a record
 * abandoned in flight (or answered even later, which only a request that outlived every timeout
 * can do). Null while legitimately in flight.
 */
export function effectiveRespondedAt(record: RequestRecord, now: number, maxInFlightMs: number): number | null {
  const expiry = record.sentAt + maxInFlightMs;
  if (record.respondedAt !== null) return Math.min(record.respondedAt, expiry);
  return now >= expiry ? expiry : null;
}

/** True while the record may still share a server window with a request sent now. */
export function countsAt(record: RequestRecord, now: number, params: BudgetParams): boolean {
  const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
  return answered === null || answered > now - params.windowMs;
}

/**
 * Records sent at or before this time can no longer count (their effective answer is at most
 * sentAt + maxInFlightMs), so stores only need to read records sent after it. This is what keeps
 * the per-acquire read to a few hundred rows of an indexed range.
 */
export function countHorizon(now: number, params: BudgetParams): number {
  return now - params.windowMs - params.maxInFlightMs;
}

/**
 * When the record stops counting. For a request still in flight this is a lower bound (it cannot
 * be answered before now), which is what lets a waiter sleep instead of polling: the bound is
 * windowMs away, and by then the real answer time is known.
 */
export function freesAt(record: RequestRecord, now: number, params: BudgetParams): number {
  const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
  return (answered ?? now) + params.windowMs;
}

export interface BudgetUsage {
  used: number;
  inFlight: number;
  /** Ascending times at which each counted record stops counting (lower bounds for in-flight ones). */
  freeTimes: number[];
}

export function measureUsage(records: readonly RequestRecord[], now: number, params: BudgetParams): BudgetUsage {
  const freeTimes: number[] = [];
  let inFlight = 0;
  for (const record of records) {
    if (!countsAt(record, now, params)) continue;
    if (effectiveRespondedAt(record, now, params.maxInFlightMs) === null) inFlight += 1;
    freeTimes.push(freesAt(record, now, params));
  }
  freeTimes.sort((a, b) => a - b);
  return { used: freeTimes.length, inFlight, freeTimes };
}

/**
 * How many interactive grants in a row came last, read from the newest grants first. Capped by
 * the caller's look-back (backgroundEvery - 1 records is all the queue rule needs).
 */
export function interactiveStreak(recentGrantsNewestFirst: readonly Priority[]): number {
  let streak = 0;
  for (const priority of recentGrantsNewestFirst) {
    if (priority !== 'interactive') break;
    streak += 1;
  }
  return streak;
}

/** How many newest grants {@link serviceOrder} needs to see (none when background never gets a share). */
export function grantLookback(backgroundEvery: number): number {
  return Number.isFinite(backgroundEvery) ? Math.max(0, Math.ceil(backgroundEvery) - 1) : 0;
}

function byArrival(a: WaiterRecord, b: WaiterRecord): number {
  return a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The order in which waiters will be served. Interactive waiters go ahead of background ones,
 * FIFO within a priority, except that when both wait, one grant in `backgroundEvery` goes to the
 * oldest background waiter. The streak of interactive grants is read from the log, so the rule
 * holds across processes without extra state: a background waiter is served after at most
 * `backgroundEvery - 1` interactive grants, however busy the interactive side is.
 *
 * Why not age background waiters into interactive ones? A bulk sync queues hundreds of background
 * requests at once; after the ageing delay they would all outrank a person pressing "Sync now".
 * A share keeps interactive latency bounded by the interactive queue alone (times K/(K-1)).
 */
export function serviceOrder(
  waiters: readonly WaiterRecord[],
  recentGrantsNewestFirst: readonly Priority[],
  backgroundEvery: number,
): WaiterRecord[] {
  const interactive = waiters.filter((w) => w.priority === 'interactive').sort(byArrival);
  const background = waiters.filter((w) => w.priority !== 'interactive').sort(byArrival);
  let streak = interactiveStreak(recentGrantsNewestFirst);
  const order: WaiterRecord[] = [];
  let i = 0;
  let b = 0;
  while (i < interactive.length || b < background.length) {
    const backgroundTurn = b < background.length && (i >= interactive.length || streak >= backgroundEvery - 1);
    if (backgroundTurn) {
      order.push(background[b++]!);
      streak = 0;
    } else {
      order.push(interactive[i++]!);
      streak += 1;
    }
  }
  return order;
}

export interface AcquireDecisionInput extends BudgetParams {
  now: number;
  /** Logged requests for the API ID; anything sent at or before {@link countHorizon} may be omitted. */
  records: readonly RequestRecord[];
  /** Live waiters (stale ones already dropped), the caller included or not. */
  waiters: readonly WaiterRecord[];
  /** The caller, as it is or would be queued. */
  self: WaiterRecord;
  /** Priorities of the newest grants, newest first; `backgroundEvery - 1` of them is enough. */
  recentGrants: readonly Priority[];
  blockedUntil: number | null;
  backgroundEvery: number;
}

export type AcquireDecision =
  | { kind: 'grant' }
  /**
   * `waitUntil` is the earliest time the caller could be granted if everyone ahead of it takes
   * their turn; it is never later than the truth, so sleeping until then never wastes budget.
   * `position` is the number of waiters ahead of the caller.
   */
  | { kind: 'wait'; waitUntil: number; position: number; used: number };

/**
 * Grant when the caller's place in the queue is within the free slots. Waiters ahead of it keep
 * their slots reserved even if they have not woken up yet, so several waiters can be granted in
 * the same instant (after a 429 block, say) without serialising on the head of the queue.
 */
export function decideAcquire(input: AcquireDecisionInput): AcquireDecision {
  const { now, limit, windowMs } = input;
  const usage = measureUsage(input.records, now, input);
  const others = input.waiters.filter((w) => w.id !== input.self.id);
  const order = serviceOrder([...others, input.self], input.recentGrants, input.backgroundEvery);
  const position = order.findIndex((w) => w.id === input.self.id);
  const blockedUntil = input.blockedUntil ?? Number.NEGATIVE_INFINITY;
  const free = limit - usage.used;

  if (now >= blockedUntil && position < free) return { kind: 'grant' };

  // Slot j (0-based) of the next `limit` becomes usable at slots[j]: free ones at once, then as
  // counted records stop counting. Beyond `limit` places ahead, each place needs a slot that
  // itself was taken at least one window earlier, hence the whole windows added below.
  const base = Math.max(now, blockedUntil);
  const skip = Math.max(0, usage.used - limit);
  const slots = [...new Array<number>(Math.max(0, free)).fill(base), ...usage.freeTimes.slice(skip)];
  const cycle = Math.floor(position / limit);
  const slot = slots[position % limit] ?? base;
  const waitUntil = Math.max(base, slot + cycle * windowMs);
  return { kind: 'wait', waitUntil, position, used: usage.used };
}

export interface SnapshotInput extends BudgetParams {
  apiId: string;
  now: number;
  records: readonly RequestRecord[];
  blockedUntil: number | null;
  queued: Record<Priority, number>;
  rateLimitedLastHour: number;
  rateLimitedLastDay: number;
  requestsLastHour: number;
}

export function buildSnapshot(input: SnapshotInput): RateLimitSnapshot {
  const usage = measureUsage(input.records, input.now, input);
  return {
    apiId: input.apiId,
    limit: input.limit,
    windowMs: input.windowMs,
    used: usage.used,
    inFlight: usage.inFlight,
    resetsAt: usage.freeTimes[0] ?? null,
    blockedUntil: input.blockedUntil !== null && input.blockedUntil > input.now ? input.blockedUntil : null,
    queued: input.queued,
    rateLimited: { lastHour: input.rateLimitedLastHour, lastDay: input.rateLimitedLastDay },
    requestsLastHour: input.requestsLastHour,
    now: input.now,
  };
}
