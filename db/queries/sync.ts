import 'server-only';
import { getDb } from '@/db';
import { getRuntime } from '@/lib/server/runtime';

export interface SyncRunView {
  id: number;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  startedAt: number;
  finishedAt: number | null;
  plannedRequests: number;
  doneRequests: number;
  rows: number;
  etaAt: number | null;
  message: string | null;
}

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

const RUN_COLUMNS = `id, trigger, status, started_at AS startedAt, finished_at AS finishedAt, planned_requests AS plannedRequests,
  done_requests AS doneRequests, rows, eta_at AS etaAt, message`;

/**
 * Budget gauges and runs of every database, for the /sync page's polling. Runs come from SQLite, so
 * a sync started by the CLI in another process shows here too; gauges come from the limiter's
 * shared store, which every process on the machine writes.
 */
export async function getSyncStatus(): Promise<SyncStatus> {
  const runtime = await getRuntime();
  const { sqlite } = getDb();
  const now = Date.now();
  const recentStmt = sqlite.prepare<[string], SyncRunView>(
    `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE database_key = ? ORDER BY id DESC LIMIT 6`,
  );
  const lastOkStmt = sqlite.prepare<[string], { at: number | null }>(
    "SELECT max(finished_at) AS at FROM sync_runs WHERE database_key = ? AND status = 'succeeded'",
  );
  const databases = await Promise.all(
    runtime.targets.map(async (t): Promise<DatabaseSyncStatus> => {
      const snap = await runtime.limiter.snapshot(t.apiId);
      const runs = recentStmt.all(t.key);
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
        lastSucceededAt: lastOkStmt.get(t.key)?.at ?? null,
      };
    }),
  );
  return { now, mode: runtime.mode, databases };
}
