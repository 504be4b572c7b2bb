/**
 * A {@link RateLimitStore} in this process's memory: for tests, and for library users with a
 * single process per API ID. Each method runs synchronously inside one JavaScript turn, which is
 * what makes it atomic; share one instance between every limiter of the process.
 */
import {
  buildSnapshot,
  countHorizon,
  decideBatch,
  grantLookback,
  logIsAhead,
  resetRecordAfterStep,
  stepResetBlockUntil,
  type RequestRecord,
  type WaiterRecord,
} from './policy';
import {
  DAY_MS,
  HOUR_MS,
  type PruneRequest,
  type RateLimitStore,
  type ReleaseRequest,
  type SnapshotRequest,
  type TryAcquireRequest,
  type TryAcquireResult,
} from './store';
import type { Priority, RateLimitSnapshot } from './types';

interface StoredRequest extends RequestRecord {
  id: string;
  priority: Priority;
  status: number | null;
  rateLimited: boolean;
  /** Insertion order, to keep grants with the same stamp in the order they were made. */
  seq: number;
}

interface StoredWaiter extends WaiterRecord {
  heartbeatAt: number;
}

interface ApiState {
  /** Sorted by sentAt (ties in insertion order), so the horizon read can stop at the first old one. */
  requests: StoredRequest[];
  byId: Map<string, StoredRequest>;
  waiters: Map<string, StoredWaiter>;
  blockedUntil: number | null;
  slidingUntil: number | null;
  nextSeq: number;
}

function bySentAt(a: StoredRequest, b: StoredRequest): number {
  return a.sentAt - b.sentAt || a.seq - b.seq;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly apis = new Map<string, ApiState>();

  private state(apiId: string): ApiState {
    let state = this.apis.get(apiId);
    if (!state) {
      state = { requests: [], byId: new Map(), waiters: new Map(), blockedUntil: null, slidingUntil: null, nextSeq: 0 };
      this.apis.set(apiId, state);
    }
    return state;
  }

  /** Newest records back to the horizon; older ones cannot count (see `countHorizon`). */
  private recent(state: ApiState, horizon: number): StoredRequest[] {
    const out: StoredRequest[] = [];
    for (let i = state.requests.length - 1; i >= 0; i--) {
      const record = state.requests[i]!;
      if (record.sentAt <= horizon) break;
      out.push(record);
    }
    return out;
  }

  private insert(state: ApiState, record: StoredRequest): void {
    // Almost always an append; a grant stamped a little before the newest (a `now` read before
    // another process's grant) moves back a few places.
    let i = state.requests.length;
    while (i > 0 && bySentAt(state.requests[i - 1]!, record) > 0) i -= 1;
    state.requests.splice(i, 0, record);
    state.byId.set(record.id, record);
  }

  private dropStaleWaiters(state: ApiState, now: number, staleWaiterMs: number): void {
    for (const [id, waiter] of state.waiters) {
      if (waiter.heartbeatAt < now - staleWaiterMs) state.waiters.delete(id);
    }
  }

  /** The clock-step reset (policy.ts, "Clock steps"). */
  private resetAfterStep(state: ApiState, request: TryAcquireRequest): void {
    const { now } = request;
    const horizon = countHorizon(now, request);
    for (const record of state.requests) {
      if (record.sentAt <= horizon && record.respondedAt !== null) continue;
      Object.assign(record, resetRecordAfterStep(record, now));
    }
    state.requests.sort(bySentAt);
    for (const waiter of state.waiters.values()) {
      waiter.heartbeatAt = Math.min(waiter.heartbeatAt, now);
      waiter.enqueuedAt = Math.min(waiter.enqueuedAt, now);
    }
    state.blockedUntil = stepResetBlockUntil(now, request.windowMs, request.clockStepToleranceMs);
  }

  async tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult[]> {
    const { apiId, now } = request;
    const state = this.state(apiId);
    const horizon = countHorizon(now, request);
    const waiterStamps = [...state.waiters.values()].map((w) => w.heartbeatAt);
    if (request.clockStepped || logIsAhead(this.recent(state, horizon), waiterStamps, now, request.clockStepToleranceMs)) {
      this.resetAfterStep(state, request);
    }
    this.dropStaleWaiters(state, now, request.staleWaiterMs);
    const asked = new Map(request.waiters.map((w) => [w.waiterId, w]));
    const batch = request.waiters.map(
      (w): WaiterRecord => state.waiters.get(w.waiterId) ?? { id: w.waiterId, priority: w.priority, enqueuedAt: w.enqueuedAt },
    );
    const decisions = decideBatch({
      ...request,
      records: this.recent(state, horizon),
      waiters: [...state.waiters.values()],
      batch,
      recentGrants: this.recentGrants(state, grantLookback(request.backgroundEvery)),
      blockedUntil: state.blockedUntil,
      slidingUntil: state.slidingUntil,
    });
    return decisions.map(({ id, decision }): TryAcquireResult => {
      const waiter = asked.get(id)!;
      if (decision.kind === 'grant') {
        state.waiters.delete(id);
        this.insert(state, {
          id: waiter.permitId,
          priority: waiter.priority,
          sentAt: now,
          respondedAt: null,
          floor: decision.floor,
          status: null,
          rateLimited: false,
          seq: state.nextSeq++,
        });
        return { waiterId: id, kind: 'granted', permit: { id: waiter.permitId, apiId, priority: waiter.priority, grantedAt: now } };
      }
      const queued = state.waiters.get(id) ?? { id, priority: waiter.priority, enqueuedAt: waiter.enqueuedAt, heartbeatAt: now };
      state.waiters.set(id, { ...queued, heartbeatAt: now });
      return { waiterId: id, kind: 'wait', waitUntil: decision.waitUntil, position: decision.position };
    });
  }

  /** Newest grants first, by stamp as the SQLite store reads them. */
  private recentGrants(state: ApiState, lookback: number): Priority[] {
    return lookback === 0 ? [] : state.requests.slice(-lookback).reverse().map((r) => r.priority);
  }

  async release(request: ReleaseRequest): Promise<void> {
    const state = this.state(request.apiId);
    const record = state.byId.get(request.permitId);
    if (!record || record.respondedAt !== null) return;
    if (request.notSent) {
      state.byId.delete(record.id);
      state.requests.splice(state.requests.indexOf(record), 1);
      return;
    }
    record.respondedAt = request.now;
    record.status = request.status ?? null;
    record.rateLimited = request.rateLimited === true;
    if (request.rateLimited && request.blockUntil !== undefined) {
      state.blockedUntil = Math.max(state.blockedUntil ?? 0, request.blockUntil);
      if (request.slidingUntil !== undefined) state.slidingUntil = Math.max(state.slidingUntil ?? 0, request.slidingUntil);
      for (const other of this.recent(state, request.countHorizon ?? Number.NEGATIVE_INFINITY)) other.floor = null;
    }
  }

  async dequeue(request: { apiId: string; waiterId: string }): Promise<void> {
    this.state(request.apiId).waiters.delete(request.waiterId);
  }

  async snapshot(request: SnapshotRequest): Promise<RateLimitSnapshot> {
    const { now } = request;
    const state = this.state(request.apiId);
    const queued: Record<Priority, number> = { interactive: 0, background: 0 };
    for (const waiter of state.waiters.values()) {
      if (waiter.heartbeatAt >= now - request.staleWaiterMs) queued[waiter.priority] += 1;
    }
    let rateLimitedLastHour = 0;
    let rateLimitedLastDay = 0;
    let requestsLastHour = 0;
    for (const record of this.recent(state, now - DAY_MS)) {
      const lastHour = record.sentAt > now - HOUR_MS;
      if (lastHour) requestsLastHour += 1;
      if (record.rateLimited) {
        rateLimitedLastDay += 1;
        if (lastHour) rateLimitedLastHour += 1;
      }
    }
    return buildSnapshot({
      ...request,
      records: this.recent(state, countHorizon(now, request)),
      blockedUntil: state.blockedUntil,
      slidingUntil: state.slidingUntil,
      queued,
      rateLimitedLastHour,
      rateLimitedLastDay,
      requestsLastHour,
    });
  }

  async prune(request: PruneRequest): Promise<void> {
    const cutoff = request.now - request.retentionMs;
    for (const state of this.apis.values()) {
      const kept = state.requests.filter((record) => record.sentAt >= cutoff);
      for (const record of state.requests) if (record.sentAt < cutoff) state.byId.delete(record.id);
      state.requests = kept;
      this.dropStaleWaiters(state, request.now, request.staleWaiterMs);
    }
  }
}
