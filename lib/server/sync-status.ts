/**
 * What /sync shows and Sync now decides on: each database's live rate-limit gauge (from the
 * limiter's shared store, which every process on the machine writes) and its recent runs (from
 * the database, so a CLI sync in another process shows too). Reads the runtime instrumentation.ts
 * started; starts nothing.
 */
import 'server-only';
import { listSyncRuns, type SyncRunView } from '@/db/queries/sync';
import { getRuntime } from './runtime';

export type { SyncRunView };

export interface DatabaseSyncStatus {
  key: string;
  name: string;
  gauge: {
    used: number;
    limit: number;
    windowMs: number;
    inFlight: number;
    resetsInMs: number | null;
    blockedForMs: number | null;
    queued: { interactive: number; background: number };
    rateLimitedLastHour: number;
    rateLimitedLastDay: number;
    requestsLastHour: number;
  };
  running: SyncRunView | null;
  recent: SyncRunView[];
  lastSucceededAt: number | null;
}

export interface SyncStatus {
  now: number;
  mode: 'demo' | 'live';
  databases: DatabaseSyncStatus[];
}

/** Budget gauges and runs of every database, for the /sync page's polling. */
export async function getSyncStatus(): Promise<SyncStatus> {
  const runtime = await getRuntime();
  const now = Date.now();
  const databases = await Promise.all(
    runtime.targets.map(async (t): Promise<DatabaseSyncStatus> => {
      const [snap, { runs, lastSucceededAt }] = await Promise.all([runtime.limiter.snapshot(t.apiId), listSyncRuns({ databaseKey: t.key })]);
      const running = runs.find((r) => r.status === 'running') ?? null;
      return {
        key: t.key,
        name: t.name,
        gauge: {
          used: snap.used,
          limit: snap.limit,
          windowMs: snap.windowMs,
          inFlight: snap.inFlight,
          resetsInMs: snap.resetsAt === null ? null : Math.max(0, snap.resetsAt - now),
          blockedForMs: snap.blockedUntil === null || snap.blockedUntil <= now ? null : snap.blockedUntil - now,
          queued: snap.queued,
          rateLimitedLastHour: snap.rateLimited.lastHour,
          rateLimitedLastDay: snap.rateLimited.lastDay,
          requestsLastHour: snap.requestsLastHour,
        },
        running,
        recent: runs.filter((r) => r !== running).slice(0, 5),
        lastSucceededAt,
      };
    }),
  );
  return { now, mode: runtime.mode, databases };
}
