/**
 * One sync run of one database: refresh sites, plan (or resume) the work, run it on a queue of
 * one-request jobs that share the database's rate-limit budget, and report. The parts are apart:
 * the planner (`run-plan.ts` over `planner.ts` and `kpi-planner.ts`), the order of the work
 * (`schedule.ts`), the range pager that owns the order of a range's pages and their commits
 * (`range-pager.ts`, and `work/*` for each kind of data), and the progress reporter
 * (`progress.ts`). This file starts, stops and ends a run.
 *
 * The work: v2 ranges (sales), wash lists, plan-sale verifications and clock entries (the
 * car-wash KPIs, issue #11). Order: today's and yesterday's sales first, then their KPI data, then
 * older sales, then older KPI data, most recent first within each. Sync now joining a run puts
 * today's and yesterday's sales back at the front (`freshen`).
 *
 * Exactness: each piece of work commits with its cursor in one unit of work of the store (a
 * page's rows, the rollups they touch, the range's cursor and, on the last page, the days'
 * coverage), so a crash (even kill -9) loses at most what was in flight, and the next run
 * resumes at the cursors (issue #5).
 */
import { setMaxListeners } from 'node:events';
import { API_RATE_LIMIT, type Priority } from '@/lib/sonnys';
import { describeFailure } from './errors';
import type { Ingestor } from './ingest';
import type { SyncOptions, SyncTarget } from './options';
import { ProgressReporter } from './progress';
import { planFresh, planRun } from './run-plan';
import { chunkTag, type RunContext } from './run-context';
import { EXCLUSIVE_BELOW, schedule, scheduleFresh } from './schedule';
import { refreshSites } from './sites';
import type { ChunkRow, RunProgress, SyncStore, Trigger } from './store';
import { TRANSACTIONS_ENDPOINT } from './work/transactions';
import { WASHES_ENDPOINT } from './work/washes';
import { JobFailure, WorkQueue } from './work-queue';

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
   * of every site go to the front of the queue, unless they were fetched since `since`. Resolves
   * once they are queued.
   */
  freshen(since: number): Promise<void>;
}

export interface RunOutcome {
  runId: number;
  databaseKey: string;
  status: 'succeeded' | 'failed';
  message: string;
  progress: RunProgress;
}

export function runSync(input: {
  store: SyncStore;
  ingest: Ingestor;
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
  let freshen: (since: number) => Promise<void> = async () => {};
  /** Freshens still queueing their work: the run is not over until they have. */
  const freshening = new Set<Promise<void>>();

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
    freshen: (since) => {
      const queued = freshen(since);
      freshening.add(queued);
      return queued.finally(() => freshening.delete(queued));
    },
  };

  const zones = new Map<string, string>();
  const ctx: RunContext = {
    store,
    ingest: input.ingest,
    target,
    queue,
    progress: reporter,
    now,
    request: (yieldSignal) => ({ priority: handle.priority, signal: abort.signal, ...(yieldSignal ? { waitSignal: yieldSignal } : {}) }),
    zoneOf: (siteCode) => zones.get(siteCode) ?? target.defaultTimezone,
    chunkDone: (chunk) => {
      reporter.chunkDone(chunk.id);
      queue.release(chunkTag(chunk.id));
    },
  };

  const finish = async (status: 'succeeded' | 'failed' | 'interrupted', message: string): Promise<RunOutcome> => {
    const progress = reporter.final();
    try {
      await store.finishRun({ databaseKey: target.key, runId, owner, now: now(), status, message, progress });
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
      await reporter.publish();
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
      const chunks = await planRun(ctx, refreshed.sites, runId, { ...options, kpiBacklog: input.trigger !== 'manual' });
      await reporter.publish();

      // 3. Run the work; Sync now may add fresh sales at the front meanwhile.
      const trailingDays = options.trailingDays ?? 2;
      await schedule(ctx, chunks, trailingDays);
      freshen = async (since) => {
        if (stopping) return;
        await scheduleFresh(ctx, await planFresh(ctx, refreshed.sites, runId, since, trailingDays));
      };
      const concurrency = options.concurrency ?? rate.limit;
      await queue.run(concurrency);
      // A freshen that was still queueing when the rest ran out brings work of its own.
      while (freshening.size && !stopping) {
        await Promise.all(freshening);
        if (queue.pending) await queue.run(concurrency);
      }
      if (stopping) return await finish('interrupted', stoppedMessage(reporter.progress));
      return await finish('succeeded', succeededMessage(await store.listChunks(runId), reporter.progress));
    } catch (error) {
      if (stopping) return await finish('interrupted', stoppedMessage(reporter.progress));
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
      return await finish('failed', message);
    } finally {
      reporter.stop();
    }
  })();
  return handle;
}

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** What a run that did all its work says on /sync and in the log. */
function succeededMessage(chunks: readonly ChunkRow[], progress: RunProgress): string {
  if (!chunks.length) return `Already up to date (${plural(progress.doneRequests, 'request')}).`;
  const sitesSynced = new Set(chunks.filter((c) => c.kind === 'transactions').map((c) => c.siteCode)).size;
  const kpiWork = chunks.some((c) => c.kind !== 'transactions');
  return `Synced ${plural(progress.rows, 'transaction')}${kpiWork ? ' and car-wash data' : ''} from ${plural(Math.max(sitesSynced, kpiWork ? 1 : 0), 'site')} with ${plural(progress.doneRequests, 'request')}.`;
}

const stoppedMessage = (progress: RunProgress) =>
  `Stopped when Washboard shut down, after ${progress.rows.toLocaleString('en-US')} transactions; the next sync continues where it left off.`;

export type { SyncOptions, SyncTarget };
export { TRANSACTIONS_ENDPOINT, WASHES_ENDPOINT };
