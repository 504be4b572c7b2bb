/**
 * What the web server does once at start-up (called from instrumentation.ts), and the handle the
 * server actions and routes use afterwards. Idempotent: `next dev` may call it more than once.
 *
 * Demo mode starts the embedded simulator with the real 20-per-15 s throttle and syncs at once,
 * most recent days first, so a newcomer sees today's numbers within a minute.
 */
import 'server-only';
import { getDb } from '@/db';
import { getConfigOrExit } from '@/lib/env';
import { createSyncRuntime, type SyncRuntime } from '@/lib/sync/runtime';

const globalForRuntime = globalThis as unknown as { __washboardRuntime?: Promise<SyncRuntime> };

const logger = {
  debug: () => {},
  info: () => {},
  warn: (message: string, meta?: unknown) => console.warn(`[sonnys] ${message}`, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(`[sonnys] ${message}`, meta ?? ''),
};

export function startServerRuntime(): Promise<SyncRuntime> {
  globalForRuntime.__washboardRuntime ??= (async () => {
    const config = getConfigOrExit();
    const runtime = await createSyncRuntime({ config, db: getDb(), logger });
    const report = (outcome: { status: string; message: string }) =>
      (outcome.status === 'succeeded' ? console.log : console.warn)(`[sync] ${outcome.message}`);
    if (config.mode === 'demo' || config.syncIntervalMinutes > 0) {
      for (const r of runtime.manager.triggerAll('startup')) void r.done.then(report);
    }
    runtime.manager.startScheduler(config.syncIntervalMinutes, report);
    if (runtime.simulator) console.log(`Demo mode: Sonny's API simulator on ${runtime.simulator.url}`);
    return runtime;
  })();
  return globalForRuntime.__washboardRuntime;
}

/** The sync runtime of this server process (started on first use if instrumentation has not). */
export const getRuntime = startServerRuntime;
