/**
 * The rate limiter's {@link RateLimitStore} on Postgres (issue 14): one budget per API ID shared by
 * every instance on the database, on any number of machines, with no other service.
 *
 * Why a file of its own rather than portable SQL shared with db/sqlite/rate-limit-store.ts: the two
 * dialects make a decision atomic in different ways. SQLite serialises every writer of the file
 * (`BEGIN IMMEDIATE`); Postgres lets transactions run side by side, so each decision takes a
 * transaction-scoped advisory lock on its API ID first ({@link lockApi}). Decisions on one API ID
 * therefore run one after the other across processes and machines, while other API IDs proceed in
 * parallel; the lock ends with the transaction, so a crashed instance never holds it. The decision
 * itself is `decideBatch` from policy.ts, as in every store, and the statements are arranged to
 * keep a decision to five round trips (begin, lock, one read, one write, commit).
 *
 * Under READ COMMITTED every statement sees what was committed before it started. The lock is taken
 * in its own statement, so the read after it sees everything the previous holder wrote.
 *
 * Clocks: like the SQLite store, a decision uses the caller's `now` (policy.ts, A3: "all stamps come
 * from one clock"). On one machine that holds; instances on several machines each stamp with their
 * own clock, so a skew between them acts like an undetected clock step of that size. The policy's
 * margin for that is `clockStepToleranceMs` (250 ms by default), which NTP keeps machines well
 * inside (a few ms). Within it, the exposure is the one policy.ts describes for a step smaller than
 * the tolerance: anchors move by the skew, harmless while it is below the answer leg of a request,
 * and at worst a window overflows once, answered by a 429, its block and the sliding rule. A skew
 * beyond the tolerance makes the slower machine read the faster one's stamps as "the log is ahead",
 * i.e. a clock step, so it resets the API ID and blocks it for a window: never over budget, but the
 * pacing collapses until the clocks agree. Keep the instances' clocks synchronised.
 */
import {
  buildSnapshot,
  countHorizon,
  decideBatch,
  grantLookback,
  logIsAhead,
  resetRecordAfterStep,
  stepResetBlockUntil,
  toleranceAfterWait,
  type RequestRecord,
  type WaiterRecord,
} from '@/lib/sonnys/rate-limit/policy';
import {
  DAY_MS,
  HOUR_MS,
  type PruneRequest,
  type RateLimitStore,
  type ReleaseRequest,
  type SnapshotRequest,
  type TryAcquireRequest,
  type TryAcquireResult,
} from '@/lib/sonnys/rate-limit/store';
import type { Priority, RateLimitSnapshot } from '@/lib/sonnys/rate-limit/types';
import type { SqlClient } from '@/db/sql/client';

/**
 * The first key of the rate limiter's advisory locks (two-key form; 'RATL' in ASCII). The second is
 * hashtext(api_id): two API IDs that hash alike only share a queue for the lock, never a budget.
 * The two-key space never meets the one-key locks (the migration lock, db/postgres/index.ts).
 */
const LOCK_CLASS = 0x5241544c;

/**
 * A decision holds its API ID's lock for milliseconds. An instance that stops in the middle (frozen,
 * or cut off from the database) must not hold every instance's requests for that API ID until TCP
 * gives up: the server ends its session after this long idle in the transaction, which rolls the
 * decision back and frees the lock.
 */
const IDLE_HOLDER_TIMEOUT_MS = 10_000;

interface StoredWaiter extends WaiterRecord {
  heartbeatAt: number;
}

interface DecisionState {
  records: RequestRecord[];
  waiters: StoredWaiter[];
  /** Newest first. */
  recentGrants: Priority[];
  blockedUntil: number | null;
  slidingUntil: number | null;
}

/** The requests that may still count (policy.ts countHorizon), as JSON, so one statement reads everything. */
const RECORDS_JSON = `(SELECT coalesce(json_agg(json_build_object('sentAt', sent_at, 'respondedAt', responded_at, 'floor', window_floor)), '[]'::json)
  FROM rate_limit_requests WHERE api_id = @apiId AND sent_at > @horizon)`;

/** Everything a decision reads, in one statement: one consistent view, one round trip. */
const READ_DECISION_STATE = `
SELECT ${RECORDS_JSON} AS records,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'priority', priority, 'enqueuedAt', enqueued_at, 'heartbeatAt', heartbeat_at)), '[]'::json)
     FROM rate_limit_waiters WHERE api_id = @apiId) AS waiters,
  (SELECT coalesce(json_agg(g.priority ORDER BY g.sent_at DESC), '[]'::json)
     FROM (SELECT priority, sent_at FROM rate_limit_requests WHERE api_id = @apiId ORDER BY sent_at DESC LIMIT @lookback) g) AS "recentGrants",
  s.blocked_until AS "blockedUntil", s.sliding_until AS "slidingUntil"
FROM (SELECT 1) AS one LEFT JOIN rate_limit_state s ON s.api_id = @apiId`;

/**
 * A decision's writes in one statement: grants logged with their floors, granted waiters leave the
 * queue, the others are queued or their heartbeat refreshed.
 */
const WRITE_DECISIONS = `
WITH granted AS (
  INSERT INTO rate_limit_requests (id, api_id, priority, sent_at, window_floor)
  SELECT g.id, @apiId, g.priority, @now, g.floor
  FROM unnest(@grantIds::text[], @grantPriorities::text[], @grantFloors::bigint[]) AS g(id, priority, floor)
), left_queue AS (
  DELETE FROM rate_limit_waiters WHERE api_id = @apiId AND id = ANY(@grantWaiterIds::text[])
)
INSERT INTO rate_limit_waiters (id, api_id, priority, enqueued_at, heartbeat_at)
SELECT w.id, @apiId, w.priority, w.enqueued_at, @now
FROM unnest(@waitIds::text[], @waitPriorities::text[], @waitEnqueuedAt::bigint[]) AS w(id, priority, enqueued_at)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`;

/**
 * Serialises this transaction with every other decision on the API ID, until it ends (or until the
 * holder has been idle {@link IDLE_HOLDER_TIMEOUT_MS}). In the same round trip, the transaction's commit stops waiting for the WAL flush (`synchronous_commit` off,
 * for this transaction only): the commit is still atomic and at once visible to every other
 * instance, which is all the budget needs; what a server crash could lose is the last fraction of
 * a second of decisions, the same bargain as SQLite's `synchronous = NORMAL` in WAL mode (db/index.ts).
 * The flush was most of a decision's time (and so of the lock's hold) on a busy machine.
 */
async function lockApi(tx: SqlClient, apiId: string): Promise<void> {
  await tx.get(
    `SELECT set_config('synchronous_commit', 'off', true) AS sync,
            set_config('idle_in_transaction_session_timeout', '${IDLE_HOLDER_TIMEOUT_MS}', true) AS idle,
            pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(?)) AS locked`,
    [apiId],
  );
}

async function readDecisionState(tx: SqlClient, apiId: string, horizon: number, lookback: number): Promise<DecisionState> {
  const row = await tx.get<DecisionState>(READ_DECISION_STATE, { apiId, horizon, lookback });
  return row!;
}

/** The clock-step reset (policy.ts, "Clock steps"), rare: row by row is fine. */
async function resetAfterStep(tx: SqlClient, request: TryAcquireRequest, horizon: number): Promise<void> {
  const { apiId, now } = request;
  // FOR UPDATE: a release answering one of these rows waits, so the rewrite cannot undo its answer.
  const rows = await tx.all<{ id: string; sentAt: number; respondedAt: number | null; floor: number | null }>(
    `SELECT id, sent_at AS "sentAt", responded_at AS "respondedAt", window_floor AS floor FROM rate_limit_requests
     WHERE api_id = ? AND (sent_at > ? OR responded_at IS NULL) FOR UPDATE`,
    [apiId, horizon],
  );
  const reset = rows.map((row) => ({ id: row.id, ...resetRecordAfterStep(row, now) }));
  if (reset.length > 0) {
    await tx.run(
      `UPDATE rate_limit_requests r SET sent_at = u.sent_at, responded_at = u.responded_at, window_floor = u.window_floor
       FROM unnest(@ids::text[], @sentAt::bigint[], @respondedAt::bigint[], @floors::bigint[]) AS u(id, sent_at, responded_at, window_floor)
       WHERE r.id = u.id`,
      {
        ids: reset.map((r) => r.id),
        sentAt: reset.map((r) => r.sentAt),
        respondedAt: reset.map((r) => r.respondedAt),
        floors: reset.map((r) => r.floor),
      },
    );
  }
  await tx.run(
    'UPDATE rate_limit_waiters SET heartbeat_at = least(heartbeat_at, @now), enqueued_at = least(enqueued_at, @now) WHERE api_id = @apiId',
    { apiId, now },
  );
  await tx.run(
    `INSERT INTO rate_limit_state (api_id, blocked_until) VALUES (?, ?)
     ON CONFLICT (api_id) DO UPDATE SET blocked_until = excluded.blocked_until`,
    [apiId, stepResetBlockUntil(now, request.windowMs, request.clockStepToleranceMs)],
  );
}

export class PostgresRateLimitStore implements RateLimitStore {
  /** @param sql The Postgres database's client (`db.sql`); each decision is one of its transactions. */
  constructor(private readonly sql: SqlClient) {}

  async tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult[]> {
    const { apiId, now } = request;
    const horizon = countHorizon(now, request);
    const lookback = grantLookback(request.backgroundEvery);
    const entered = performance.now();
    return this.sql.transaction(async (tx) => {
      await lockApi(tx, apiId);
      // `now` was read before waiting for a pooled connection and the lock, which on a busy
      // database takes longer than the clock-step tolerance (the policy's bound on how early `now`
      // may be; measured: up to 0.7 s with 4 processes on a loaded 2-core machine). Meanwhile other
      // instances log stamps later than `now`: read as a backward step, that reset the API ID and
      // clipped their answers to the stale `now`, which let a window overflow in a two-pool run.
      // Deciding with an early `now` is itself safe (policy.ts, "Several processes"); the tolerance
      // grows with the wait (toleranceAfterWait), so only a larger step is read as one, and a
      // reset's block covers the wait too.
      const tolerant = { ...request, clockStepToleranceMs: toleranceAfterWait(request.clockStepToleranceMs, performance.now() - entered) };
      let state = await readDecisionState(tx, apiId, horizon, lookback);
      const stamps = state.waiters.map((w) => w.heartbeatAt);
      if (request.clockStepped || logIsAhead(state.records, stamps, now, tolerant.clockStepToleranceMs)) {
        await resetAfterStep(tx, tolerant, horizon);
        state = await readDecisionState(tx, apiId, horizon, lookback);
      }
      const staleBefore = now - request.staleWaiterMs;
      if (state.waiters.some((w) => w.heartbeatAt < staleBefore)) {
        await tx.run('DELETE FROM rate_limit_waiters WHERE api_id = ? AND heartbeat_at < ?', [apiId, staleBefore]);
      }
      const queued = new Map(
        state.waiters
          .filter((w) => w.heartbeatAt >= staleBefore)
          .map((w): [string, WaiterRecord] => [w.id, { id: w.id, priority: w.priority, enqueuedAt: w.enqueuedAt }]),
      );
      const asked = new Map(request.waiters.map((w) => [w.waiterId, w]));
      const decisions = decideBatch({
        ...request,
        records: state.records,
        waiters: [...queued.values()],
        batch: request.waiters.map((w) => queued.get(w.waiterId) ?? { id: w.waiterId, priority: w.priority, enqueuedAt: w.enqueuedAt }),
        recentGrants: state.recentGrants,
        blockedUntil: state.blockedUntil,
        slidingUntil: state.slidingUntil,
      });
      const grants: { waiterId: string; permitId: string; priority: Priority; floor: number | null }[] = [];
      const waits: WaiterRecord[] = [];
      const results = decisions.map(({ id, decision }): TryAcquireResult => {
        const waiter = asked.get(id)!;
        if (decision.kind === 'grant') {
          grants.push({ waiterId: id, permitId: waiter.permitId, priority: waiter.priority, floor: decision.floor });
          return { waiterId: id, kind: 'granted', permit: { id: waiter.permitId, apiId, priority: waiter.priority, grantedAt: now } };
        }
        waits.push(queued.get(id) ?? { id, priority: waiter.priority, enqueuedAt: waiter.enqueuedAt });
        return { waiterId: id, kind: 'wait', waitUntil: decision.waitUntil, position: decision.position };
      });
      await tx.run(WRITE_DECISIONS, {
        apiId,
        now,
        grantIds: grants.map((g) => g.permitId),
        grantPriorities: grants.map((g) => g.priority),
        grantFloors: grants.map((g) => g.floor),
        grantWaiterIds: grants.map((g) => g.waiterId),
        waitIds: waits.map((w) => w.id),
        waitPriorities: waits.map((w) => w.priority),
        waitEnqueuedAt: waits.map((w) => w.enqueuedAt),
      });
      return results;
    });
  }

  async release(request: ReleaseRequest): Promise<void> {
    const { apiId, permitId } = request;
    if (request.notSent) {
      await this.sql.run('DELETE FROM rate_limit_requests WHERE id = ? AND api_id = ? AND responded_at IS NULL', [permitId, apiId]);
      return;
    }
    const markResponded = (tx: SqlClient) =>
      tx.run(
        `UPDATE rate_limit_requests SET responded_at = ?, status = ?, rate_limited = ?
         WHERE id = ? AND api_id = ? AND responded_at IS NULL`,
        [request.now, request.status ?? null, request.rateLimited ? 1 : 0, permitId, apiId],
      );
    const blockUntil = request.blockUntil;
    // An answer is one row: a decision's single read sees it or not, either order being a valid
    // one. A 429 also blocks the API ID and forgets floors, which a decision in progress must not
    // straddle (its new grant would keep a floor resting on the broken assumption): take the lock.
    if (!request.rateLimited || blockUntil === undefined) {
      await markResponded(this.sql);
      return;
    }
    await this.sql.transaction(async (tx) => {
      await lockApi(tx, apiId);
      if ((await markResponded(tx)) === 0) return;
      await tx.run(
        `INSERT INTO rate_limit_state (api_id, blocked_until, sliding_until) VALUES (?, ?, ?)
         ON CONFLICT (api_id) DO UPDATE SET
           blocked_until = greatest(coalesce(rate_limit_state.blocked_until, 0), excluded.blocked_until),
           sliding_until = greatest(coalesce(rate_limit_state.sliding_until, 0), coalesce(excluded.sliding_until, 0))`,
        [apiId, blockUntil, request.slidingUntil ?? null],
      );
      await tx.run(
        'UPDATE rate_limit_requests SET window_floor = NULL WHERE api_id = ? AND sent_at > ? AND window_floor IS NOT NULL',
        [apiId, request.countHorizon ?? Number.MIN_SAFE_INTEGER],
      );
    });
  }

  async dequeue(request: { apiId: string; waiterId: string }): Promise<void> {
    await this.sql.run('DELETE FROM rate_limit_waiters WHERE id = ? AND api_id = ?', [request.waiterId, request.apiId]);
  }

  async snapshot(request: SnapshotRequest): Promise<RateLimitSnapshot> {
    const { apiId, now } = request;
    // One statement: one consistent view without a lock.
    const row = await this.sql.get<{
      records: RequestRecord[];
      queued: { priority: string; n: number }[];
      blockedUntil: number | null;
      slidingUntil: number | null;
      rateLimitedHour: number;
      rateLimitedDay: number;
      requestsHour: number;
    }>(
      `SELECT ${RECORDS_JSON} AS records,
        (SELECT coalesce(json_agg(json_build_object('priority', q.priority, 'n', q.n)), '[]'::json)
           FROM (SELECT priority, count(*) AS n FROM rate_limit_waiters WHERE api_id = @apiId AND heartbeat_at >= @liveSince GROUP BY priority) q) AS queued,
        s.blocked_until AS "blockedUntil", s.sliding_until AS "slidingUntil",
        h.rate_limited_hour AS "rateLimitedHour", h.rate_limited_day AS "rateLimitedDay", h.requests_hour AS "requestsHour"
      FROM (SELECT count(*) FILTER (WHERE rate_limited = 1 AND sent_at > @hourAgo) AS rate_limited_hour,
                   count(*) FILTER (WHERE rate_limited = 1) AS rate_limited_day,
                   count(*) FILTER (WHERE sent_at > @hourAgo) AS requests_hour
            FROM rate_limit_requests WHERE api_id = @apiId AND sent_at > @dayAgo) h
      LEFT JOIN rate_limit_state s ON s.api_id = @apiId`,
      {
        apiId,
        horizon: countHorizon(now, request),
        liveSince: now - request.staleWaiterMs,
        hourAgo: now - HOUR_MS,
        dayAgo: now - DAY_MS,
      },
    );
    const queued: Record<Priority, number> = { interactive: 0, background: 0 };
    for (const q of row!.queued) {
      if (q.priority === 'interactive' || q.priority === 'background') queued[q.priority] = q.n;
    }
    return buildSnapshot({
      ...request,
      records: row!.records,
      blockedUntil: row!.blockedUntil,
      slidingUntil: row!.slidingUntil,
      queued,
      rateLimitedLastHour: row!.rateLimitedHour,
      rateLimitedLastDay: row!.rateLimitedDay,
      requestsLastHour: row!.requestsHour,
    });
  }

  async prune(request: PruneRequest): Promise<void> {
    const { now } = request;
    // Each delete is safe on its own beside running decisions (only what no decision reads any more).
    await this.sql.run(
      `WITH requests AS (DELETE FROM rate_limit_requests WHERE sent_at < @retainedSince),
            waiters AS (DELETE FROM rate_limit_waiters WHERE heartbeat_at < @liveSince)
       DELETE FROM rate_limit_state WHERE greatest(coalesce(blocked_until, 0), coalesce(sliding_until, 0)) < @retainedSince`,
      { retainedSince: now - request.retentionMs, liveSince: now - request.staleWaiterMs },
    );
  }
}
