import 'server-only';
import { getDb } from '@/db';

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

export interface DatabaseRuns {
  /** The latest runs, newest first (a running one among them). */
  runs: SyncRunView[];
  /** When a run of the database last succeeded. */
  lastSucceededAt: number | null;
}

const RECENT_SQL = `SELECT id, trigger, status, started_at AS "startedAt", finished_at AS "finishedAt", planned_requests AS "plannedRequests",
  done_requests AS "doneRequests", rows, eta_at AS "etaAt", message
FROM sync_runs WHERE database_key = ? ORDER BY id DESC LIMIT ?`;
const LAST_OK_SQL = "SELECT max(finished_at) AS at FROM sync_runs WHERE database_key = ? AND status = 'succeeded'";

/**
 * A database's latest runs, from the database: a sync started by the CLI in another process shows here
 * too. Reads only; the live budget gauges come from the running process (lib/server/sync-status).
 */
export async function listSyncRuns({ databaseKey, limit = 6 }: { databaseKey: string; limit?: number }): Promise<DatabaseRuns> {
  const { sql } = getDb();
  return {
    runs: await sql.all<SyncRunView>(RECENT_SQL, [databaseKey, limit]),
    lastSucceededAt: (await sql.get<{ at: number | null }>(LAST_OK_SQL, [databaseKey]))?.at ?? null,
  };
}
