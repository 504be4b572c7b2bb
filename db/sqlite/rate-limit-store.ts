/**
 * A {@link RateLimitStore} in a SQLite file, shared by every process that opens the file (the web
 * server, the sync CLI, a second sync): one budget per API ID, as the server enforces it.
 *
 * Each acquire is one `BEGIN IMMEDIATE` transaction: it takes the file's write lock before reading,
 * so two processes cannot both read "19 used" and both send. Other processes wait for the lock up
 * to `busy_timeout` (the app sets 5000 ms; so do we when the connection has none).
 *
 * The tables are created by the app's drizzle migrations (db/migrations); library users without
 * them call {@link ensureRateLimitSchema} once.
 */
import type { Database } from 'better-sqlite3';
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

/** The same DDL as the app's migration, idempotent. */
export const RATE_LIMIT_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS rate_limit_requests (
  id TEXT PRIMARY KEY NOT NULL,
  api_id TEXT NOT NULL,
  priority TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  responded_at INTEGER,
  status INTEGER,
  rate_limited INTEGER DEFAULT 0 NOT NULL,
  window_floor INTEGER
);
CREATE INDEX IF NOT EXISTS rate_limit_requests_api_sent_idx ON rate_limit_requests (api_id, sent_at);
CREATE TABLE IF NOT EXISTS rate_limit_waiters (
  id TEXT PRIMARY KEY NOT NULL,
  api_id TEXT NOT NULL,
  priority TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limit_waiters_api_idx ON rate_limit_waiters (api_id);
CREATE TABLE IF NOT EXISTS rate_limit_state (
  api_id TEXT PRIMARY KEY NOT NULL,
  blocked_until INTEGER,
  sliding_until INTEGER
);
`;

/** Columns added after the first release, for files created by an older `ensureRateLimitSchema`. */
const ADDED_COLUMNS: { table: string; column: string; ddl: string }[] = [
  { table: 'rate_limit_requests', column: 'window_floor', ddl: 'ALTER TABLE rate_limit_requests ADD COLUMN window_floor INTEGER' },
  { table: 'rate_limit_state', column: 'sliding_until', ddl: 'ALTER TABLE rate_limit_state ADD COLUMN sliding_until INTEGER' },
];

/** Creates the limiter's tables (or adds missing columns) for standalone use without the app's migrations. */
export function ensureRateLimitSchema(db: Database): void {
  db.exec(RATE_LIMIT_SCHEMA_SQL);
  for (const { table, column, ddl } of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    if (!columns.some((c) => c.name === column)) db.exec(ddl);
  }
}

export interface SqliteRateLimitStoreOptions {
  /**
   * Applied only when the connection has no busy timeout yet: how long a process waits for
   * another one's transaction before SQLITE_BUSY.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

interface RequestRow {
  sent_at: number;
  responded_at: number | null;
  window_floor: number | null;
}
interface WaiterRow {
  id: string;
  priority: Priority;
  enqueued_at: number;
  heartbeat_at: number;
}

function prepareStatements(db: Database) {
  return {
    dropStaleWaiters: db.prepare<[string, number]>('DELETE FROM rate_limit_waiters WHERE api_id = ? AND heartbeat_at < ?'),
    waiters: db.prepare<[string], WaiterRow>(
      'SELECT id, priority, enqueued_at, heartbeat_at FROM rate_limit_waiters WHERE api_id = ?',
    ),
    // Uses rate_limit_requests_api_sent_idx; the horizon keeps this to a few hundred rows.
    countable: db.prepare<[string, number], RequestRow>(
      'SELECT sent_at, responded_at, window_floor FROM rate_limit_requests WHERE api_id = ? AND sent_at > ?',
    ),
    // What a clock-step reset rewrites (policy.ts resetRecordAfterStep): records after the horizon and all in flight.
    resettable: db.prepare<[string, number], RequestRow & { id: string }>(
      `SELECT id, sent_at, responded_at, window_floor FROM rate_limit_requests
       WHERE api_id = ? AND (sent_at > ? OR responded_at IS NULL)`,
    ),
    rewriteRequest: db.prepare<[number, number | null, number | null, string]>(
      'UPDATE rate_limit_requests SET sent_at = ?, responded_at = ?, window_floor = ? WHERE id = ?',
    ),
    resetWaiters: db.prepare<[number, number, string]>(
      'UPDATE rate_limit_waiters SET heartbeat_at = min(heartbeat_at, ?), enqueued_at = min(enqueued_at, ?) WHERE api_id = ?',
    ),
    setBlock: db.prepare<[string, number]>(
      `INSERT INTO rate_limit_state (api_id, blocked_until) VALUES (?, ?)
       ON CONFLICT (api_id) DO UPDATE SET blocked_until = excluded.blocked_until`,
    ),
    forgetFloors: db.prepare<[string, number]>(
      'UPDATE rate_limit_requests SET window_floor = NULL WHERE api_id = ? AND sent_at > ? AND window_floor IS NOT NULL',
    ),
    recentGrants: db
      .prepare<[string, number], { priority: Priority }>(
        'SELECT priority FROM rate_limit_requests WHERE api_id = ? ORDER BY sent_at DESC LIMIT ?',
      ),
    state: db.prepare<[string], { blocked_until: number | null; sliding_until: number | null }>(
      'SELECT blocked_until, sliding_until FROM rate_limit_state WHERE api_id = ?',
    ),
    insertRequest: db.prepare<[string, string, Priority, number, number | null]>(
      'INSERT INTO rate_limit_requests (id, api_id, priority, sent_at, window_floor) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteWaiter: db.prepare<[string, string]>('DELETE FROM rate_limit_waiters WHERE id = ? AND api_id = ?'),
    upsertWaiter: db.prepare<[string, string, Priority, number, number]>(
      `INSERT INTO rate_limit_waiters (id, api_id, priority, enqueued_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    ),
    markResponded: db.prepare<[number, number | null, number, string, string]>(
      `UPDATE rate_limit_requests SET responded_at = ?, status = ?, rate_limited = ?
       WHERE id = ? AND api_id = ? AND responded_at IS NULL`,
    ),
    forgetUnsent: db.prepare<[string, string]>(
      'DELETE FROM rate_limit_requests WHERE id = ? AND api_id = ? AND responded_at IS NULL',
    ),
    block: db.prepare<[string, number, number | null]>(
      `INSERT INTO rate_limit_state (api_id, blocked_until, sliding_until) VALUES (?, ?, ?)
       ON CONFLICT (api_id) DO UPDATE SET blocked_until = max(coalesce(blocked_until, 0), excluded.blocked_until),
         sliding_until = max(coalesce(sliding_until, 0), coalesce(excluded.sliding_until, 0))`,
    ),
    queued: db.prepare<[string, number], { priority: Priority; n: number }>(
      `SELECT priority, count(*) AS n FROM rate_limit_waiters
       WHERE api_id = ? AND heartbeat_at >= ? GROUP BY priority`,
    ),
    history: db.prepare<
      [number, number, string, number],
      { rate_limited_hour: number; rate_limited_day: number; requests_hour: number }
    >(
      `SELECT coalesce(sum(rate_limited = 1 AND sent_at > ?), 0) AS rate_limited_hour,
              coalesce(sum(rate_limited = 1), 0) AS rate_limited_day,
              coalesce(sum(sent_at > ?), 0) AS requests_hour
       FROM rate_limit_requests WHERE api_id = ? AND sent_at > ?`,
    ),
    pruneRequests: db.prepare<[number]>('DELETE FROM rate_limit_requests WHERE sent_at < ?'),
    pruneWaiters: db.prepare<[number]>('DELETE FROM rate_limit_waiters WHERE heartbeat_at < ?'),
    pruneState: db.prepare<[number]>(
      'DELETE FROM rate_limit_state WHERE max(coalesce(blocked_until, 0), coalesce(sliding_until, 0)) < ?',
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function toRecords(rows: readonly RequestRow[]): RequestRecord[] {
  return rows.map((row) => ({ sentAt: row.sent_at, respondedAt: row.responded_at, floor: row.window_floor }));
}

export class SqliteRateLimitStore implements RateLimitStore {
  private statements: Statements | null = null;

  /**
   * @param db A better-sqlite3 connection whose file holds the rate_limit_* tables (the app's
   * migrations, or {@link ensureRateLimitSchema}). WAL mode is recommended but left to the owner.
   */
  constructor(
    private readonly db: Database,
    options: SqliteRateLimitStoreOptions = {},
  ) {
    const current = db.pragma('busy_timeout', { simple: true });
    if (!current) db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  }

  // Prepared on first use so that constructing the store before migrations run is harmless.
  private get sql(): Statements {
    this.statements ??= prepareStatements(this.db);
    return this.statements;
  }

  async tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult[]> {
    const { apiId, now } = request;
    const sql = this.sql;
    const horizon = countHorizon(now, request);
    const entered = performance.now();
    const run = this.db.transaction((): TryAcquireResult[] => {
      // The wait for the write lock (up to busy_timeout) makes `now` that much earlier than the
      // decision (policy.ts toleranceAfterWait; db/postgres/rate-limit-store.ts says what it prevents).
      const toleranceMs = toleranceAfterWait(request.clockStepToleranceMs, performance.now() - entered);
      let records = toRecords(sql.countable.all(apiId, horizon));
      const waiterRows = sql.waiters.all(apiId);
      const ahead = logIsAhead(records, waiterRows.map((w) => w.heartbeat_at), now, toleranceMs);
      if (request.clockStepped || ahead) {
        for (const row of sql.resettable.all(apiId, horizon)) {
          const reset = resetRecordAfterStep(toRecords([row])[0]!, now);
          sql.rewriteRequest.run(reset.sentAt, reset.respondedAt, reset.floor, row.id);
        }
        sql.resetWaiters.run(now, now, apiId);
        sql.setBlock.run(apiId, stepResetBlockUntil(now, request.windowMs, toleranceMs));
        records = toRecords(sql.countable.all(apiId, horizon));
      }
      sql.dropStaleWaiters.run(apiId, now - request.staleWaiterMs);
      const queued = new Map(
        sql.waiters.all(apiId).map((row): [string, WaiterRecord] => [row.id, { id: row.id, priority: row.priority, enqueuedAt: row.enqueued_at }]),
      );
      const asked = new Map(request.waiters.map((w) => [w.waiterId, w]));
      const state = sql.state.get(apiId);
      const decisions = decideBatch({
        ...request,
        records,
        waiters: [...queued.values()],
        batch: request.waiters.map((w) => queued.get(w.waiterId) ?? { id: w.waiterId, priority: w.priority, enqueuedAt: w.enqueuedAt }),
        recentGrants: sql.recentGrants.all(apiId, grantLookback(request.backgroundEvery)).map((r) => r.priority),
        blockedUntil: state?.blocked_until ?? null,
        slidingUntil: state?.sliding_until ?? null,
      });
      return decisions.map(({ id, decision }): TryAcquireResult => {
        const waiter = asked.get(id)!;
        if (decision.kind === 'grant') {
          if (queued.has(id)) sql.deleteWaiter.run(id, apiId);
          sql.insertRequest.run(waiter.permitId, apiId, waiter.priority, now, decision.floor);
          return { waiterId: id, kind: 'granted', permit: { id: waiter.permitId, apiId, priority: waiter.priority, grantedAt: now } };
        }
        const self = queued.get(id) ?? { id, priority: waiter.priority, enqueuedAt: waiter.enqueuedAt };
        sql.upsertWaiter.run(id, apiId, self.priority, self.enqueuedAt, now);
        return { waiterId: id, kind: 'wait', waitUntil: decision.waitUntil, position: decision.position };
      });
    });
    return run.immediate();
  }

  async release(request: ReleaseRequest): Promise<void> {
    const sql = this.sql;
    const { apiId, permitId } = request;
    this.db
      .transaction(() => {
        if (request.notSent) {
          sql.forgetUnsent.run(permitId, apiId);
          return;
        }
        const changed = sql.markResponded.run(
          request.now,
          request.status ?? null,
          request.rateLimited ? 1 : 0,
          permitId,
          apiId,
        ).changes;
        if (changed > 0 && request.rateLimited && request.blockUntil !== undefined) {
          sql.block.run(apiId, request.blockUntil, request.slidingUntil ?? null);
          sql.forgetFloors.run(apiId, request.countHorizon ?? Number.MIN_SAFE_INTEGER);
        }
      })
      .immediate();
  }

  async dequeue(request: { apiId: string; waiterId: string }): Promise<void> {
    this.sql.deleteWaiter.run(request.waiterId, request.apiId);
  }

  async snapshot(request: SnapshotRequest): Promise<RateLimitSnapshot> {
    const sql = this.sql;
    const { apiId, now } = request;
    // A deferred transaction: one consistent read, no write lock.
    return this.db.transaction(() => {
      const queued: Record<Priority, number> = { interactive: 0, background: 0 };
      for (const row of sql.queued.all(apiId, now - request.staleWaiterMs)) {
        if (row.priority === 'interactive' || row.priority === 'background') queued[row.priority] = row.n;
      }
      const history = sql.history.get(now - HOUR_MS, now - HOUR_MS, apiId, now - DAY_MS);
      const state = sql.state.get(apiId);
      return buildSnapshot({
        ...request,
        records: toRecords(sql.countable.all(apiId, countHorizon(now, request))),
        blockedUntil: state?.blocked_until ?? null,
        slidingUntil: state?.sliding_until ?? null,
        queued,
        rateLimitedLastHour: history?.rate_limited_hour ?? 0,
        rateLimitedLastDay: history?.rate_limited_day ?? 0,
        requestsLastHour: history?.requests_hour ?? 0,
      });
    })();
  }

  async prune(request: PruneRequest): Promise<void> {
    const sql = this.sql;
    const { now } = request;
    this.db
      .transaction(() => {
        sql.pruneRequests.run(now - request.retentionMs);
        sql.pruneWaiters.run(now - request.staleWaiterMs);
        sql.pruneState.run(now - request.retentionMs);
      })
      .immediate();
  }
}
