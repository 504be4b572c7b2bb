/**
 * What the web server does once at start-up (`startRuntime`, called from instrumentation.ts and
 * nowhere else), and the handle the server actions and routes use afterwards (`getRuntime`, which
 * never starts anything: reads never boot a simulator, a scheduler or a sync). Idempotent: `next
 * dev` may call `startRuntime` more than once.
 *
 * Demo mode starts the embedded simulator with the real 20-per-15 s throttle and syncs at once,
 * most recent days first, so a newcomer sees today's numbers within a minute.
 *
 * The server also declares that it holds the database (so `npm run restore` refuses to swap the
 * file under it), backs it up every BACKUP_INTERVAL_HOURS, and on SIGTERM/SIGINT shuts down in
 * order: scheduler and backups stop, the runs' pages in flight commit, leases are released, the
 * database is closed (issue 13).
 */
import 'server-only';
import { closeDb, getDb } from '@/db';
import { startBackupSchedule } from '@/db/backup';
import { holdDatabase } from '@/db/holders';
import { getConfigOrExit } from '@/lib/env';
import { createSyncRuntime, type SyncRuntime } from '@/lib/sync/runtime';

const globalForRuntime = globalThis as unknown as { __washboardRuntime?: Promise<SyncRuntime> };

const logger = {
  debug: () => {},
  info: () => {},
  warn: (message: string, meta?: unknown) => console.warn(`[sonnys] ${message}`, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(`[sonnys] ${message}`, meta ?? ''),
};

/** Longest a shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** Thrown by {@link getRuntime} in a process whose runtime was never started (a misconfigured entry point). */
export class RuntimeNotStartedError extends Error {
  override name = 'RuntimeNotStartedError';
}

export function startRuntime(): Promise<SyncRuntime> {
  globalForRuntime.__washboardRuntime ??= (async () => {
    const config = getConfigOrExit();
    const db = getDb();
    // A SQLite file's holders (a restore refuses to swap it under them); a Postgres server has its own.
    const hold = db.kind === 'sqlite' ? holdDatabase(db.path, 'web') : null;
    const runtime = await createSyncRuntime({ config, db, logger });
    const report = (outcome: { status: string; message: string }) =>
      (outcome.status === 'succeeded' ? console.log : console.warn)(`[sync] ${outcome.message}`);
    if (config.mode === 'demo' || config.syncIntervalMinutes > 0) {
      for (const r of await runtime.manager.triggerAll('startup')) void r.done.then(report);
    }
    runtime.manager.startScheduler(config.syncIntervalMinutes, report);
    const backups = startBackupSchedule({ source: config.storage, backupDir: config.backupDir, intervalMs: config.backupIntervalHours * 3_600_000 });
    if (runtime.simulator) console.log(`Demo mode: Sonny's API simulator on ${runtime.simulator.url}`);

    let stopping: Promise<void> | undefined;
    const shutdown = (signal: NodeJS.Signals) => {
      stopping ??= (async () => {
        console.log(`[washboard] ${signal}: stopping the scheduler and letting the pages in flight commit...`);
        setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
        backups?.stop();
        try {
          await runtime.close();
        } catch (error) {
          console.error(new Error('The sync did not stop cleanly', { cause: error }));
        }
        hold?.release();
        closeDb();
        console.log('[washboard] stopped.');
        // Next.js exits on its own signal handler unless told that the app handles signals
        // (scripts/start.ts sets NEXT_MANUAL_SIG_HANDLE): then exiting is ours to do.
        if (process.env.NEXT_MANUAL_SIG_HANDLE) process.exit(0);
      })();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    return runtime;
  })();
  return globalForRuntime.__washboardRuntime;
}

/**
 * The sync runtime instrumentation.ts started (awaiting its start if it is still starting). Never
 * starts one: before `startRuntime` it rejects with {@link RuntimeNotStartedError}.
 */
export function getRuntime(): Promise<SyncRuntime> {
  return (
    globalForRuntime.__washboardRuntime ??
    Promise.reject(new RuntimeNotStartedError('The sync runtime has not been started: the web server starts it once, from instrumentation.ts.'))
  );
}
