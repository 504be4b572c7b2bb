/**
 * The sync's bookkeeping in SQLite (lib/sync's `SyncStore`): runs, leases, planned chunks,
 * coverage, employees and sites. Every method is async, as a server database's would be; here each
 * runs synchronously inside (better-sqlite3), so a caller that awaits one sees no interleaving
 * within it. A page's rows and its cursor commit together through the ingestor
 * (db/sqlite/sync-ingestor.ts).
 */
import type Database from 'better-sqlite3';
import { isClaimLive } from '@/lib/process/owner';
import type { ActiveSite, ChunkRow, KnownSite, ListedSite, NewChunk, RunProgress, RunRow, RunStatus, SiteZone, StartRun } from '../sync-rows';
import { FINISH_CHUNK_SQL } from './sync-ingestor';
import { rezoneSite } from './rezone';

const CHUNK_COLUMNS = `id, run_id AS runId, kind, site_code AS siteCode, start_unix AS startUnix, end_unix AS endUnix,
  from_day AS fromDay, to_day AS toDay, ordinal, next_page AS nextPage, status, rows,
  first_fetched_at AS firstFetchedAt, estimated_pages AS estimatedPages`;

export class SqliteSyncStore {
  constructor(private readonly sqlite: Database.Database) {}

  /**
   * Starts a run under the database's lease, or reports the live run that holds it. Atomic across
   * processes (BEGIN IMMEDIATE): two triggers at once make one run.
   */
  async startRun(input: StartRun): Promise<{ started: true; runId: number } | { started: false; runId: number }> {
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
        .run(input.databaseKey, runId, input.owner, input.leaseUntil);
      return { started: true as const, runId };
    });
    return tx.immediate();
  }

  /** Renews the lease until `leaseUntil` and publishes progress (called at least every second while running). */
  async heartbeat(input: { databaseKey: string; runId: number; owner: string; now: number; leaseUntil: number; progress: RunProgress }): Promise<void> {
    const { databaseKey, runId, owner, now, leaseUntil, progress } = input;
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE sync_leases SET expires_at = ? WHERE database_key = ? AND run_id = ? AND owner = ?')
        .run(leaseUntil, databaseKey, runId, owner);
      this.sqlite
        .prepare(
          `UPDATE sync_runs SET heartbeat_at = ?, planned_requests = ?, done_requests = ?, rows = ?, eta_at = ?
           WHERE id = ? AND status = 'running'`,
        )
        .run(now, progress.plannedRequests, progress.doneRequests, progress.rows, progress.etaAt, runId);
    })();
  }

  /** Records how a run ended and releases its lease. */
  async finishRun(input: { databaseKey: string; runId: number; owner: string; now: number; status: RunStatus; message: string; progress: RunProgress }): Promise<void> {
    const { databaseKey, runId, owner, now, status, message, progress } = input;
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

  async getRun(runId: number): Promise<RunRow | undefined> {
    return this.sqlite
      .prepare<[number], RunRow>(
        `SELECT status, message, heartbeat_at AS heartbeatAt, started_at AS startedAt, from_day AS fromDay, to_day AS toDay
         FROM sync_runs WHERE id = ?`,
      )
      .get(runId);
  }

  /** Whether the run still holds its database's lease and its holder is alive. */
  async isLeaseLive(databaseKey: string, runId: number, now: number): Promise<boolean> {
    const row = this.sqlite
      .prepare<[string, number], { owner: string; expiresAt: number }>(
        'SELECT owner, expires_at AS expiresAt FROM sync_leases WHERE database_key = ? AND run_id = ?',
      )
      .get(databaseKey, runId);
    return !!row && isClaimLive(row.owner, row.expiresAt, now);
  }

  /** Pending chunks left by interrupted runs of this database: the new run takes them over. */
  async adoptPendingChunks(databaseKey: string, runId: number): Promise<ChunkRow[]> {
    this.sqlite
      .prepare(
        `UPDATE sync_chunks SET run_id = ? WHERE database_key = ? AND status = 'pending'
           AND run_id IN (SELECT id FROM sync_runs WHERE database_key = ? AND status != 'running')`,
      )
      .run(runId, databaseKey, databaseKey);
    return this.#chunks(runId);
  }

  /** When the run before `runId` began, if it was interrupted (its explicit range is being finished). */
  async interruptedPredecessorStart(databaseKey: string, runId: number): Promise<number | undefined> {
    const row = this.sqlite
      .prepare<[string, number], { status: RunStatus; startedAt: number }>(
        'SELECT status, started_at AS startedAt FROM sync_runs WHERE database_key = ? AND id < ? ORDER BY id DESC LIMIT 1',
      )
      .get(databaseKey, runId);
    return row?.status === 'interrupted' ? row.startedAt : undefined;
  }

  /** Plans chunks for a run, numbered in order from `firstOrdinal`. */
  async addChunks(databaseKey: string, runId: number, chunks: readonly NewChunk[], firstOrdinal: number): Promise<void> {
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
  async narrowChunk(chunkId: number, range: { fromDay: string; toDay: string; startUnix: number; endUnix: number }): Promise<void> {
    this.sqlite
      .prepare('UPDATE sync_chunks SET from_day = ?, to_day = ?, start_unix = ?, end_unix = ? WHERE id = ?')
      .run(range.fromDay, range.toDay, range.startUnix, range.endUnix, chunkId);
  }

  /** A chunk whose work left nothing to record beyond its rows and flags is done. */
  async finishChunk(chunkId: number, now: number): Promise<void> {
    this.sqlite.prepare(FINISH_CHUNK_SQL).run(now, chunkId);
  }

  // ---- Car-wash KPI data (issue #11) ------------------------------------------------------------

  /** Days of a site's range with Completed transactions not yet checked against the wash list. */
  async unclassifiedDays(databaseKey: string, siteCode: string, fromDay: string, toDay: string): Promise<string[]> {
    return this.sqlite
      .prepare<[string, string, string, string], string>(
        `SELECT local_day FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
           AND unclassified_washes > 0 ORDER BY local_day`,
      )
      .pluck()
      .all(databaseKey, siteCode, fromDay, toDay);
  }

  /** site → days still owing KPI data: rows without a wash flag, plan sales not verified. */
  async kpiBacklog(databaseKey: string): Promise<{ unclassified: Map<string, string[]>; unverified: Map<string, string[]> }> {
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
  async unverifiedPlanSales(databaseKey: string, siteCode: string, day: string): Promise<string[]> {
    return this.sqlite
      .prepare<[string, string, string], string>(
        `SELECT trans_id FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?
           AND status = 'Completed' AND is_plan_sale AND is_new_membership IS NULL ORDER BY occurred_unix`,
      )
      .pluck()
      .all(databaseKey, siteCode, day);
  }

  /** Stored transactions of a site between two instants (Unix seconds, inclusive): what a load-job of them returns. */
  async countBetween(databaseKey: string, siteCode: string, startUnix: number, endUnix: number): Promise<number> {
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
  async employees(databaseKey: string): Promise<{ refreshedAt: number; ids: number[] }> {
    const refreshedAt = this.#employeesRefreshedAt(databaseKey);
    const ids = this.sqlite
      .prepare<[string], number>('SELECT employee_id FROM employees WHERE database_key = ? ORDER BY employee_id')
      .pluck()
      .all(databaseKey);
    return { refreshedAt, ids };
  }

  /** Stores what `/employee` listed; employees no longer listed are kept (their past entries stay theirs). */
  async saveEmployees(databaseKey: string, list: readonly { employeeId: number; firstName: string; lastName: string }[], now: number): Promise<void> {
    const upsert = this.sqlite.prepare(
      `INSERT INTO employees (database_key, employee_id, first_name, last_name, last_seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (database_key, employee_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         last_seen_at = excluded.last_seen_at`,
    );
    this.sqlite.transaction(() => {
      for (const e of list) upsert.run(databaseKey, e.employeeId, e.firstName, e.lastName, now);
      this.#setAppState(`employees_refreshed_at:${databaseKey}`, String(now), now);
    })();
  }

  /** The IDs of the employees `/employee` listed at its last read (the ones whose entries a window fetches). */
  async listedEmployees(databaseKey: string): Promise<number[]> {
    const refreshedAt = this.#employeesRefreshedAt(databaseKey);
    return this.sqlite
      .prepare<[string, number], number>('SELECT employee_id FROM employees WHERE database_key = ? AND last_seen_at >= ? ORDER BY employee_id')
      .pluck()
      .all(databaseKey, refreshedAt);
  }

  /** day → when every employee's clock entries of that (API) day were last fetched. */
  async laborCoverage(databaseKey: string): Promise<Map<string, number>> {
    const rows = this.sqlite
      .prepare<[string], { day: string; at: number }>('SELECT local_day AS day, synced_at AS at FROM labor_coverage WHERE database_key = ?')
      .all(databaseKey);
    return new Map(rows.map((r) => [r.day, r.at]));
  }

  /** Local days with a clock entry still open (hours still growing). */
  async openShiftDays(databaseKey: string): Promise<string[]> {
    return this.sqlite
      .prepare<[string], string>('SELECT DISTINCT local_day FROM clock_entries WHERE database_key = ? AND clock_out_unix IS NULL')
      .pluck()
      .all(databaseKey);
  }

  async listChunks(runId: number): Promise<ChunkRow[]> {
    return this.#chunks(runId);
  }

  #chunks(runId: number): ChunkRow[] {
    return this.sqlite.prepare<[number], ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM sync_chunks WHERE run_id = ? ORDER BY ordinal, id`).all(runId);
  }

  /** Start a chunk over (its snapshot expired): its next pages might no longer line up. */
  async restartChunk(chunkId: number): Promise<void> {
    this.sqlite.prepare('UPDATE sync_chunks SET next_page = 1, first_fetched_at = NULL WHERE id = ?').run(chunkId);
  }

  /** site → day → synced_at for one database. */
  async coverage(databaseKey: string): Promise<Map<string, Map<string, number>>> {
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
  async rowsPerDay(databaseKey: string): Promise<Map<string, number>> {
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

  async getAppState(key: string): Promise<string | undefined> {
    return this.#appState(key);
  }

  async setAppState(key: string, value: string, now: number): Promise<void> {
    this.#setAppState(key, value, now);
  }

  // ---- Sites (lib/sync/sites.ts decides their zones) ---------------------------------------------

  /** A database's active sites, and when `/site/list` was last read for it (0: never). */
  async siteList(databaseKey: string): Promise<{ refreshedAt: number; sites: ActiveSite[] }> {
    return { refreshedAt: Number(this.#appState(`sites_refreshed_at:${databaseKey}`) ?? 0), sites: this.#activeSites(databaseKey) };
  }

  /** Every stored site of a database, removed ones too, with its zones. */
  async knownSites(databaseKey: string): Promise<KnownSite[]> {
    return this.#knownSites(databaseKey);
  }

  /**
   * Stores what `/site/list` returned at `at`, in one transaction: listed sites are upserted (and
   * active again), the others marked removed, and a site whose zone in effect changed has its
   * stored days moved to the new zone (db/sqlite/rezone.ts). Returns the database's active sites.
   */
  async saveSiteList(databaseKey: string, listed: readonly ListedSite[], at: number): Promise<ActiveSite[]> {
    const before = new Map(this.#knownSites(databaseKey).map((s) => [s.code, s.effectiveTimezone]));
    const upsert = this.sqlite.prepare(
      `INSERT INTO sites (database_key, code, site_id, name, timezone, timezone_setting, effective_timezone, first_seen_at, last_seen_at, removed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (database_key, code) DO UPDATE SET site_id = excluded.site_id, name = excluded.name,
         timezone = excluded.timezone, timezone_setting = excluded.timezone_setting, effective_timezone = excluded.effective_timezone,
         last_seen_at = excluded.last_seen_at, removed_at = NULL`,
    );
    this.sqlite.transaction(() => {
      for (const site of listed) {
        upsert.run(databaseKey, site.code, site.siteId, site.name, site.timezone, site.timezoneSetting, site.effectiveTimezone, at, at);
        const previous = before.get(site.code);
        if (previous !== undefined && previous !== site.effectiveTimezone) {
          rezoneSite(this.sqlite, { databaseKey, siteCode: site.code, from: previous, to: site.effectiveTimezone, now: at });
        }
      }
      const seen = listed.map((s) => s.code);
      const placeholders = seen.map(() => '?').join(',') || "''";
      this.sqlite
        .prepare(`UPDATE sites SET removed_at = ? WHERE database_key = ? AND removed_at IS NULL AND code NOT IN (${placeholders})`)
        .run(at, databaseKey, ...seen);
      this.#setAppState(`sites_refreshed_at:${databaseKey}`, String(at), at);
    })();
    return this.#activeSites(databaseKey);
  }

  /**
   * Brings stored sites in line with the zones the configuration decides now (start-up), moving
   * the days of every site whose zone in effect changed, each site in a transaction of its own.
   * Returns the codes of the sites that moved.
   */
  async applySiteZones(databaseKey: string, zones: readonly SiteZone[], now: number): Promise<string[]> {
    const before = new Map(this.#knownSites(databaseKey).map((s) => [s.code, s.effectiveTimezone]));
    const update = this.sqlite.prepare('UPDATE sites SET timezone_setting = ?, effective_timezone = ? WHERE database_key = ? AND code = ?');
    const moved: string[] = [];
    for (const zone of zones) {
      const previous = before.get(zone.code);
      if (previous === undefined) continue;
      this.sqlite.transaction(() => {
        update.run(zone.timezoneSetting, zone.effectiveTimezone, databaseKey, zone.code);
        if (zone.effectiveTimezone !== previous) {
          rezoneSite(this.sqlite, { databaseKey, siteCode: zone.code, from: previous, to: zone.effectiveTimezone, now });
          moved.push(zone.code);
        }
      })();
    }
    return moved;
  }

  #activeSites(databaseKey: string): ActiveSite[] {
    return this.sqlite
      .prepare<[string], ActiveSite>(
        `SELECT code, name, effective_timezone AS timezone FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY code`,
      )
      .all(databaseKey);
  }

  #knownSites(databaseKey: string): KnownSite[] {
    return this.sqlite
      .prepare<[string], KnownSite>('SELECT code, timezone, effective_timezone AS effectiveTimezone FROM sites WHERE database_key = ?')
      .all(databaseKey);
  }

  #employeesRefreshedAt(databaseKey: string): number {
    return Number(this.#appState(`employees_refreshed_at:${databaseKey}`) ?? 0);
  }

  #appState(key: string): string | undefined {
    return this.sqlite.prepare<[string], { value: string }>('SELECT value FROM app_state WHERE key = ?').get(key)?.value;
  }

  #setAppState(key: string, value: string, now: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now);
  }
}
