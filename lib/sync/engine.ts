/**
 * One sync run of one database: refresh sites, plan (or resume) ranges, then fetch v2 pages with a
 * few workers sharing the database's rate-limit budget, committing each page with its rollups and
 * the range's cursor in one SQLite transaction. Progress is published at least every second.
 *
 * Exactness: a page's rows, the rollups they touch, the chunk cursor and (on the last page) the
 * days' coverage commit together, so a crash (even kill -9) loses at most the page in flight, and
 * the next run resumes at the cursor (issue #5).
 */
import { setMaxListeners } from 'node:events';
import { addDays, type Page, type Priority, type SonnysClient, type TransactionListItemV2 } from '@/lib/sonnys';
import type { SiteTimezones } from '@/lib/env';
import { describeFailure } from './errors';
import { createIngestor, type StoredTransaction } from './ingest';
import { normalizeTransaction } from './normalize';
import { PAGE_SIZE, planSync, type PlanSite } from './planner';
import { refreshSites, type ActiveSite } from './sites';
import { type ChunkRow, type RunProgress, type SyncStore, type Trigger } from './store';

/** A database to sync, with what it takes to reach it. */
export interface SyncTarget {
  key: string;
  name: string;
  apiId: string;
  defaultTimezone: string;
  /** Zones the operator set for sites (`SONNYS_<KEY>_SITE_TIMEZONES`), by upper-case site code. */
  siteTimezones?: SiteTimezones;
  /** Prefix of the credentials' variables (e.g. SONNYS_WASHU), named in failure messages; none in demo mode. */
  credentialsHint?: string;
  client: SonnysClient;
}

export interface SyncOptions {
  /** Days the first sync reaches back. @default 180 */
  backfillDays?: number;
  /** The API's horizon in days. @default 180 */
  horizonDays?: number;
  /** Trailing days always refetched. @default 2 */
  trailingDays?: number;
  /**
   * Pages in flight at once per database. As many as the window allows, so a window's requests go
   * out together and free their slots together; the rate limiter, not this, bounds the pace.
   * @default the rate limit (20)
   */
  concurrency?: number;
  /** Requests per window and window length, for the ETA forecast. @default 20, 15000 */
  rateLimit?: { limit: number; windowMs: number };
  /** Explicit inclusive local-day range (CLI --from/--to). */
  from?: string;
  to?: string;
  /**
   * With `from`/`to`: days fetched in full at or after this instant are not fetched again. A
   * request that joined another run passes when it was made, so its own run afterwards fetches
   * only what that run did not (issue 13). @default this run's start, or an interrupted
   * predecessor's
   */
  freshSince?: number;
  /** How often progress is written while running, ms. @default 1000 */
  progressIntervalMs?: number;
  now?: () => number;
}

export interface RunHandle {
  runId: number;
  databaseKey: string;
  /** Raised when a person joins a background run. */
  priority: Priority;
  progress: RunProgress;
  done: Promise<RunOutcome>;
  /**
   * Graceful stop (SIGTERM): no new page is requested; pages already sent may finish and commit
   * for up to `graceMs`, then whatever is still waiting is abandoned (its cursor has not moved,
   * so the next run fetches it). The run ends `interrupted`, its lease released.
   */
  stop(graceMs?: number): void;
}

export interface RunOutcome {
  runId: number;
  databaseKey: string;
  status: 'succeeded' | 'failed';
  message: string;
  progress: RunProgress;
}

/** v2 snapshots live 10 minutes (FACTS §2.2 #5); resume a range's paging only well inside that. */
const SNAPSHOT_SAFE_MS = 9 * 60 * 1000;

export function runSync(input: {
  store: SyncStore;
  target: SyncTarget;
  runId: number;
  owner: string;
  trigger: Trigger;
  priority: Priority;
  options?: SyncOptions;
}): RunHandle {
  const { store, target, runId, owner } = input;
  const options = input.options ?? {};
  const now = options.now ?? Date.now;
  const { limit, windowMs } = options.rateLimit ?? { limit: 20, windowMs: 15_000 };
  const progress: RunProgress = { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null };
  const handle: RunHandle = { runId, databaseKey: target.key, priority: input.priority, progress, done: undefined as never, stop: () => {} };

  const chunkPagesDone = new Map<number, number>();
  let chunks: ChunkRow[] = [];
  let siteListPlanned = 0;

  const recomputePlan = () => {
    let remaining = 0;
    for (const c of chunks) {
      if (c.status === 'done') continue;
      remaining += Math.max(1, c.estimatedPages - (chunkPagesDone.get(c.id) ?? 0));
    }
    progress.plannedRequests = Math.max(progress.doneRequests, progress.doneRequests + remaining + siteListPlanned);
    const left = progress.plannedRequests - progress.doneRequests;
    progress.etaAt = left > 0 ? now() + Math.ceil((left / limit) * windowMs) : now();
  };
  const publish = () => {
    recomputePlan();
    store.heartbeat(target.key, runId, owner, now(), progress);
  };

  handle.done = (async (): Promise<RunOutcome> => {
    const timer = setInterval(() => {
      try {
        publish();
      } catch {
        // A busy database must not kill the run; the next tick writes again.
      }
    }, options.progressIntervalMs ?? 1000);
    timer.unref?.();
    const requestOptions = () => ({ priority: handle.priority });
    let failure: { error: unknown; siteCode?: string; endpoint: string; detail?: string } | undefined;
    const abort = new AbortController();
    // Every in-flight page listens on the run's signal (the request, its retry wait and its limiter
    // wait: up to three each), so a pool of 20 passes Node's default of 10 listeners without any leak.
    setMaxListeners(3 * Math.max(1, options.concurrency ?? limit) + 10, abort.signal);
    let stopping = false;
    let wakeWorkers = () => {};
    const finishStopped = (): RunOutcome => {
      const message = `Stopped when Washboard shut down, after ${progress.rows.toLocaleString('en-US')} transactions; the next sync continues where it left off.`;
      recomputePlan();
      progress.etaAt = null;
      try {
        store.finishRun(target.key, runId, owner, now(), 'interrupted', message, progress);
      } catch {
        // The lease expires by itself, and the next run records the interruption.
      }
      return { runId, databaseKey: target.key, status: 'failed', message, progress };
    };
    handle.stop = (graceMs = 5_000) => {
      if (stopping) return;
      stopping = true;
      wakeWorkers();
      setTimeout(() => abort.abort(), graceMs).unref?.();
    };

    try {
      // 1. Sites (at most one request, and none within the API's one-hour cache).
      siteListPlanned = 1;
      publish();
      let sites: ActiveSite[];
      try {
        const refreshed = await refreshSites({
          client: target.client,
          store,
          databaseKey: target.key,
          defaultTimezone: target.defaultTimezone,
          ...(target.siteTimezones ? { siteTimezones: target.siteTimezones } : {}),
          now,
          requestOptions: requestOptions(),
        });
        sites = refreshed.sites;
        if (refreshed.fetched) progress.doneRequests++;
      } catch (error) {
        failure = { error, endpoint: 'GET /site/list' };
        throw error;
      }
      siteListPlanned = 0;

      // 2. Plan: first what interrupted runs left, then whatever else is due.
      chunks = store.adoptPendingChunks(target.key, runId);
      const adopted = new Set(chunks.map((c) => `${c.siteCode}|${c.fromDay}|${c.toDay}`));
      const coverage = store.coverage(target.key);
      const perDay = store.rowsPerDay(target.key);
      const planSites: PlanSite[] = sites.map((s) => ({ code: s.code, timezone: s.timezone, rowsPerDay: perDay.get(s.code) ?? null }));
      const runStart = store.getRun(runId)?.startedAt ?? now();
      const planned = planSync(planSites, coverage, {
        freshSince: options.freshSince ?? store.interruptedPredecessorStart(target.key, runId) ?? runStart,
        now: now(),
        backfillDays: options.backfillDays ?? 180,
        horizonDays: options.horizonDays ?? 180,
        trailingDays: options.trailingDays ?? 2,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
      }).filter((c) => !adopted.has(`${c.siteCode}|${c.fromDay}|${c.toDay}`));
      // Adopted ranges cover those days now; don't plan them twice.
      const adoptedDays = new Set<string>();
      for (const c of chunks) for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) adoptedDays.add(`${c.siteCode}|${d}`);
      const fresh = planned.filter((c) => {
        for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) if (!adoptedDays.has(`${c.siteCode}|${d}`)) return true;
        return false;
      });
      store.addChunks(target.key, runId, fresh, chunks.length);
      chunks = store.listChunks(runId);
      publish();

      // 3. Fetch, a few pages at a time, most recent ranges first.
      const zones = new Map(sites.map((s) => [s.code, s.timezone]));
      const ingest = createIngestor(store.sqlite);
      // Work is a queue of page fetches. A range starts with one page; once the API says how many
      // rows the range has, its other pages are queued at the front and fetched in parallel, so the
      // last window is not spent waiting on one range paging sequentially. With a null total
      // (production sometimes sends one, FACTS §3 Q2) the range pages one at a time to its short page.
      interface RangeState {
        days: string[];
        zone: string;
        firstPage: number;
        lastPage: number | null;
        scheduled: Set<number>;
        /** Pages fetched but not yet committed (a page before them is still on its way). */
        arrived: Map<number, StoredTransaction[]>;
        fetchedAt: number | null;
      }
      interface Task {
        chunk: ChunkRow;
        page: number;
      }
      const states = new Map<number, RangeState>();
      const tasks: Task[] = [];
      for (const chunk of chunks) {
        if (chunk.status !== 'pending') continue;
        if (chunk.nextPage > 1 && (chunk.firstFetchedAt === null || now() - chunk.firstFetchedAt > SNAPSHOT_SAFE_MS)) {
          store.restartChunk(chunk.id);
          chunk.nextPage = 1;
          chunk.firstFetchedAt = null;
        }
        const days: string[] = [];
        for (let d = chunk.fromDay; d <= chunk.toDay; d = addDays(d, 1)) days.push(d);
        states.set(chunk.id, {
          days,
          zone: zones.get(chunk.siteCode) ?? target.defaultTimezone,
          firstPage: chunk.nextPage,
          lastPage: null,
          scheduled: new Set([chunk.nextPage]),
          arrived: new Map(),
          fetchedAt: chunk.firstFetchedAt,
        });
        tasks.push({ chunk, page: chunk.nextPage });
      }

      let active = 0;
      let waiting: (() => void)[] = [];
      const notify = () => {
        const w = waiting;
        waiting = [];
        for (const wake of w) wake();
      };
      wakeWorkers = notify;
      const nextTask = async (): Promise<Task | undefined> => {
        for (;;) {
          if (abort.signal.aborted || stopping) return undefined;
          const task = tasks.shift();
          if (task) return task;
          if (active === 0) return undefined;
          await new Promise<void>((resolve) => waiting.push(resolve));
        }
      };

      const fetchPage = async ({ chunk, page: pageNumber }: Task) => {
        const state = states.get(chunk.id)!;
        // Coverage is as of the range's first request: conservative for days still in progress.
        state.fetchedAt ??= now();
        const fetchedAt = state.fetchedAt;
        const list = target.client.transactions.listV2(
          { startDate: chunk.startUnix, endDate: chunk.endUnix, site: chunk.siteCode, limit: PAGE_SIZE, startPage: pageNumber },
          { ...requestOptions(), signal: abort.signal },
        );
        let page: Page<TransactionListItemV2> | undefined;
        for await (const p of list.pages()) {
          page = p;
          break;
        }
        if (!page) throw new Error(`no page ${pageNumber} for ${chunk.fromDay} to ${chunk.toDay}`);
        const rows: StoredTransaction[] = page.items.map((item) => normalizeTransaction(item, chunk.siteCode, state.zone));

        const short = page.items.length < page.limit;
        if (state.lastPage === null || short) {
          const byTotal = page.total === null ? null : Math.max(1, Math.ceil(page.total / page.limit));
          const candidate = short ? pageNumber : byTotal;
          if (candidate !== null) state.lastPage = state.lastPage === null ? candidate : Math.min(state.lastPage, candidate);
        }
        const follow: Task[] = [];
        const upTo = state.lastPage ?? (short ? pageNumber : pageNumber + 1);
        for (let p = pageNumber + 1; p <= upTo; p++) {
          if (!state.scheduled.has(p)) {
            state.scheduled.add(p);
            follow.push({ chunk, page: p });
          }
        }
        tasks.unshift(...follow);
        if (follow.length) notify();

        // Commit in page order, so the stored cursor means "every page before it is in": a page that
        // arrives early waits in memory for the ones before it (a crash refetches only those).
        state.arrived.set(pageNumber, rows);
        progress.doneRequests++;
        chunkPagesDone.set(chunk.id, (chunkPagesDone.get(chunk.id) ?? 0) + 1);
        if (state.lastPage !== null) chunk.estimatedPages = state.lastPage - state.firstPage + 1;
        for (let ready = state.arrived.get(chunk.nextPage); ready; ready = state.arrived.get(chunk.nextPage)) {
          const committedPage = chunk.nextPage;
          state.arrived.delete(committedPage);
          const complete = state.lastPage !== null && committedPage >= state.lastPage;
          const at = now();
          store.sqlite.transaction(() => {
            ingest.upsert(target.key, ready, at);
            store.advanceChunk(chunk.id, committedPage + 1, ready.length, fetchedAt);
            if (complete) store.completeChunk(chunk, target.key, state.days, state.zone, fetchedAt, at);
          })();
          chunk.firstFetchedAt = fetchedAt;
          chunk.nextPage = committedPage + 1;
          progress.rows += ready.length;
          if (complete) {
            chunk.status = 'done';
            break;
          }
        }
      };

      const worker = async () => {
        for (let task = await nextTask(); task; task = await nextTask()) {
          active++;
          try {
            await fetchPage(task);
          } catch (error) {
            // While stopping, a page cut off by the grace period is simply not committed.
            if (!failure && !stopping) {
              failure = {
                error,
                siteCode: task.chunk.siteCode,
                endpoint: 'GET /transaction/version-2',
                detail: `${task.chunk.fromDay} to ${task.chunk.toDay}, page ${task.page}`,
              };
            }
            abort.abort();
          } finally {
            active--;
            notify();
          }
        }
      };

      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? limit) }, worker));
      if (failure) throw failure.error;
      if (stopping && chunks.some((c) => c.status !== 'done')) return finishStopped();

      const siteCount = new Set(chunks.map((c) => c.siteCode)).size;
      const message = chunks.length
        ? `Synced ${progress.rows.toLocaleString('en-US')} transactions from ${siteCount} site${siteCount === 1 ? '' : 's'} with ${progress.doneRequests.toLocaleString('en-US')} request${progress.doneRequests === 1 ? '' : 's'}.`
        : `Already up to date (${progress.doneRequests.toLocaleString('en-US')} request${progress.doneRequests === 1 ? '' : 's'}).`;
      recomputePlan();
      progress.etaAt = null;
      store.finishRun(target.key, runId, owner, now(), 'succeeded', message, progress);
      return { runId, databaseKey: target.key, status: 'succeeded', message, progress };
    } catch (error) {
      if (stopping) return finishStopped();
      const f = failure ?? { error, endpoint: 'sync' };
      const message = describeFailure(f.error, {
        databaseName: target.name,
        ...(target.credentialsHint ? { credentialsHint: target.credentialsHint } : {}),
        ...(f.siteCode ? { siteCode: f.siteCode } : {}),
        endpoint: f.endpoint,
        ...(f.detail ? { detail: f.detail } : {}),
      });
      recomputePlan();
      progress.etaAt = null;
      try {
        store.finishRun(target.key, runId, owner, now(), 'failed', message, progress);
      } catch {
        // The lease expires by itself; the message is still returned to the caller.
      }
      return { runId, databaseKey: target.key, status: 'failed', message, progress };
    } finally {
      clearInterval(timer);
    }
  })();
  return handle;
}
