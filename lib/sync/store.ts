/**
 * The sync's bookkeeping in SQLite: runs, leases, planned chunks, coverage and sites. Raw
 * better-sqlite3 statements because several of these run inside one transaction with a page's rows.
 */
import type Database from 'better-sqlite3';
import { isClaimLive } from '@/lib/process/owner';
import { addDays, dayEndMs } from '@/lib/calendar';
import type { PlannedChunk } from './planner';

export type Trigger = 'manual' | 'scheduled' | 'cli' | 'startup';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** What a chunk fetches (see `sync_chunks.kind`). */
export type ChunkKind = 'transactions' | 'washes' | 'memberships' | 'labor';

export interface ChunkRow {
  id: number;
  runId: number;
  kind: ChunkKind;
  /** Empty for database-wide work (labor). */
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

const CHUNK_COLUMNS = `id, run_id AS runId, kind, site_code AS siteCode, start_unix AS startUnix, end_unix AS endUnix,
  from_day AS fromDay, to_day AS toDay, ordinal, next_page AS nextPage, status, rows,
  first_fetched_at AS firstFetchedAt, estimated_pages AS estimatedPages`;

/**
 * A site-day's labor fetch time: the oldest fetch among its API day and the two around it (the
 * clock-entries endpoint does not say in which zone it filters days), null while one is missing.
 */
const LABOR_SYNCED_AT_SQL = (table: string) => `(
  SELECT CASE WHEN count(*) = 3 THEN min(l.synced_at) END FROM labor_coverage l
  WHERE l.database_key = ${table}.database_key AND l.local_day BETWEEN date(${table}.local_day, '-1 day') AND date(${table}.local_day, '+1 day'))`;

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

  addChunks(databaseKey: string, runId: number, chunks: readonly (PlannedChunk & { kind?: ChunkKind })[], firstOrdinal: number): void {
    const insert = this.sqlite.prepare(
      `INSERT INTO sync_chunks (run_id, database_key, kind, site_code, start_unix, end_unix, from_day, to_day, ordinal, next_page, status, estimated_pages)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    );
    this.sqlite.transaction(() => {
      chunks.forEach((c, i) =>
        insert.run(
          runId, databaseKey, c.kind ?? 'transactions', c.siteCode, c.startUnix, c.endUnix, c.fromDay, c.toDay, firstOrdinal + i,
          // Labor walks employees by ID from 0; lists walk pages from 1.
          c.kind === 'labor' ? 0 : 1,
          c.estimatedPages,
        ),
      );
    })();
  }

  /** A chunk's range narrowed to the days that still need it (a wash list whose other days are in). */
  narrowChunk(chunkId: number, range: { fromDay: string; toDay: string; startUnix: number; endUnix: number }): void {
    this.sqlite
      .prepare('UPDATE sync_chunks SET from_day = ?, to_day = ?, start_unix = ?, end_unix = ? WHERE id = ?')
      .run(range.fromDay, range.toDay, range.startUnix, range.endUnix, chunkId);
  }

  /** A chunk whose work left nothing to record beyond its rows and flags is done. */
  finishChunk(chunkId: number, now: number): void {
    this.sqlite.prepare("UPDATE sync_chunks SET status = 'done', completed_at = ? WHERE id = ?").run(now, chunkId);
  }

  // ---- Car-wash KPI data (issue #11) ------------------------------------------------------------

  /** Days of a site's range with Completed transactions not yet checked against the wash list. */
  unclassifiedDays(databaseKey: string, siteCode: string, fromDay: string, toDay: string): string[] {
    return this.sqlite
      .prepare<[string, string, string, string], string>(
        `SELECT local_day FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
           AND unclassified_washes > 0 ORDER BY local_day`,
      )
      .pluck()
      .all(databaseKey, siteCode, fromDay, toDay);
  }

  /** site → days still owing KPI data: rows without a wash flag, plan sales not verified. */
  kpiBacklog(databaseKey: string): { unclassified: Map<string, string[]>; unverified: Map<string, string[]> } {
    const rows = this.sqlite
      .prepare<[string], { site: string; day: string; unclassified: number; unverified: number }>(
        `SELECT site_code AS site, local_day AS day, unclassified_washes AS unclassified, unverified_plan_sales AS unverified
         FROM daily_rollups WHERE database_key = ? AND (unclassified_washes > 0 OR unverified_plan_sales > 0)`,
      )
      .all(databaseKey);
    const unclassified = new Map<string, string[]>();
    const unverified = new Map<string, string[]>();
    const add = (map: Map<string, string[]>, site: string, day: string) => {
      let days = map.get(site);
      if (!days) map.set(site, (days = []));
      days.push(day);
    };
    for (const r of rows) {
      if (r.unclassified > 0) add(unclassified, r.site, r.day);
      if (r.unverified > 0) add(unverified, r.site, r.day);
    }
    return { unclassified, unverified };
  }

  /** A site-day's Completed plan sales whose detail has not been checked. */
  unverifiedPlanSales(databaseKey: string, siteCode: string, day: string): string[] {
    return this.sqlite
      .prepare<[string, string, string], string>(
        `SELECT trans_id FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?
           AND status = 'Completed' AND is_plan_sale AND is_new_membership IS NULL ORDER BY occurred_unix`,
      )
      .pluck()
      .all(databaseKey, siteCode, day);
  }

  /** Stored transactions of a site between two instants (Unix seconds, inclusive): what a load-job of them returns. */
  countBetween(databaseKey: string, siteCode: string, startUnix: number, endUnix: number): number {
    return (
      this.sqlite
        .prepare<[string, string, number, number], number>(
          'SELECT count(*) FROM transactions WHERE database_key = ? AND site_code = ? AND occurred_unix BETWEEN ? AND ?',
        )
        .pluck()
        .get(databaseKey, siteCode, startUnix, endUnix) ?? 0
    );
  }

  /** When `/employee` was last read, and what it listed (IDs ascending). */
  employees(databaseKey: string): { refreshedAt: number; ids: number[] } {
    const refreshedAt = Number(this.getAppState(`employees_refreshed_at:${databaseKey}`) ?? 0);
    const ids = this.sqlite
      .prepare<[string], number>('SELECT employee_id FROM employees WHERE database_key = ? ORDER BY employee_id')
      .pluck()
      .all(databaseKey);
    return { refreshedAt, ids };
  }

  /** Stores what `/employee` listed; employees no longer listed are kept (their past entries stay theirs). */
  saveEmployees(databaseKey: string, list: readonly { employeeId: number; firstName: string; lastName: string }[], now: number): void {
    const upsert = this.sqlite.prepare(
      `INSERT INTO employees (database_key, employee_id, first_name, last_name, last_seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (database_key, employee_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         last_seen_at = excluded.last_seen_at`,
    );
    this.sqlite.transaction(() => {
      for (const e of list) upsert.run(databaseKey, e.employeeId, e.firstName, e.lastName, now);
      this.setAppState(`employees_refreshed_at:${databaseKey}`, String(now), now);
    })();
  }

  /** The IDs of the employees `/employee` listed at its last read (the ones whose entries a window fetches). */
  listedEmployees(databaseKey: string): number[] {
    const { refreshedAt } = this.employees(databaseKey);
    return this.sqlite
      .prepare<[string, number], number>('SELECT employee_id FROM employees WHERE database_key = ? AND last_seen_at >= ? ORDER BY employee_id')
      .pluck()
      .all(databaseKey, refreshedAt);
  }

  /** day → when every employee's clock entries of that (API) day were last fetched. */
  laborCoverage(databaseKey: string): Map<string, number> {
    const rows = this.sqlite
      .prepare<[string], { day: string; at: number }>('SELECT local_day AS day, synced_at AS at FROM labor_coverage WHERE database_key = ?')
      .all(databaseKey);
    return new Map(rows.map((r) => [r.day, r.at]));
  }

  /** Local days with a clock entry still open (hours still growing). */
  openShiftDays(databaseKey: string): string[] {
    return this.sqlite
      .prepare<[string], string>('SELECT DISTINCT local_day FROM clock_entries WHERE database_key = ? AND clock_out_unix IS NULL')
      .pluck()
      .all(databaseKey);
  }

  /**
   * A labor window is in for every employee: record its days as fetched at `syncedAt`, and bring
   * each site-day's `labor_synced_at` (the oldest fetch of the day and its neighbours) up to date.
   * Inside the caller's transaction with the last employee's entries.
   */
  completeLaborWindow(chunkId: number, databaseKey: string, fromDay: string, toDay: string, syncedAt: number, now: number): void {
    this.finishChunk(chunkId, now);
    const cover = this.sqlite.prepare(
      `INSERT INTO labor_coverage (database_key, local_day, synced_at) VALUES (?, ?, ?)
       ON CONFLICT (database_key, local_day) DO UPDATE SET synced_at = excluded.synced_at`,
    );
    for (let day = fromDay; day <= toDay; day = addDays(day, 1)) cover.run(databaseKey, day, syncedAt);
    this.sqlite
      .prepare(`UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT_SQL('site_coverage')} WHERE database_key = ? AND local_day BETWEEN ? AND ?`)
      .run(databaseKey, addDays(fromDay, -1), addDays(toDay, 1));
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
    // Labor may have been fetched before the day's sales: carry it onto the new row.
    const labor = this.sqlite.prepare(
      `UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT_SQL('site_coverage')}
       WHERE database_key = ? AND site_code = ? AND local_day = ? AND labor_synced_at IS NULL`,
    );
    for (const day of days) {
      cover.run(databaseKey, chunk.siteCode, day, syncedAt, dayEndMs(day, timeZone));
      labor.run(databaseKey, chunk.siteCode, day);
    }
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
