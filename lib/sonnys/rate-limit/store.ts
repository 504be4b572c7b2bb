/**
 * Where the shared budget lives. Each method is one atomic step over the state of one API ID, so
 * processes that share a store (a SQLite file, a Postgres database: db/sqlite/rate-limit-store.ts, db/postgres/rate-limit-store.ts) never both take the last slot.
 *
 * The shape is chosen so a Redis store can implement it as one Lua script per method: every method
 * is async, takes plain data including `now` (the caller's clock, so tests and all processes agree
 * on time), and the decision itself is `decideBatch` from `policy.ts`.
 */
import type { Priority, RateLimitSnapshot } from './types';

/** The data of a granted permit, as the store logged it. */
export interface PermitRecord {
  id: string;
  apiId: string;
  priority: Priority;
  /** Epoch ms, the log's `sentAt`. */
  grantedAt: number;
}

/** One waiter of the calling process, as `tryAcquire` queues or grants it. */
export interface WaiterRequest {
  /** Stable across the retries of one acquire call; the waiter's row id. */
  waiterId: string;
  priority: Priority;
  /** When the acquire call started, so a waiter that was purged as stale keeps its place on return. */
  enqueuedAt: number;
  /** The permit id to log if granted. */
  permitId: string;
}

export interface TryAcquireRequest {
  apiId: string;
  /** The calling process's waiters for the API ID (one or many); each is granted or queued. */
  waiters: WaiterRequest[];
  now: number;
  limit: number;
  windowMs: number;
  maxInFlightMs: number;
  /** Waiters whose heartbeat is older than this many ms are deleted before deciding. */
  staleWaiterMs: number;
  /** One grant in this many goes to background work when both priorities wait (`serviceOrder`). */
  backgroundEvery: number;
  /**
   * A log stamp later than `now` by more than this means the clock was stepped back; so does
   * `clockStepped`. Either way the store resets the API ID before deciding (policy.ts, "Clock steps").
   * A store that waited for its lock adds the wait to this, since `now` is that much older.
   */
  clockStepToleranceMs: number;
  /** The caller's monotonic clock saw the wall clock step since its previous reading. */
  clockStepped: boolean;
}

export type TryAcquireResult =
  | { waiterId: string; kind: 'granted'; permit: PermitRecord }
  /**
   * Not granted: the store queued the waiter (or refreshed its heartbeat). `waitUntil` is a lower
   * bound of the grant time; `position` is how many waiters are ahead.
   */
  | { waiterId: string; kind: 'wait'; waitUntil: number; position: number };

export interface ReleaseRequest {
  apiId: string;
  permitId: string;
  now: number;
  status?: number;
  rateLimited?: boolean;
  /** The request never left the process: forget the record, returning the slot at once. */
  notSent?: boolean;
  /** When `rateLimited`, no permit for the API ID is granted before this time. */
  blockUntil?: number;
  /** When `rateLimited`, the sliding rule applies until this time (policy.ts, "Another program"). */
  slidingUntil?: number;
  /**
   * When `rateLimited`: the recorded floors of requests sent after this time are forgotten (a 429
   * means another program shares the API ID, so they rest on a broken assumption); older ones are
   * never read again (`countHorizon`).
   */
  countHorizon?: number;
}

export interface SnapshotRequest {
  apiId: string;
  now: number;
  limit: number;
  windowMs: number;
  maxInFlightMs: number;
  staleWaiterMs: number;
}

export interface PruneRequest {
  now: number;
  /** Request records sent before `now - retentionMs` are deleted (the snapshot looks back 24 h). */
  retentionMs: number;
  staleWaiterMs: number;
}

export interface RateLimitStore {
  /**
   * Atomically: reset the API ID if the clock stepped (`logIsAhead` or `clockStepped`:
   * `resetRecordAfterStep` on the records, waiter stamps down to now, blocked until
   * now + windowMs + clockStepToleranceMs), drop stale waiters, decide for the caller's waiters
   * (`decideBatch`), then for each either log a request with its floor and remove its waiter row, or
   * insert its waiter row (enqueue) or refresh its heartbeat, and say how long to wait. One result
   * per waiter, in service order. A process calls this for its waiters at least every
   * `pollIntervalMs`, so the call doubles as their heartbeat: one round trip instead of two, and a
   * waiter that stops being presented is a waiter that is gone.
   */
  tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult[]>;
  /** Marks the request answered (idempotent: a second release of the same permit changes nothing). */
  release(request: ReleaseRequest): Promise<void>;
  /** Removes a waiter that gave up (abort). */
  dequeue(request: { apiId: string; waiterId: string }): Promise<void>;
  snapshot(request: SnapshotRequest): Promise<RateLimitSnapshot>;
  /** Housekeeping; cheap enough to call every few minutes, not meant for every acquire. */
  prune(request: PruneRequest): Promise<void>;
}

/** The log look-backs the snapshot reports. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
