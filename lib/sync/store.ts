/**
 * The sync's bookkeeping in SQLite: runs, leases, planned chunks, coverage and sites. Raw
 * better-sqlite3 statements because several of these run inside one transaction with a page's rows.
 */
import type Database from 'better-sqlite3';
import { isClaimLive } from '@/lib/process/owner';
import { addDays, startOfLocalDay } from '@/lib/sonnys/dates';
import type { PlannedChunk } from './planner';

export type Trigger = 'manual' | 'scheduled' | 'cli' | 'startup';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface ChunkRow {
  id: number;
  runId: number;
  siteCode: string;
  startUnix: number;
  endUnix: number;
  fromDay: string;
  toDay: string;
  ordinal: number;
  nextPage: number;
  status: 'pending' | 'done';
  rows: number;
  firstFetchedAt: number | null;
  estimatedPages: number;
}

export interface RunRow {
  status: RunStatus;
  message: string | null;
  heartbeatAt: number;
  startedAt: number;
  /** The requested local-day range; null for a run that planned what was due. */
  fromDay: string | null;
  toDay: string | null;
}

export interface RunProgress {
  plannedRequests: number;
  doneRequests: number;
  rows: number;
  etaAt: number | null;
}

/**
 * A lease not renewed for this long belongs to a process that is gone or stuck: the holder
 * renews it every second, so six missed heartbeats is no hiccup. On this host a dead holder's
 * lease is taken over at once, without waiting for it (see `isClaimLive`).
 */
export const LEASE_MS = 6_000;

const CHUNK_COLUMNS = `id, run_id AS runId, site_code AS siteCode, start_unix AS startUnix, end_unix AS endUnix,
  from_day AS fromDay, to_day AS toDay, ordinal, next_page AS nextPage, status, rows,
  first_fetched_at AS firstFetchedAt, estimated_pages AS estimatedPages`;

export class SyncStore {
  constructor(readonly sqlite: Database.Database) {}

  /**
   * Starts a run under the database's lease, or reports the live run that holds it. Atomic across
   * processes (BEGIN IMMEDIATE): two triggers at once make one run.
   */
  startRun(input: {
    databaseKey: string;
    trigger: Trigger;
    owner: string;
    now: number;
    priority: 'interactive' | 'background';
    fromDay?: string;
    toDay?: string;
  }): { started: true; runId: number } | { started: false; runId: number } {
    const tx = this.sqlite.transaction(() => {
      const lease = this.sqlite
        .prepare<[string], { runId: number; owner: string; expiresAt: number }>(
          'SELECT run_id AS runId, owner, expires_at AS expiresAt FROM sync_leases WHERE database_key = ?',
        )
        .get(input.databaseKey);
      if (lease && isClaimLive(lease.owner, lease.expiresAt, input.now)) return { started: false as const, runId: lease.runId };

      // Whoever held the lease died (or stopped) mid-run: record it, so its pending chunks get adopted.
      this.sqlite
        .prepare(
          `UPDATE sync_runs SET status = 'interrupted', finished_at = heartbeat_at,
             message = 'Interrupted: the process running it stopped. The next sync continued where it left off.'
           WHERE database_key = ? AND status = 'running'`,
        )
        .run(input.databaseKey);

      const runId = Number(
        this.sqlite
          .prepare(
            `INSERT INTO sync_runs (database_key, trigger, status, started_at, heartbeat_at, priority, from_day, to_day)
             VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
          )
          .run(input.databaseKey, input.trigger, input.now, input.now, input.priority, input.fromDay ?? null, input.toDay ?? null)
          .lastInsertRowid,
      );
      this.sqlite
        .prepare(
          `INSERT INTO sync_leases (database_key, run_id, owner, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (database_key) DO UPDATE SET run_id = excluded.run_id, owner = excluded.owner, expires_at = excluded.expires_at`,
        )
        .run(input.databaseKey, runId, input.owner, input.now + LEASE_MS);
      return { started: true as const, runId };
    });
    return tx.immediate();
  }

  /** Renews the lease and publishes progress (called at least every second while running). */
  heartbeat(databaseKey: string, runId: number, owner: string, now: number, progress: RunProgress): void {
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE sync_leases SET expires_at = ? WHERE database_key = ? AND run_id = ? AND owner = ?')
        .run(now + LEASE_MS, databaseKey, runId, owner);
      this.sqlite
        .prepare(
          `UPDATE sync_runs SET heartbeat_at = ?, planned_requests = ?, done_requests = ?, rows = ?, eta_at = ?
           WHERE id = ? AND status = 'running'`,
        )
        .run(now, progress.plannedRequests, progress.doneRequests, progress.rows, progress.etaAt, runId);
    })();
  }

  finishRun(databaseKey: string, runId: number, owner: string, now: number, status: RunStatus, message: string, progress: RunProgress): void {
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `UPDATE sync_runs SET status = ?, finished_at = ?, heartbeat_at = ?, message = ?, planned_requests = ?,
             done_requests = ?, rows = ?, eta_at = NULL WHERE id = ?`,
        )
        .run(status, now, now, message, progress.plannedRequests, progress.doneRequests, progress.rows, runId);
      this.sqlite.prepare('DELETE FROM sync_leases WHERE database_key = ? AND run_id = ? AND owner = ?').run(databaseKey, runId, owner);
    })();
  }

  getRun(runId: number): RunRow | undefined {
    return this.sqlite
      .prepare<[number], RunRow>(
        `SELECT status, message, heartbeat_at AS heartbeatAt, started_at AS startedAt, from_day AS fromDay, to_day AS toDay
         FROM sync_runs WHERE id = ?`,
      )
      .get(runId);
  }

  /** Whether the run still holds its database's lease and its holder is alive. */
  isLeaseLive(databaseKey: string, runId: number, now: number): boolean {
    const row = this.sqlite
      .prepare<[string, number], { owner: string; expiresAt: number }>(
        'SELECT owner, expires_at AS expiresAt FROM sync_leases WHERE database_key = ? AND run_id = ?',
      )
      .get(databaseKey, runId);
    return !!row && isClaimLive(row.owner, row.expiresAt, now);
  }

  /** Pending chunks left by interrupted runs of this database: the new run takes them over. */
  adoptPendingChunks(databaseKey: string, runId: number): ChunkRow[] {
    this.sqlite
      .prepare(
        `UPDATE sync_chunks SET run_id = ? WHERE database_key = ? AND status = 'pending'
           AND run_id IN (SELECT id FROM sync_runs WHERE database_key = ? AND status != 'running')`,
      )
      .run(runId, databaseKey, databaseKey);
    return this.listChunks(runId);
  }

  /** When the run before `runId` began, if it was interrupted (its explicit range is being finished). */
  interruptedPredecessorStart(databaseKey: string, runId: number): number | undefined {
    const row = this.sqlite
      .prepare<[string, number], { status: RunStatus; startedAt: number }>(
        'SELECT status, started_at AS startedAt FROM sync_runs WHERE database_key = ? AND id < ? ORDER BY id DESC LIMIT 1',
      )
      .get(databaseKey, runId);
    return row?.status === 'interrupted' ? row.startedAt : undefined;
  }

  addChunks(databaseKey: string, runId: number, chunks: PlannedChunk[], firstOrdinal: number): void {
    const insert = this.sqlite.prepare(
      `INSERT INTO sync_chunks (run_id, database_key, site_code, start_unix, end_unix, from_day, to_day, ordinal, next_page, status, estimated_pages)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'pending', ?)`,
    );
    this.sqlite.transaction(() => {
      chunks.forEach((c, i) =>
        insert.run(runId, databaseKey, c.siteCode, c.startUnix, c.endUnix, c.fromDay, c.toDay, firstOrdinal + i, c.estimatedPages),
      );
    })();
  }

  listChunks(runId: number): ChunkRow[] {
    return this.sqlite.prepare<[number], ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM sync_chunks WHERE run_id = ? ORDER BY ordinal, id`).all(runId);
  }

  /** Page k of a chunk is in: move the cursor (inside the caller's transaction with the rows). */
  advanceChunk(chunkId: number, nextPage: number, rows: number, firstFetchedAt: number): void {
    this.sqlite
      .prepare('UPDATE sync_chunks SET next_page = ?, rows = rows + ?, first_fetched_at = coalesce(first_fetched_at, ?) WHERE id = ?')
      .run(nextPage, rows, firstFetchedAt, chunkId);
  }

  /** Start a chunk over (its snapshot expired): its next pages might no longer line up. */
  restartChunk(chunkId: number): void {
    this.sqlite.prepare('UPDATE sync_chunks SET next_page = 1, first_fetched_at = NULL WHERE id = ?').run(chunkId);
  }

  /**
   * The last page of a chunk is in: mark it done and its days covered as of `syncedAt` (inside the
   * page's transaction), with the instant each day ends in the site's zone, so "complete" can be
   * read in SQL (`synced_at >= day_end_at`).
   */
  completeChunk(chunk: ChunkRow, databaseKey: string, days: string[], timeZone: string, syncedAt: number, now: number): void {
    this.sqlite.prepare("UPDATE sync_chunks SET status = 'done', completed_at = ? WHERE id = ?").run(now, chunk.id);
    const cover = this.sqlite.prepare(
      `INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET synced_at = excluded.synced_at, day_end_at = excluded.day_end_at`,
    );
    for (const day of days) cover.run(databaseKey, chunk.siteCode, day, syncedAt, startOfLocalDay(addDays(day, 1), timeZone) * 1000);
  }

  /** site → day → synced_at for one database. */
  coverage(databaseKey: string): Map<string, Map<string, number>> {
    const map = new Map<string, Map<string, number>>();
    const rows = this.sqlite
      .prepare<[string], { site: string; day: string; at: number }>(
        'SELECT site_code AS site, local_day AS day, synced_at AS at FROM site_coverage WHERE database_key = ?',
      )
      .all(databaseKey);
    for (const r of rows) {
      let days = map.get(r.site);
      if (!days) map.set(r.site, (days = new Map()));
      days.set(r.day, r.at);
    }
    return map;
  }

  /** Average v2 rows per day over a site's last 28 stored days, for page estimates. */
  rowsPerDay(databaseKey: string): Map<string, number> {
    const rows = this.sqlite
      .prepare<[string], { site: string; perDay: number }>(
        `SELECT site_code AS site, avg(transactions + voided + other_status) AS perDay FROM (
           SELECT site_code, transactions, voided, other_status,
             row_number() OVER (PARTITION BY site_code ORDER BY local_day DESC) AS n
           FROM daily_rollups WHERE database_key = ?) WHERE n <= 28 GROUP BY site_code`,
      )
      .all(databaseKey);
    return new Map(rows.map((r) => [r.site, r.perDay]));
  }

  getAppState(key: string): string | undefined {
    return this.sqlite.prepare<[string], { value: string }>('SELECT value FROM app_state WHERE key = ?').get(key)?.value;
  }

  setAppState(key: string, value: string, now: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now);
  }
}
