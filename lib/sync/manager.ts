/**
 * The process's sync coordinator: one run per database at a time (across processes, through the
 * lease in SQLite), a second trigger joins the running run, databases run in parallel (their
 * budgets are separate), and an optional scheduler triggers every N minutes.
 *
 * No trigger's range is dropped (issue 13): a request that joins a run which does not cover it (a
 * run of another range, or one that failed) runs its own remainder when that run ends, fetching
 * only the days that run did not fetch after the request was made.
 */
import type { Priority } from '@/lib/sonnys';
import { newOwner } from '@/lib/process/owner';
import { runSync, type RunHandle, type RunOutcome } from './engine';
import type { SyncOptions, SyncTarget } from './options';
import type { Ingestor } from './ingest';
import { LEASE_MS, type SyncStore, type Trigger } from './store';

export interface TriggerResult {
  databaseKey: string;
  runId: number;
  /** True when the request joined a run that was already going. */
  joined: boolean;
  /** True when the joined run does not cover the request, so its own run follows that one. */
  followsUp: boolean;
  /** The outcome of the request: of its own run when one followed, else of the run it joined. */
  done: Promise<RunOutcome>;
}

/** A run's requested local days; both null for a run that plans whatever is due. */
interface RunRange {
  from: string | null;
  to: string | null;
}

interface Attempt {
  runId: number;
  joined: boolean;
  range: RunRange;
  done: Promise<RunOutcome>;
}

export interface TriggerOptions {
  priority?: Priority;
  from?: string;
  to?: string;
}

export class UnknownDatabaseError extends Error {
  override name = 'UnknownDatabaseError';
}

export class ShuttingDownError extends Error {
  override name = 'ShuttingDownError';
}

/**
 * Whether a run of `run`'s range does what a request for `request` asks: a request for what is
 * due is covered by a run of what is due; an explicit range is never covered by a run that
 * started before it was asked for (its days may have been fetched before the request).
 */
function covers(run: RunRange, request: TriggerOptions): boolean {
  const explicit = request.from !== undefined || request.to !== undefined;
  return !explicit && run.from === null && run.to === null;
}

export class SyncManager {
  /** `host:pid:tag`: a lease of this process is taken over at once when the process is gone. */
  readonly owner = newOwner();
  readonly #active = new Map<string, { handle: RunHandle; range: RunRange }>();
  /** Per database, the start or join in progress: the next one waits for it (one run per database in this process). */
  readonly #deciding = new Map<string, Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(
    readonly store: SyncStore,
    readonly ingest: Ingestor,
    readonly targets: readonly SyncTarget[],
    readonly options: SyncOptions = {},
  ) {}

  target(databaseKey: string): SyncTarget {
    const target = this.targets.find((t) => t.key === databaseKey);
    if (!target) throw new UnknownDatabaseError(`There is no database "${databaseKey}".`);
    return target;
  }

  /** Live progress of this process's run of a database, if any. */
  activeRun(databaseKey: string): RunHandle | undefined {
    return this.#active.get(databaseKey)?.handle;
  }

  /**
   * Starts a run of one database, or joins the one that is running (here or in another process);
   * when that run does not cover the request, the request's own run follows it (see `covers`).
   */
  async trigger(databaseKey: string, trigger: Trigger, options: TriggerOptions = {}): Promise<TriggerResult> {
    this.target(databaseKey);
    if (this.#stopping) throw new ShuttingDownError('Washboard is shutting down; the sync was not started.');
    const requestedAt = (this.options.now ?? Date.now)();
    const first = await this.#startOrJoin(databaseKey, trigger, options);
    if (!first.joined) return { databaseKey, runId: first.runId, joined: false, followsUp: false, done: first.done };
    const covered = covers(first.range, options);
    const done = first.done.then((outcome) =>
      covered && outcome.status === 'succeeded' ? outcome : this.#remainder(databaseKey, trigger, options, requestedAt),
    );
    return { databaseKey, runId: first.runId, joined: true, followsUp: !covered, done };
  }

  /** The request's own run after the one it joined; joins (and waits) again if another got there first. */
  async #remainder(databaseKey: string, trigger: Trigger, options: TriggerOptions, requestedAt: number): Promise<RunOutcome> {
    for (;;) {
      if (this.#stopping) return this.#notRun(databaseKey);
      const next = await this.#startOrJoin(databaseKey, trigger, options, requestedAt);
      const outcome = await next.done;
      if (!next.joined || (covers(next.range, options) && outcome.status === 'succeeded')) return outcome;
    }
  }

  /** Starts or joins, after any other start or join of the same database in this process has decided. */
  #startOrJoin(databaseKey: string, trigger: Trigger, options: TriggerOptions, freshSince?: number): Promise<Attempt> {
    const before = this.#deciding.get(databaseKey) ?? Promise.resolve();
    const attempt = before.catch(() => {}).then(() => this.#decide(databaseKey, trigger, options, freshSince));
    this.#deciding.set(databaseKey, attempt);
    void attempt.finally(() => {
      if (this.#deciding.get(databaseKey) === attempt) this.#deciding.delete(databaseKey);
    }).catch(() => {});
    return attempt;
  }

  async #decide(databaseKey: string, trigger: Trigger, options: TriggerOptions, freshSince?: number): Promise<Attempt> {
    const target = this.target(databaseKey);
    const priority = options.priority ?? (trigger === 'manual' ? 'interactive' : 'background');
    const now = this.options.now ?? Date.now;

    const local = this.#active.get(databaseKey);
    if (local) {
      if (priority === 'interactive') {
        // A person is waiting: the rest of the run goes first at the limiter, and today's and
        // yesterday's sales are fetched again ahead of the backfill (issue 15, fresh numbers first).
        local.handle.priority = 'interactive';
        await local.handle.freshen(now());
      }
      return { runId: local.handle.runId, joined: true, range: local.range, done: local.handle.done };
    }

    const at = now();
    const started = await this.store.startRun({
      databaseKey,
      trigger,
      owner: this.owner,
      now: at,
      leaseUntil: at + LEASE_MS,
      priority,
      ...(options.from ? { fromDay: options.from } : {}),
      ...(options.to ? { toDay: options.to } : {}),
    });
    if (!started.started) {
      const run = await this.store.getRun(started.runId);
      return {
        runId: started.runId,
        joined: true,
        range: { from: run?.fromDay ?? null, to: run?.toDay ?? null },
        done: this.#waitForRun(databaseKey, started.runId),
      };
    }
    const handle = runSync({
      store: this.store,
      ingest: this.ingest,
      target,
      runId: started.runId,
      owner: this.owner,
      trigger,
      priority,
      options: {
        ...this.options,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(freshSince !== undefined ? { freshSince } : {}),
      },
    });
    const active = { handle, range: { from: options.from ?? null, to: options.to ?? null } };
    this.#active.set(databaseKey, active);
    void handle.done.finally(() => {
      if (this.#active.get(databaseKey) === active) this.#active.delete(databaseKey);
    });
    return { runId: started.runId, joined: false, range: active.range, done: handle.done };
  }

  triggerAll(trigger: Trigger, options: TriggerOptions = {}): Promise<TriggerResult[]> {
    return Promise.all(this.targets.map((t) => this.trigger(t.key, trigger, options)));
  }

  /**
   * Graceful stop (SIGTERM): the scheduler stops, no new run starts, each of this process's runs
   * stops requesting pages and lets those in flight commit (for up to `graceMs`), then releases
   * its lease. Resolves when every run has ended.
   */
  async stop(graceMs?: number): Promise<void> {
    this.#stopping = true;
    this.stopScheduler();
    const handles = [...this.#active.values()].map((a) => a.handle);
    for (const handle of handles) handle.stop(graceMs);
    await Promise.all(handles.map((h) => h.done));
  }

  #notRun(databaseKey: string): RunOutcome {
    return {
      runId: 0,
      databaseKey,
      status: 'failed',
      message: `The sync of ${this.target(databaseKey).name} was not run: Washboard was shutting down.`,
      progress: { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null },
    };
  }

  /** Triggers every database every `minutes` (0: never). The first tick comes after one period. */
  startScheduler(minutes: number, onOutcome?: (outcome: RunOutcome) => void): void {
    this.stopScheduler();
    if (minutes <= 0) return;
    this.#timer = setInterval(() => {
      // A tick that joined a run of something else still syncs what is due: report that outcome too.
      this.triggerAll('scheduled').then(
        (results) => {
          for (const r of results) if (!r.joined || r.followsUp) void r.done.then(onOutcome);
        },
        (error: unknown) => console.error(new Error('The scheduled sync could not start', { cause: error })),
      );
    }, minutes * 60_000);
    this.#timer.unref?.();
  }

  stopScheduler(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Follows another process's run through SQLite until it ends (or its process dies). */
  async #waitForRun(databaseKey: string, runId: number): Promise<RunOutcome> {
    const now = this.options.now ?? Date.now;
    for (;;) {
      if (this.#stopping) return this.#notRun(databaseKey);
      const run = await this.store.getRun(runId);
      if (run && run.status !== 'running') {
        return {
          runId,
          databaseKey,
          status: run.status === 'succeeded' ? 'succeeded' : 'failed',
          message: run.message ?? run.status,
          progress: { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null },
        };
      }
      if (!(await this.store.isLeaseLive(databaseKey, runId, now()))) {
        return {
          runId,
          databaseKey,
          status: 'failed',
          message: `The sync of ${this.target(databaseKey).name} that was running stopped without finishing; start it again to resume.`,
          progress: { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null },
        };
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
