/**
 * The process's sync coordinator: one run per database at a time (across processes, through the
 * lease in SQLite), a second trigger joins the running run, databases run in parallel (their
 * budgets are separate), and an optional scheduler triggers every N minutes.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Priority } from '@/lib/sonnys';
import { runSync, type RunHandle, type RunOutcome, type SyncOptions, type SyncTarget } from './engine';
import { SyncStore, type Trigger } from './store';

export interface TriggerResult {
  databaseKey: string;
  runId: number;
  /** True when the request joined a run that was already going. */
  joined: boolean;
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

export class SyncManager {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  readonly #active = new Map<string, RunHandle>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly store: SyncStore,
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
    return this.#active.get(databaseKey);
  }

  /** Starts a run of one database, or joins the one that is running (here or in another process). */
  trigger(databaseKey: string, trigger: Trigger, options: TriggerOptions = {}): TriggerResult {
    const target = this.target(databaseKey);
    const priority = options.priority ?? (trigger === 'manual' ? 'interactive' : 'background');
    const now = this.options.now ?? Date.now;

    const local = this.#active.get(databaseKey);
    if (local) {
      if (priority === 'interactive') local.priority = 'interactive';
      return { databaseKey, runId: local.runId, joined: true, done: local.done };
    }

    const started = this.store.startRun({
      databaseKey,
      trigger,
      owner: this.owner,
      now: now(),
      priority,
      ...(options.from ? { fromDay: options.from } : {}),
      ...(options.to ? { toDay: options.to } : {}),
    });
    if (!started.started) {
      return { databaseKey, runId: started.runId, joined: true, done: this.#waitForRun(databaseKey, started.runId) };
    }
    const handle = runSync({
      store: this.store,
      target,
      runId: started.runId,
      owner: this.owner,
      trigger,
      priority,
      options: { ...this.options, ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) },
    });
    this.#active.set(databaseKey, handle);
    void handle.done.finally(() => {
      if (this.#active.get(databaseKey) === handle) this.#active.delete(databaseKey);
    });
    return { databaseKey, runId: started.runId, joined: false, done: handle.done };
  }

  triggerAll(trigger: Trigger, options: TriggerOptions = {}): TriggerResult[] {
    return this.targets.map((t) => this.trigger(t.key, trigger, options));
  }

  /** Triggers every database every `minutes` (0: never). The first tick comes after one period. */
  startScheduler(minutes: number, onOutcome?: (outcome: RunOutcome) => void): void {
    this.stopScheduler();
    if (minutes <= 0) return;
    this.#timer = setInterval(() => {
      for (const r of this.triggerAll('scheduled')) if (!r.joined) void r.done.then(onOutcome);
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
      const run = this.store.getRun(runId);
      if (run && run.status !== 'running') {
        return {
          runId,
          databaseKey,
          status: run.status === 'succeeded' ? 'succeeded' : 'failed',
          message: run.message ?? run.status,
          progress: { plannedRequests: 0, doneRequests: 0, rows: 0, etaAt: null },
        };
      }
      if (!this.store.isLeaseLive(databaseKey, runId, now())) {
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
