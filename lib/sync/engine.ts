/**
 * One sync run of one database: refresh sites, plan (or resume) the work, run it on a queue of
 * one-request jobs that share the database's rate-limit budget, and report.
 *
 * The work (see `planner.ts`, `kpi-planner.ts`, `work/*`): v2 ranges (sales), wash lists,
 * plan-sale verifications and clock entries (the car-wash KPIs, issue #11). Order: today's and
 * yesterday's sales first, then their KPI data, then older sales, then older KPI data, most
 * recent first within each; KPI data of a site's days waits for the v2 range that brings them.
 * Sync now joining a run puts today's and yesterday's sales back at the front (`freshen`).
 *
 * Exactness: each piece of work commits with its cursor in one SQLite transaction (a page's rows,
 * the rollups they touch, the range's cursor and, on the last page, the days' coverage), so a
 * crash (even kill -9) loses at most what was in flight, and the next run resumes at the cursors
 * (issue #5).
 */
import { setMaxListeners } from 'node:events';
import { addDays, daysBetween, toLocalDate } from '@/lib/calendar';
import { API_RATE_LIMIT, type Priority, type SonnysClient } from '@/lib/sonnys';
import type { SiteTimezones } from '@/lib/env';
import { describeFailure } from './errors';
import { createIngestor } from './ingest';
import { planKpis } from './kpi-planner';
import { FIRST_SCREEN_DAYS, planSync, type PlannedChunk, type PlanSite } from './planner';
import { ProgressReporter } from './progress';
import { chunkTag, type RunContext } from './run-context';
import { refreshSites, type ActiveSite } from './sites';
import { type ChunkKind, type ChunkRow, type RunProgress, type SyncStore, type Trigger } from './store';
import { startLabor, startEmployees } from './work/labor';
import { startMemberships } from './work/memberships';
import { startTransactions, TRANSACTIONS_ENDPOINT } from './work/transactions';
import { startWashes, WASHES_ENDPOINT } from './work/washes';
import { JobFailure, WorkQueue } from './work-queue';

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
  /** Fetch the car-wash KPI data (wash lists, verifications, clock entries) too. @default true */
  kpis?: boolean;
  /**
   * Requests in flight at once per database. As many as the window allows, so a window's requests
   * go out together and free their slots together; the rate limiter, not this, bounds the pace.
   * @default the rate limit's requests per window (20)
   */
  concurrency?: number;
  /** Requests per window and window length, for the ETA forecast. @default API_RATE_LIMIT (20 per 15 000 ms) */
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
   * Graceful stop (SIGTERM): no new request is made; requests already sent may finish and commit
   * for up to `graceMs`, then whatever is still waiting is abandoned (its cursor has not moved,
   * so the next run fetches it). The run ends `interrupted`, its lease released.
   */
  stop(graceMs?: number): void;
  /**
   * Someone asked for fresh numbers (Sync now) while this run goes: today's and yesterday's sales
   * of every site go to the front of the queue, unless they were fetched since `since`.
   */
  freshen(since: number): void;
}

export interface RunOutcome {
  runId: number;
  databaseKey: string;
  status: 'succeeded' | 'failed';
  message: string;
  progress: RunProgress;
}

/**
 * Work order: lower first. Groups, then days ago (most recent first), then kind. The first two
 * groups go alone (see WorkQueue): Sync now's fresh numbers, and the first screen's sales (the
 * last week), each take whole windows of the budget until they are in.
 */
const GROUP = { freshen: 0, firstScreen: 1, recentKpis: 2, sales: 3, kpis: 4 } as const;
const EXCLUSIVE_BELOW = GROUP.recentKpis * 1e6;
const KIND_ORDER: Record<ChunkKind, number> = { transactions: 0, washes: 0.1, memberships: 0.2, labor: 0.3 };

function priorityOf(chunk: Pick<ChunkRow, 'kind' | 'toDay'>, today: string, trailingDays: number): number {
  const daysAgo = Math.max(0, daysBetween(chunk.toDay, today));
  const group =
    chunk.kind === 'transactions' ? (daysAgo < FIRST_SCREEN_DAYS ? GROUP.firstScreen : GROUP.sales) : daysAgo < trailingDays ? GROUP.recentKpis : GROUP.kpis;
  return group * 1e6 + daysAgo + KIND_ORDER[chunk.kind];
}

const sameWork = (a: Pick<ChunkRow, 'kind' | 'siteCode' | 'fromDay' | 'toDay'>) => `${a.kind}|${a.siteCode}|${a.fromDay}|${a.toDay}`;

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
  const rate = options.rateLimit ?? API_RATE_LIMIT;
  const reporter = new ProgressReporter({ store, databaseKey: target.key, runId, owner, now, rate });
  // Waits (a load-job building) are real time, whatever clock the data is judged by.
  const queue = new WorkQueue(Date.now, EXCLUSIVE_BELOW);
  const abort = new AbortController();
  // Every job in flight listens on the run's signal (the request, its retry wait and its limiter
  // wait: up to three each), so a pool of 20 (and the extra workers exclusive work may get) passes
  // Node's default of 10 listeners without any leak.
  setMaxListeners(6 * Math.max(1, options.concurrency ?? rate.limit) + 10, abort.signal);
  let stopping = false;
  let freshen: (since: number) => void = () => {};

  const handle: RunHandle = {
    runId,
    databaseKey: target.key,
    priority: input.priority,
    progress: reporter.progress,
    done: undefined as never,
    stop: (graceMs = 5_000) => {
      if (stopping) return;
      stopping = true;
      queue.stop();
      setTimeout(() => abort.abort(), graceMs).unref?.();
    },
    freshen: (since) => freshen(since),
  };

  const zones = new Map<string, string>();
  const ctx: RunContext = {
    store,
    ingest: createIngestor(store.sqlite),
    target,
    queue,
    progress: reporter,
    now,
    request: () => ({ priority: handle.priority, signal: abort.signal }),
    zoneOf: (siteCode) => zones.get(siteCode) ?? target.defaultTimezone,
    chunkDone: (chunk) => {
      reporter.chunkDone(chunk.id);
      queue.release(chunkTag(chunk.id));
    },
  };

  const finish = (status: 'succeeded' | 'failed' | 'interrupted', message: string): RunOutcome => {
    const progress = reporter.final();
    try {
      store.finishRun(target.key, runId, owner, now(), status, message, progress);
    } catch {
      // The lease expires by itself, and the next run records what happened.
    }
    return { runId, databaseKey: target.key, status: status === 'succeeded' ? 'succeeded' : 'failed', message, progress };
  };

  handle.done = (async (): Promise<RunOutcome> => {
    reporter.start(options.progressIntervalMs ?? 1000);
    let stage: { endpoint: string } = { endpoint: 'GET /site/list' };
    try {
      // 1. Sites (at most one request, and none within the API's one-hour cache).
      reporter.expectExtra(1);
      reporter.publish();
      const refreshed = await refreshSites({
        client: target.client,
        store,
        databaseKey: target.key,
        defaultTimezone: target.defaultTimezone,
        ...(target.siteTimezones ? { siteTimezones: target.siteTimezones } : {}),
        now,
        requestOptions: ctx.request(),
      });
      reporter.expectExtra(-1);
      if (refreshed.fetched) reporter.requestDone();
      for (const s of refreshed.sites) zones.set(s.code, s.timezone);
      stage = { endpoint: 'sync' };

      // 2. Plan: first what interrupted runs left, then whatever else is due.
      const chunks = plan(ctx, refreshed.sites, runId, { ...options, kpiBacklog: input.trigger !== 'manual' });
      reporter.publish();

      // 3. Run the work; Sync now may add fresh sales at the front meanwhile.
      const trailingDays = options.trailingDays ?? 2;
      schedule(ctx, chunks, trailingDays);
      freshen = (since) => {
        if (stopping) return;
        const due = planFresh(ctx, refreshed.sites, since, trailingDays);
        if (!due.length) return;
        store.addChunks(target.key, runId, due, 1_000_000 + store.listChunks(runId).length);
        const added = store.listChunks(runId).filter((c) => c.status === 'pending' && due.some((d) => sameWork({ ...d, kind: 'transactions' }) === sameWork(c)));
        for (const chunk of added) startTransactions(ctx, chunk, GROUP.freshen * 1e6);
      };
      await queue.run(options.concurrency ?? rate.limit);
      if (stopping) return finish('interrupted', stoppedMessage(reporter));
      const all = store.listChunks(runId);
      const sitesSynced = new Set(all.filter((c) => c.kind === 'transactions').map((c) => c.siteCode)).size;
      const requests = reporter.progress.doneRequests;
      const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;
      const kpiWork = all.some((c) => c.kind !== 'transactions');
      const message = all.length
        ? `Synced ${plural(reporter.progress.rows, 'transaction')}${kpiWork ? ' and car-wash data' : ''} from ${plural(Math.max(sitesSynced, kpiWork ? 1 : 0), 'site')} with ${plural(requests, 'request')}.`
        : `Already up to date (${plural(requests, 'request')}).`;
      return finish('succeeded', message);
    } catch (error) {
      if (stopping) return finish('interrupted', stoppedMessage(reporter));
      const job = error instanceof JobFailure ? error.job : null;
      const cause = error instanceof JobFailure ? error.cause : error;
      const message = describeFailure(cause, {
        databaseName: target.name,
        ...(target.credentialsHint ? { credentialsHint: target.credentialsHint } : {}),
        ...(job?.siteCode ? { siteCode: job.siteCode } : {}),
        endpoint: job?.endpoint ?? stage.endpoint,
        ...(job?.detail ? { detail: job.detail } : {}),
      });
      abort.abort();
      return finish('failed', message);
    } finally {
      reporter.stop();
    }
  })();
  return handle;
}

const stoppedMessage = (reporter: ProgressReporter) =>
  `Stopped when Washboard shut down, after ${reporter.progress.rows.toLocaleString('en-US')} transactions; the next sync continues where it left off.`;

/** The run's chunks: those interrupted runs left (adopted), then what is due and not adopted. */
function plan(ctx: RunContext, sites: readonly ActiveSite[], runId: number, options: SyncOptions & { kpiBacklog: boolean }): ChunkRow[] {
  const { store, target, now } = ctx;
  const adopted = store.adoptPendingChunks(target.key, runId);
  const adoptedWork = new Set(adopted.map(sameWork));
  const adoptedDays = new Set<string>();
  for (const c of adopted) {
    if (c.kind !== 'transactions') continue;
    for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) adoptedDays.add(`${c.siteCode}|${d}`);
  }
  const perDay = store.rowsPerDay(target.key);
  const planSites: PlanSite[] = sites.map((s) => ({ code: s.code, timezone: s.timezone, rowsPerDay: perDay.get(s.code) ?? null }));
  const runStart = store.getRun(runId)?.startedAt ?? now();
  const explicit = { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) };
  const horizonDays = options.horizonDays ?? 180;
  const backfillDays = options.backfillDays ?? 180;
  // Adopted ranges cover their days now; a planned range is kept if it has any other day.
  const sales = planSync(planSites, store.coverage(target.key), {
    freshSince: options.freshSince ?? store.interruptedPredecessorStart(target.key, runId) ?? runStart,
    now: now(),
    backfillDays,
    horizonDays,
    trailingDays: options.trailingDays ?? 2,
    ...explicit,
  }).filter((c) => {
    for (let d = c.fromDay; d <= c.toDay; d = addDays(d, 1)) if (!adoptedDays.has(`${c.siteCode}|${d}`)) return true;
    return false;
  });

  const backlog = options.kpis === false ? null : store.kpiBacklog(target.key);
  const kpis =
    backlog === null
      ? []
      : planKpis({
          sites: planSites,
          now: now(),
          backfillDays,
          horizonDays,
          defaultTimezone: target.defaultTimezone,
          transactions: [...sales, ...adopted.filter((c) => c.kind === 'transactions')],
          unclassified: backlog.unclassified,
          unverified: backlog.unverified,
          laborCoverage: store.laborCoverage(target.key),
          openShiftDays: new Set(store.openShiftDays(target.key)),
          employees: Math.max(store.employees(target.key).ids.length, 1),
          backlog: options.kpiBacklog,
          trailingDays: options.trailingDays ?? 2,
          ...explicit,
        }).filter((c) => !adoptedWork.has(sameWork(c)));

  store.addChunks(target.key, runId, [...sales, ...kpis], adopted.length);
  return store.listChunks(runId);
}

/** Queues every pending chunk at its priority; KPI data of a site's days waits for the v2 ranges that bring them. */
function schedule(ctx: RunContext, chunks: readonly ChunkRow[], trailingDays: number): void {
  const today = toLocalDate(ctx.now(), ctx.target.defaultTimezone);
  const sales = chunks.filter((c) => c.kind === 'transactions' && c.status === 'pending');
  for (const chunk of chunks) {
    if (chunk.status !== 'pending') continue;
    const priority = priorityOf(chunk, toLocalDate(ctx.now(), ctx.zoneOf(chunk.siteCode)), trailingDays);
    switch (chunk.kind) {
      case 'transactions':
        startTransactions(ctx, chunk, priority);
        break;
      case 'washes':
      case 'memberships': {
        const after = sales.filter((s) => s.siteCode === chunk.siteCode && s.fromDay <= chunk.toDay && s.toDay >= chunk.fromDay).map((s) => chunkTag(s.id));
        const start = chunk.kind === 'washes' ? startWashes : startMemberships;
        ctx.progress.expect(chunk.id, chunk.estimatedPages);
        ctx.queue.push({ priority, after, label: `${chunk.kind} ${chunk.siteCode} ${chunk.fromDay}`, run: async () => start(ctx, chunk, priority) });
        break;
      }
      case 'labor':
        startLabor(ctx, chunk, priority);
        break;
    }
  }
  const labor = chunks.filter((c) => c.kind === 'labor' && c.status === 'pending');
  if (labor.length) startEmployees(ctx, Math.min(...labor.map((c) => priorityOf(c, today, trailingDays))) - 0.05);
}

/** Today's and yesterday's v2 ranges of every site not fetched since `since` (Sync now during a long run). */
function planFresh(ctx: RunContext, sites: readonly ActiveSite[], since: number, trailingDays: number): PlannedChunk[] {
  const coverage = ctx.store.coverage(ctx.target.key);
  return sites.flatMap((site) => {
    const today = toLocalDate(ctx.now(), site.timezone);
    const from = addDays(today, -(trailingDays - 1));
    const days = coverage.get(site.code);
    let fresh = true;
    for (let d = from; d <= today; d = addDays(d, 1)) if ((days?.get(d) ?? 0) < since) fresh = false;
    if (fresh) return [];
    return planSync([{ code: site.code, timezone: site.timezone, rowsPerDay: null }], new Map(), {
      now: ctx.now(),
      backfillDays: trailingDays,
      horizonDays: 180,
      trailingDays,
      from,
      to: today,
    });
  });
}

export { TRANSACTIONS_ENDPOINT, WASHES_ENDPOINT };
