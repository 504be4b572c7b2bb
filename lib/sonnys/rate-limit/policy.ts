/**
 * The budget rule and the queue order, as pure functions over plain records. Every store runs
 * these inside its own atomic step (a JS turn, a SQLite IMMEDIATE transaction, later a Redis Lua
 * script), so the arithmetic lives in one place and is tested once.
 *
 * ## What the server does
 *
 * The server (openapi.yml "Throttling", FACTS §1.6) counts ARRIVALS per API ID in fixed windows:
 * a window [W, W + w) opens at the first arrival after the previous one expired (so W is itself an
 * arrival, and the next window opens at the first arrival at or after W + w), and the 21st arrival
 * inside it gets 429. All 20 slots free at once when the window ends. The client never sees arrival
 * times: it knows when it granted a request (s, read just before the grant, so before the send) and
 * when the answer came back (r, read after it), and the arrival a lies somewhere in [s, r].
 *
 * ## The rule
 *
 * Each decision at time t computes a FLOOR F(t): a lower bound on the start of any server window
 * that holds an arrival at or after t. A granted request records the floor of its own decision
 * (`RequestRecord.floor` = F(s)), and an answered request f whose answer is at least one window old
 * (r_f + w <= t) is an ANCHOR: the window its arrival fell in has surely ended, because that window
 * started at or before a_f <= r_f. With "i may arrive at or after X" meaning i is in flight or was
 * answered at r_i >= X, and Opener(X) = the smallest s among requests that may arrive at or after X
 * (or t if none):
 *
 *     F(t) = max( t - w,
 *                 Opener(> t - w),                       base: requests answered after t - w or in flight
 *                 X, Opener(X) )  with X = max over anchors of (floor_f + w), when X > t - w
 *
 * A logged request COUNTS at t when it is in flight, or was answered at r with r > t - w and r >= F(t).
 * The caller is granted when fewer than `limit` requests count (and its place in the queue is within
 * the free slots, and no block is active); its record keeps F(t).
 *
 * What this buys over a sliding log: a window's requests all answered well before its end (the normal
 * case: round trips are milliseconds, windows 15 s) stop counting together as soon as the first of
 * them has been answered for one window, so the next window's requests go out together at
 * r_first + w; a sliding log frees each slot one window after its own answer, which spreads the next
 * window's sends as wide as the answers were and makes every window end late (issue 15).
 *
 * ## Why it never trips the server
 *
 * Assumptions: (A1) every arrival on the API ID is a request logged in this store (the "closed
 * world": every program using the API ID shares the store); (A2) for every logged request
 * s <= a <= r, where a request unanswered at s + maxInFlightMs is taken as answered then (the escape
 * hatch below); (A3) all stamps come from one clock without steps (steps: see below). Decisions are
 * serialised by the store (a process's batch, {@link decideBatch}, is a sequence of decisions in one
 * atomic step, each seeing the grants before it); each uses a `now` read before its atomic step, so
 * a decision's stamp t is at most the real time at which it takes effect, and a request granted by
 * it or by any later decision arrives at or after t.
 *
 * Lemma (the floor). At a decision with stamp t, every server window V = [W, W + w) that holds an
 * arrival a >= t starts at W >= F(t), and W > t - w.
 * By induction over decisions. W > a - w >= t - w, since a < W + w. By (A1) W is the arrival of some
 * request o, V's opener. If o is in the log, a_o = W > t - w, so o was answered after t - w or is in
 * flight, and W = a_o >= s_o >= Opener(> t - w); if o is granted later, W = a_o >= t. That is the base
 * term. For an anchor f: f was granted by an earlier decision, so by the induction hypothesis at that
 * decision (a_f >= s_f) the window V_f holding a_f starts at W_f >= floor_f; it ends at
 * W_f + w <= a_f + w <= r_f + w <= t <= a, so V comes after V_f and W >= W_f + w >= floor_f + w. Taking
 * the largest such value X: W >= X, so V's opener arrived at or after X, so (as above) W >= Opener(X).
 *
 * Theorem. No server window receives more than `limit` arrivals.
 * Take a window V and the set S of requests arriving in it (all logged, A1). Let Z be the member of S
 * granted last, at stamp t; a_Z >= t, so by the lemma V starts at W >= F(t) and W > t - w. Every other
 * i in S was granted earlier, so it was in the log when Z was decided, and a_i >= W. If i was still in
 * flight it counted. If it had been answered, r_i >= a_i >= W, so r_i >= F(t) and r_i > t - w: it
 * counted. The rule let Z go with fewer than `limit` counted, so |S| - 1 < limit, i.e. |S| <= limit.
 * This is indifferent to whether rejected requests feed the counter (FACTS §1.6 "Not stated"): the
 * window boundaries depend only on arrivals, and nothing here is ever rejected.
 *
 * Only records sent after {@link countHorizon} are read: an older one was effectively answered by
 * s + maxInFlightMs <= t - w, so it neither counts nor may arrive after t - w, and anchors whose
 * X <= t - w are not used (the base term already gives t - w). The lemma's Opener(X) therefore never
 * misses a record that was left out.
 *
 * ## When the assumptions break
 *
 * - Another program on the API ID (A1 fails): its arrivals use slots we cannot count and may open
 *   windows we cannot see, so no client-side rule is safe; the 429 tells us. A 429 (answered at r)
 *   blocks every send until the rejecting window has surely ended (it started at or before a <= r,
 *   so it ends by r + w; we add jitter), forgets every recorded floor (they rest on A1), and switches
 *   the API ID to SLIDING MODE for `slidingAfter429Ms`: F(t) = t - w and no anchors, i.e. a request
 *   counts while in flight or for one window after its answer. That rule needs no A1: for any window
 *   [W, W + w), placed by anyone, the member Z of ours granted last at t has W > a_Z - w >= t - w,
 *   and every other member of ours arrived at a_i >= W, so r_i > t - w: it counted. So in sliding
 *   mode at most `limit` of our arrivals share a window however the other program's arrivals place
 *   the windows, and each 429 we get is caused by one of theirs. Before the first 429 the rule
 *   trusts A1: a foreign arrival that opens a window inside the spread of one of our windows'
 *   arrivals moves that window's end before some of ours, and the next window can overflow by those
 *   (fewer than `limit`), once; then the block and sliding mode apply. Sliding mode costs a round
 *   trip per window (the pacing of a sliding log), not safety.
 * - A process crashes with requests in flight (their records are never released): (A2)'s escape
 *   hatch treats a record still in flight after `maxInFlightMs` as answered at s + maxInFlightMs, so
 *   it cannot hold a slot forever. Until then it counts, and as a request that may still arrive it
 *   keeps the floor at its own send time, so pacing falls back to the sliding bound for that long;
 *   safety is untouched. Keep `maxInFlightMs` above the HTTP client's request timeout, so the hatch
 *   never fires for a live request. A process that dies while waiting loses its queue places after
 *   `staleWaiterMs` (the store drops waiters whose heartbeat stopped).
 * - Several processes: the store's atomic step serialises their decisions; every `now` is read just
 *   before that step. Every use of `now` above is conservative when it is a little early: a request
 *   granted at or after a decision arrives at or after its stamp; "r_f + w <= t" and "r > t - w" hold
 *   later in real time too; the escape hatch fires later.
 * - Clock steps (A3 fails): stamps written before a step are off by its size against those written
 *   after, which can make a window look over when it is not (forward step) or a floor look higher
 *   than it is (backward step). A step is DETECTED when the limiter's wall clock and its monotonic
 *   clock disagree by more than `clockStepToleranceMs` between two readings (either direction, any
 *   process that had a reading before the step), or when the log holds a stamp later than now plus
 *   that tolerance (a backward step, seen by any process). The store then RESETS the API ID in the
 *   same atomic step, see {@link resetRecordAfterStep}: stamps later than now come down to now,
 *   requests in flight are re-stamped now (so the escape hatch cannot fire early), every floor is
 *   forgotten, waiter stamps come down to now, and sending is blocked until now + w + tolerance.
 *   After the block the lemma and theorem hold again: every request logged before the reset has
 *   stamps <= the reset's t_d and, if answered, arrived before the reset, so it can share no window
 *   with a request granted at t >= t_d + w + tolerance (that window starts after t - w, which is past
 *   the reset even if t_d was read up to the tolerance early); one still in flight counts, and as an
 *   opener its stamp s <= t_d < X is a valid lower bound of its arrival (the base term and anchors
 *   only look at X > t - w > t_d, and no recorded floor survives to mislead them).
 *   What remains: a step smaller than the tolerance, or one that only a process without an earlier
 *   reading could have seen, before anyone detects it. A forward step of D then moves anchors D
 *   early, which is harmless while D is below the anchor's answer leg (r_f - a_f); a backward one
 *   can lift a floor by at most D, which matters only for an answer within D below it. Either can
 *   let a window overflow, answered by a 429, its block and sliding mode; a sliding log has the same
 *   exposure to a forward step (it frees slots D early).
 *
 * ## Waiting
 *
 * A waiter sleeps until a lower bound of the time it could be granted ({@link freesAt}): a counted
 * request stops counting one window after its answer, or when an anchor whose floor + w lies above
 * its answer becomes active. For a request still in flight that is at least now + w away, and by
 * then its answer is in the log, so waking at the bound is never late; the limiter also looks again
 * every `pollIntervalMs`, which is how it learns of an answer that moved the bound. When a window's
 * slots free together, every waiter within them has the same bound, and the limiter presents all of
 * its waiters in one atomic step ({@link decideBatch}), so they are granted in the same instant.
 */
import type { Priority, RateLimitSnapshot } from './types';

/** One request as the store logs it. */
export interface RequestRecord {
  /** The grant's stamp (read just before the grant, so before the send). */
  sentAt: number;
  /** Null while in flight. */
  respondedAt: number | null;
  /**
   * F(sentAt): the floor of the decision that granted it, i.e. a lower bound of the start of the
   * server window its arrival falls in. Null when unknown (forgotten after a 429 or a clock step).
   */
  floor: number | null;
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

/**
 * Records sent at or before this time can no longer count nor open a window after now - windowMs
 * (their effective answer is at most sentAt + maxInFlightMs), so stores only need to read records
 * sent after it. This is what keeps the per-acquire read to a few hundred rows of an indexed range.
 */
export function countHorizon(now: number, params: BudgetParams): number {
  return now - params.windowMs - params.maxInFlightMs;
}

/** The lemma's Opener: the smallest grant stamp among requests that may arrive at or after `from` (or after it, if `strict`). */
function opener(records: readonly RequestRecord[], from: number, strict: boolean, now: number, maxInFlightMs: number): number {
  let earliest = now;
  for (const record of records) {
    const answered = effectiveRespondedAt(record, now, maxInFlightMs);
    if (answered === null || answered > from || (!strict && answered === from)) earliest = Math.min(earliest, record.sentAt);
  }
  return earliest;
}

/** The largest floor + windowMs over anchors (requests answered at least one window ago whose floor is known). */
function anchorReach(records: readonly RequestRecord[], now: number, params: BudgetParams): number {
  let reach = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
    if (answered !== null && record.floor !== null && answered + params.windowMs <= now) {
      reach = Math.max(reach, record.floor + params.windowMs);
    }
  }
  return reach;
}

/**
 * F(now): every server window holding an arrival at or after `now` starts at or after this (the
 * lemma in the file comment). Records sent at or before {@link countHorizon} may be omitted. In
 * sliding mode (after a 429) only now - windowMs, which holds whoever opened the windows.
 */
export function windowFloor(records: readonly RequestRecord[], now: number, params: BudgetParams, sliding = false): number {
  const since = now - params.windowMs;
  if (sliding) return since;
  let floor = Math.max(since, opener(records, since, true, now, params.maxInFlightMs));
  const reach = anchorReach(records, now, params);
  if (reach > since) floor = Math.max(floor, reach, opener(records, reach, false, now, params.maxInFlightMs));
  return floor;
}

/** True while the record may share a server window with a request sent now (`floor` = F(now)). */
export function countsAt(record: RequestRecord, now: number, floor: number, params: BudgetParams): boolean {
  const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
  return answered === null || (answered > now - params.windowMs && answered >= floor);
}

/** An anchor that is not active yet: from `at`, requests that may not arrive at or after `reach` stop counting. */
interface PendingAnchor {
  at: number;
  reach: number;
}

function pendingAnchors(records: readonly RequestRecord[], now: number, params: BudgetParams): PendingAnchor[] {
  const pending: PendingAnchor[] = [];
  for (const record of records) {
    const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
    if (answered !== null && record.floor !== null && answered + params.windowMs > now) {
      pending.push({ at: answered + params.windowMs, reach: record.floor + params.windowMs });
    }
  }
  return pending;
}

/**
 * A lower bound of when a counted record stops counting: one window after its answer, or when an
 * anchor that reaches past its answer becomes active. Requests answered in the future (those in
 * flight now, or granted later) make anchors no earlier than now + windowMs, hence that cap. For a
 * request in flight the answer is at least now, so only anchors reaching past now can free it.
 */
export function freesAt(record: RequestRecord, now: number, params: BudgetParams, pending: readonly PendingAnchor[]): number {
  const answered = effectiveRespondedAt(record, now, params.maxInFlightMs);
  const lastAnswer = answered ?? now;
  let bound = now + params.windowMs;
  if (answered !== null) bound = Math.min(bound, answered + params.windowMs);
  for (const anchor of pending) {
    if (anchor.reach > lastAnswer) bound = Math.min(bound, anchor.at);
  }
  return bound;
}

export interface BudgetUsage {
  used: number;
  inFlight: number;
  /** F(now), see {@link windowFloor}. */
  floor: number;
  /** True while the sliding rule applies (after a 429, see the file comment). */
  sliding: boolean;
  /** Ascending times at which each counted record stops counting (lower bounds, see {@link freesAt}). */
  freeTimes: number[];
}

/** `slidingUntil`: the sliding rule applies before this time (after a 429). */
export function measureUsage(
  records: readonly RequestRecord[],
  now: number,
  params: BudgetParams,
  slidingUntil: number | null = null,
): BudgetUsage {
  const sliding = slidingUntil !== null && now < slidingUntil;
  const floor = windowFloor(records, now, params, sliding);
  const pending = sliding ? [] : pendingAnchors(records, now, params);
  const freeTimes: number[] = [];
  let inFlight = 0;
  for (const record of records) {
    if (!countsAt(record, now, floor, params)) continue;
    if (effectiveRespondedAt(record, now, params.maxInFlightMs) === null) inFlight += 1;
    freeTimes.push(freesAt(record, now, params, pending));
  }
  freeTimes.sort((a, b) => a - b);
  return { used: freeTimes.length, inFlight, floor, sliding, freeTimes };
}

/**
 * True when the log holds a stamp later than `now` by more than the tolerance: the clock has been
 * stepped back since it was written (a `now` read just before the store's lock is never that stale).
 */
export function logIsAhead(
  records: readonly RequestRecord[],
  waiterStamps: readonly number[],
  now: number,
  toleranceMs: number,
): boolean {
  const limit = now + toleranceMs;
  return (
    records.some((r) => r.sentAt > limit || (r.respondedAt !== null && r.respondedAt > limit)) ||
    waiterStamps.some((stamp) => stamp > limit)
  );
}

/**
 * A logged request after a clock-step reset at `now` (file comment, "Clock steps"): no stamp later
 * than now, a request in flight re-stamped now (its escape hatch counts from the reset, since its
 * old stamp may be far off), and no floor. Stores apply the same to every record sent after
 * {@link countHorizon} and to every record still in flight (an older one may be in flight by a
 * forward step's reckoning), and bring waiter stamps down to now.
 */
export function resetRecordAfterStep(record: RequestRecord, now: number): RequestRecord {
  if (record.respondedAt === null) return { sentAt: now, respondedAt: null, floor: null };
  const respondedAt = Math.min(record.respondedAt, now);
  return { sentAt: Math.min(record.sentAt, respondedAt), respondedAt, floor: null };
}

/**
 * Until when a clock-step reset at `now` blocks sending: one window, so that nothing logged before
 * the reset can share a window with what is granted after it, plus the tolerance, which bounds how
 * early a `now` read before the store's lock can be.
 */
export function stepResetBlockUntil(now: number, windowMs: number, toleranceMs: number): number {
  return now + windowMs + toleranceMs;
}

/**
 * The clock-step tolerance a store decides with after waiting `waitedMs` for its lock. The
 * tolerance is also the budget for how early `now` may be by the time the store decides ("Clock
 * steps" above); a store knows the part it spent waiting. While the wait leaves half the budget
 * for the caller's own delay, nothing changes; beyond that the budget grows with the wait, so a
 * slow lock neither reads other processes' newer stamps as a backward step nor shortens a reset's
 * block. Deciding with an early `now` is otherwise safe ("Several processes").
 */
export function toleranceAfterWait(toleranceMs: number, waitedMs: number): number {
  return Math.max(toleranceMs, Math.ceil(waitedMs + toleranceMs / 2));
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
  /** The sliding rule applies before this time (set by a 429). */
  slidingUntil: number | null;
  backgroundEvery: number;
}

export type AcquireDecision =
  /** `floor` is F(now), to be logged with the granted request (null in sliding mode: no anchors from it). */
  | { kind: 'grant'; floor: number | null }
  /**
   * `waitUntil` is the earliest time the caller could be granted if everyone ahead of it takes
   * their turn; it is never later than the truth, so sleeping until then never wastes budget.
   * `position` is the number of waiters ahead of the caller.
   */
  | { kind: 'wait'; waitUntil: number; position: number; used: number };

/**
 * Grant when the caller's place in the queue is within the free slots. Waiters ahead of it keep
 * their slots reserved even if they have not woken up yet, so a whole window's worth of waiters is
 * granted in the same instant when the window's slots free together, without serialising on the
 * head of the queue.
 */
export function decideAcquire(input: AcquireDecisionInput): AcquireDecision {
  const { now, limit, windowMs } = input;
  const usage = measureUsage(input.records, now, input, input.slidingUntil);
  const others = input.waiters.filter((w) => w.id !== input.self.id);
  const order = serviceOrder([...others, input.self], input.recentGrants, input.backgroundEvery);
  const position = order.findIndex((w) => w.id === input.self.id);
  const blockedUntil = input.blockedUntil ?? Number.NEGATIVE_INFINITY;
  const free = limit - usage.used;

  if (now >= blockedUntil && position < free) return { kind: 'grant', floor: usage.sliding ? null : usage.floor };

  // Slot j (0-based) of the next `limit` becomes usable at slots[j]: free ones at once, then as
  // counted records stop counting. Beyond `limit` places ahead, each place needs a slot that
  // itself was taken at least one window earlier (a request granted at T stops counting no earlier
  // than T + windowMs), hence the whole windows added below.
  const base = Math.max(now, blockedUntil);
  const skip = Math.max(0, usage.used - limit);
  const slots = [...new Array<number>(Math.max(0, free)).fill(base), ...usage.freeTimes.slice(skip)];
  const cycle = Math.floor(position / limit);
  const slot = slots[position % limit] ?? base;
  const waitUntil = Math.max(base, slot + cycle * windowMs);
  return { kind: 'wait', waitUntil, position, used: usage.used };
}

export interface BatchDecisionInput extends Omit<AcquireDecisionInput, 'self'> {
  /** One process's waiters, as they are or would be queued; each gets a decision. */
  batch: readonly WaiterRecord[];
}

/**
 * {@link decideAcquire} for each of a process's waiters, in service order, each decision seeing the
 * grants made before it (a new record in flight with its floor, the waiter gone from the queue, its
 * priority the newest grant): the same decisions, in the same order, as one call per waiter would
 * make, but in one atomic step, so a window's slots go to a process's waiters in one store round
 * trip and their requests leave together.
 */
export function decideBatch(input: BatchDecisionInput): { id: string; decision: AcquireDecision }[] {
  const ids = new Set(input.batch.map((w) => w.id));
  let records = [...input.records];
  let waiters = [...input.waiters.filter((w) => !ids.has(w.id)), ...input.batch];
  let recentGrants = [...input.recentGrants];
  const ours = serviceOrder(waiters, recentGrants, input.backgroundEvery).filter((w) => ids.has(w.id));
  return ours.map((self) => {
    const decision = decideAcquire({ ...input, records, waiters, self, recentGrants });
    if (decision.kind === 'grant') {
      records = [...records, { sentAt: input.now, respondedAt: null, floor: decision.floor }];
      waiters = waiters.filter((w) => w.id !== self.id);
      recentGrants = [self.priority, ...recentGrants];
    }
    return { id: self.id, decision };
  });
}

export interface SnapshotInput extends BudgetParams {
  apiId: string;
  now: number;
  records: readonly RequestRecord[];
  blockedUntil: number | null;
  slidingUntil: number | null;
  queued: Record<Priority, number>;
  rateLimitedLastHour: number;
  rateLimitedLastDay: number;
  requestsLastHour: number;
}

export function buildSnapshot(input: SnapshotInput): RateLimitSnapshot {
  const usage = measureUsage(input.records, input.now, input, input.slidingUntil);
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
