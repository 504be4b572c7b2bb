/**
 * A {@link RateLimitStore} in this process's memory: for tests, and for library users with a
 * single process per API ID. Each method runs synchronously inside one JavaScript turn, which is
 * what makes it atomic; share one instance between every limiter of the process.
 */
import { buildSnapshot, countHorizon, decideAcquire, grantLookback, type RequestRecord, type WaiterRecord } from './policy';
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
}

interface StoredWaiter extends WaiterRecord {
  heartbeatAt: number;
}

interface ApiState {
  /** In grant order, which is sentAt order as long as the clock does not step back. */
  requests: StoredRequest[];
  byId: Map<string, StoredRequest>;
  waiters: Map<string, StoredWaiter>;
  blockedUntil: number | null;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly apis = new Map<string, ApiState>();

  private state(apiId: string): ApiState {
    let state = this.apis.get(apiId);
    if (!state) {
      state = { requests: [], byId: new Map(), waiters: new Map(), blockedUntil: null };
      this.apis.set(apiId, state);
    }
    return state;
  }

  /** Newest records back to the count horizon; older ones cannot count (see `countHorizon`). */
  private recent(state: ApiState, horizon: number): StoredRequest[] {
    const out: StoredRequest[] = [];
    for (let i = state.requests.length - 1; i >= 0; i--) {
      const record = state.requests[i]!;
      if (record.sentAt <= horizon) break;
      out.push(record);
    }
    return out;
  }

  private dropStaleWaiters(state: ApiState, now: number, staleWaiterMs: number): void {
    for (const [id, waiter] of state.waiters) {
      if (waiter.heartbeatAt < now - staleWaiterMs) state.waiters.delete(id);
    }
  }

  async tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult> {
    const { apiId, now } = request;
    const state = this.state(apiId);
    this.dropStaleWaiters(state, now, request.staleWaiterMs);
    const self = state.waiters.get(request.waiterId) ?? {
      id: request.waiterId,
      priority: request.priority,
      enqueuedAt: request.enqueuedAt,
      heartbeatAt: now,
    };
    const recentGrants: Priority[] = [];
    const lookback = grantLookback(request.backgroundEvery);
    for (let i = state.requests.length - 1; i >= 0 && recentGrants.length < lookback; i--) {
      recentGrants.push(state.requests[i]!.priority);
    }
    const decision = decideAcquire({
      ...request,
      records: this.recent(state, countHorizon(now, request)),
      waiters: [...state.waiters.values()],
      self,
      recentGrants,
      blockedUntil: state.blockedUntil,
    });
    if (decision.kind === 'grant') {
      state.waiters.delete(request.waiterId);
      const record: StoredRequest = {
        id: request.permitId,
        priority: request.priority,
        sentAt: now,
        respondedAt: null,
        status: null,
        rateLimited: false,
      };
      state.requests.push(record);
      state.byId.set(record.id, record);
      return { kind: 'granted', permit: { id: record.id, apiId, priority: record.priority, grantedAt: now } };
    }
    state.waiters.set(self.id, { ...self, heartbeatAt: now });
    return { kind: 'wait', waitUntil: decision.waitUntil, position: decision.position };
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
