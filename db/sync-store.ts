/**
 * The sync's bookkeeping (lib/sync's `SyncStore`) in portable SQL over `db.sql` (db/sql/client.ts):
 * runs, leases, planned chunks, coverage, employees and sites, with the same semantics as SQLite's
 * class (db/sqlite/sync-store.ts). Postgres uses it; SQLite keeps its synchronous class, whose
 * `startRun` and rezone run inside one better-sqlite3 transaction with no await between reads and
 * writes (see the report of issue 14: swapping it is a follow-up once the SQLite suites have run
 * on this one for a while).
 *
 * Several processes (or machines) share one database here, so atomicity comes from transactions
 * and locks, never from one connection per process: `startRun` takes the database's sync lock
 * (`dialect.transactionLock`, a transaction-scoped advisory lock on Postgres) before reading the
 * lease, so two triggers at once make one run.
 */
import { isClaimLive } from '@/lib/process/owner';
import type { SqlClient } from './sql/client';
import type { SqlDialect } from './sql/dialect';
import type { ActiveSite, ChunkRow, KnownSite, ListedSite, NewChunk, RunProgress, RunRow, RunStatus, SiteZone, StartRun } from './sync-rows';
import { rezoneSiteIn, type RecomputeDays } from './rezone';

const CHUNK_COLUMNS = `id, run_id AS "runId", kind, site_code AS "siteCode", start_unix AS "startUnix", end_unix AS "endUnix",
  from_day AS "fromDay", to_day AS "toDay", ordinal, next_page AS "nextPage", status, rows,
  first_fetched_at AS "firstFetchedAt", estimated_pages AS "estimatedPages"`;

export const FINISH_CHUNK_SQL = "UPDATE sync_chunks SET status = 'done', completed_at = ? WHERE id = ?";

/** The lock key that serialises starting runs of one database (see the module comment). */
const runLockKey = (databaseKey: string) => `washboard.sync:${databaseKey}`;

export class SqlSyncStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly dialect: SqlDialect,
    /** Rebuilds rollups of days from raw rows, inside the caller's transaction (the dialect's ingestor). */
    private readonly recompute: RecomputeDays,
  ) {}

  /** Starts a run under the database's lease, or reports the live run that holds it (see the module comment). */
  async startRun(input: StartRun): Promise<{ started: true; runId: number } | { started: false; runId: number }> {
    return this.sql.transaction(async (tx) => {
      await tx.get(this.dialect.transactionLock('?'), [runLockKey(input.databaseKey)]);
      const lease = await tx.get<{ runId: number; owner: string; expiresAt: number }>(
        'SELECT run_id AS "runId", owner, expires_at AS "expiresAt" FROM sync_leases WHERE database_key = ?',
        [input.databaseKey],
      );
      if (lease && isClaimLive(lease.owner, lease.expiresAt, input.now)) return { started: false as const, runId: lease.runId };

      // Whoever held the lease died (or stopped) mid-run: record it, so its pending chunks get adopted.
      await tx.run(
        `UPDATE sync_runs SET status = 'interrupted', finished_at = heartbeat_at,
           message = 'Interrupted: the process running it stopped. The next sync continued where it left off.'
         WHERE database_key = ? AND status = 'running'`,
        [input.databaseKey],
      );
      const run = await tx.get<{ id: number }>(
        `INSERT INTO sync_runs (database_key, trigger, status, started_at, heartbeat_at, priority, from_day, to_day)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?) RETURNING id`,
        [input.databaseKey, input.trigger, input.now, input.now, input.priority, input.fromDay ?? null, input.toDay ?? null],
      );
      const runId = Number(run!.id);
      await tx.run(
        `INSERT INTO sync_leases (database_key, run_id, owner, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (database_key) DO UPDATE SET run_id = excluded.run_id, owner = excluded.owner, expires_at = excluded.expires_at`,
        [input.databaseKey, runId, input.owner, input.leaseUntil],
      );
      return { started: true as const, runId };
    });
  }

  /** Renews the lease until `leaseUntil` and publishes progress (called at least every second while running). */
  async heartbeat(input: { databaseKey: string; runId: number; owner: string; now: number; leaseUntil: number; progress: RunProgress }): Promise<void> {
    const { databaseKey, runId, owner, now, leaseUntil, progress } = input;
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE sync_leases SET expires_at = ? WHERE database_key = ? AND run_id = ? AND owner = ?', [leaseUntil, databaseKey, runId, owner]);
      await tx.run(
        `UPDATE sync_runs SET heartbeat_at = ?, planned_requests = ?, done_requests = ?, rows = ?, eta_at = ?
         WHERE id = ? AND status = 'running'`,
        [now, progress.plannedRequests, progress.doneRequests, progress.rows, progress.etaAt, runId],
      );
    });
  }

  /** Records how a run ended and releases its lease. */
  async finishRun(input: { databaseKey: string; runId: number; owner: string; now: number; status: RunStatus; message: string; progress: RunProgress }): Promise<void> {
    const { databaseKey, runId, owner, now, status, message, progress } = input;
    await this.sql.transaction(async (tx) => {
      await tx.run(
        `UPDATE sync_runs SET status = ?, finished_at = ?, heartbeat_at = ?, message = ?, planned_requests = ?,
           done_requests = ?, rows = ?, eta_at = NULL WHERE id = ?`,
        [status, now, now, message, progress.plannedRequests, progress.doneRequests, progress.rows, runId],
      );
      await tx.run('DELETE FROM sync_leases WHERE database_key = ? AND run_id = ? AND owner = ?', [databaseKey, runId, owner]);
    });
  }

  async getRun(runId: number): Promise<RunRow | undefined> {
    return this.sql.get<RunRow>(
      `SELECT status, message, heartbeat_at AS "heartbeatAt", started_at AS "startedAt", from_day AS "fromDay", to_day AS "toDay"
       FROM sync_runs WHERE id = ?`,
      [runId],
    );
  }

  /** Whether the run still holds its database's lease and its holder is alive. */
  async isLeaseLive(databaseKey: string, runId: number, now: number): Promise<boolean> {
    const row = await this.sql.get<{ owner: string; expiresAt: number }>(
      'SELECT owner, expires_at AS "expiresAt" FROM sync_leases WHERE database_key = ? AND run_id = ?',
      [databaseKey, runId],
    );
    return !!row && isClaimLive(row.owner, row.expiresAt, now);
  }

  /** Pending chunks left by interrupted runs of this database: the new run takes them over. */
  async adoptPendingChunks(databaseKey: string, runId: number): Promise<ChunkRow[]> {
    await this.sql.run(
      `UPDATE sync_chunks SET run_id = ? WHERE database_key = ? AND status = 'pending'
         AND run_id IN (SELECT id FROM sync_runs WHERE database_key = ? AND status != 'running')`,
      [runId, databaseKey, databaseKey],
    );
    return this.listChunks(runId);
  }

  /** When the run before `runId` began, if it was interrupted (its explicit range is being finished). */
  async interruptedPredecessorStart(databaseKey: string, runId: number): Promise<number | undefined> {
    const row = await this.sql.get<{ status: RunStatus; startedAt: number }>(
      'SELECT status, started_at AS "startedAt" FROM sync_runs WHERE database_key = ? AND id < ? ORDER BY id DESC LIMIT 1',
      [databaseKey, runId],
    );
    return row?.status === 'interrupted' ? row.startedAt : undefined;
  }

  /** Plans chunks for a run, numbered in order from `firstOrdinal`. */
  async addChunks(databaseKey: string, runId: number, chunks: readonly NewChunk[], firstOrdinal: number): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const [i, c] of chunks.entries()) {
        await tx.run(
          `INSERT INTO sync_chunks (run_id, database_key, kind, site_code, start_unix, end_unix, from_day, to_day, ordinal, next_page, status, estimated_pages)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
          [
            runId, databaseKey, c.kind ?? 'transactions', c.siteCode, c.startUnix, c.endUnix, c.fromDay, c.toDay, firstOrdinal + i,
            // Labor walks employees by ID from 0; lists walk pages from 1.
            c.kind === 'labor' ? 0 : 1,
            c.estimatedPages,
          ],
        );
      }
    });
  }

  /** A chunk's range narrowed to the days that still need it (a wash list whose other days are in). */
  async narrowChunk(chunkId: number, range: { fromDay: string; toDay: string; startUnix: number; endUnix: number }): Promise<void> {
    await this.sql.run('UPDATE sync_chunks SET from_day = ?, to_day = ?, start_unix = ?, end_unix = ? WHERE id = ?', [
      range.fromDay, range.toDay, range.startUnix, range.endUnix, chunkId,
    ]);
  }

  /** A chunk whose work left nothing to record beyond its rows and flags is done. */
  async finishChunk(chunkId: number, now: number): Promise<void> {
    await this.sql.run(FINISH_CHUNK_SQL, [now, chunkId]);
  }

  // ---- Car-wash KPI data (issue #11) ------------------------------------------------------------

  /** Days of a site's range with Completed transactions not yet checked against the wash list. */
  async unclassifiedDays(databaseKey: string, siteCode: string, fromDay: string, toDay: string): Promise<string[]> {
    const rows = await this.sql.all<{ day: string }>(
      `SELECT local_day AS day FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
         AND unclassified_washes > 0 ORDER BY local_day`,
      [databaseKey, siteCode, fromDay, toDay],
    );
    return rows.map((r) => r.day);
  }

  /** site → days still owing KPI data: rows without a wash flag, plan sales not verified. */
  async kpiBacklog(databaseKey: string): Promise<{ unclassified: Map<string, string[]>; unverified: Map<string, string[]> }> {
    const rows = await this.sql.all<{ site: string; day: string; unclassified: number; unverified: number }>(
      `SELECT site_code AS site, local_day AS day, unclassified_washes AS unclassified, unverified_plan_sales AS unverified
       FROM daily_rollups WHERE database_key = ? AND (unclassified_washes > 0 OR unverified_plan_sales > 0)`,
      [databaseKey],
    );
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
    const rows = await this.sql.all<{ id: string }>(
      `SELECT trans_id AS id FROM transactions WHERE database_key = ? AND site_code = ? AND local_day = ?
         AND status = 'Completed' AND is_plan_sale AND is_new_membership IS NULL ORDER BY occurred_unix`,
      [databaseKey, siteCode, day],
    );
    return rows.map((r) => r.id);
  }

  /** Stored transactions of a site between two instants (Unix seconds, inclusive): what a load-job of them returns. */
  async countBetween(databaseKey: string, siteCode: string, startUnix: number, endUnix: number): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      'SELECT count(*) AS n FROM transactions WHERE database_key = ? AND site_code = ? AND occurred_unix BETWEEN ? AND ?',
      [databaseKey, siteCode, startUnix, endUnix],
    );
    return Number(row?.n ?? 0);
  }

  /** When `/employee` was last read, and what it listed (IDs ascending). */
  async employees(databaseKey: string): Promise<{ refreshedAt: number; ids: number[] }> {
    const refreshedAt = await this.#employeesRefreshedAt(databaseKey);
    const rows = await this.sql.all<{ id: number }>('SELECT employee_id AS id FROM employees WHERE database_key = ? ORDER BY employee_id', [databaseKey]);
    return { refreshedAt, ids: rows.map((r) => r.id) };
  }

  /** Stores what `/employee` listed; employees no longer listed are kept (their past entries stay theirs). */
  async saveEmployees(databaseKey: string, list: readonly { employeeId: number; firstName: string; lastName: string }[], now: number): Promise<void> {
    await this.sql.transaction(async (tx) => {
      for (const e of list) {
        await tx.run(
          `INSERT INTO employees (database_key, employee_id, first_name, last_name, last_seen_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (database_key, employee_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
             last_seen_at = excluded.last_seen_at`,
          [databaseKey, e.employeeId, e.firstName, e.lastName, now],
        );
      }
      await setAppState(tx, `employees_refreshed_at:${databaseKey}`, String(now), now);
    });
  }

  /** The IDs of the employees `/employee` listed at its last read (the ones whose entries a window fetches). */
  async listedEmployees(databaseKey: string): Promise<number[]> {
    const refreshedAt = await this.#employeesRefreshedAt(databaseKey);
    const rows = await this.sql.all<{ id: number }>(
      'SELECT employee_id AS id FROM employees WHERE database_key = ? AND last_seen_at >= ? ORDER BY employee_id',
      [databaseKey, refreshedAt],
    );
    return rows.map((r) => r.id);
  }

  /** day → when every employee's clock entries of that (API) day were last fetched. */
  async laborCoverage(databaseKey: string): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ day: string; at: number }>('SELECT local_day AS day, synced_at AS at FROM labor_coverage WHERE database_key = ?', [databaseKey]);
    return new Map(rows.map((r) => [r.day, r.at]));
  }

  /** Local days with a clock entry still open (hours still growing). */
  async openShiftDays(databaseKey: string): Promise<string[]> {
    const rows = await this.sql.all<{ day: string }>(
      'SELECT DISTINCT local_day AS day FROM clock_entries WHERE database_key = ? AND clock_out_unix IS NULL',
      [databaseKey],
    );
    return rows.map((r) => r.day);
  }

  async listChunks(runId: number): Promise<ChunkRow[]> {
    return this.sql.all<ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM sync_chunks WHERE run_id = ? ORDER BY ordinal, id`, [runId]);
  }

  /** Start a chunk over (its snapshot expired): its next pages might no longer line up. */
  async restartChunk(chunkId: number): Promise<void> {
    await this.sql.run('UPDATE sync_chunks SET next_page = 1, first_fetched_at = NULL WHERE id = ?', [chunkId]);
  }

  /** site → day → synced_at for one database. */
  async coverage(databaseKey: string): Promise<Map<string, Map<string, number>>> {
    const map = new Map<string, Map<string, number>>();
    const rows = await this.sql.all<{ site: string; day: string; at: number }>(
      'SELECT site_code AS site, local_day AS day, synced_at AS at FROM site_coverage WHERE database_key = ?',
      [databaseKey],
    );
    for (const r of rows) {
      let days = map.get(r.site);
      if (!days) map.set(r.site, (days = new Map()));
      days.set(r.day, r.at);
    }
    return map;
  }

  /** Average v2 rows per day over a site's last 28 stored days, for page estimates. */
  async rowsPerDay(databaseKey: string): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ site: string; perDay: number }>(
      `SELECT site_code AS site, avg(transactions + voided + other_status) AS "perDay" FROM (
         SELECT site_code, transactions, voided, other_status,
           row_number() OVER (PARTITION BY site_code ORDER BY local_day DESC) AS n
         FROM daily_rollups WHERE database_key = ?) recent WHERE n <= 28 GROUP BY site_code`,
      [databaseKey],
    );
    return new Map(rows.map((r) => [r.site, Number(r.perDay)]));
  }

  async getAppState(key: string): Promise<string | undefined> {
    return appState(this.sql, key);
  }

  async setAppState(key: string, value: string, now: number): Promise<void> {
    await setAppState(this.sql, key, value, now);
  }

  // ---- Sites (lib/sync/sites.ts decides their zones) ---------------------------------------------

  /** A database's active sites, and when `/site/list` was last read for it (0: never). */
  async siteList(databaseKey: string): Promise<{ refreshedAt: number; sites: ActiveSite[] }> {
    const refreshedAt = Number((await appState(this.sql, `sites_refreshed_at:${databaseKey}`)) ?? 0);
    return { refreshedAt, sites: await activeSites(this.sql, databaseKey) };
  }

  /** Every stored site of a database, removed ones too, with its zones. */
  async knownSites(databaseKey: string): Promise<KnownSite[]> {
    return knownSites(this.sql, databaseKey);
  }

  /**
   * Stores what `/site/list` returned at `at`, in one transaction: listed sites are upserted (and
   * active again), the others marked removed, and a site whose zone in effect changed has its
   * stored days moved to the new zone (db/rezone.ts). Returns the database's active sites.
   */
  async saveSiteList(databaseKey: string, listed: readonly ListedSite[], at: number): Promise<ActiveSite[]> {
    return this.sql.transaction(async (tx) => {
      // Read inside the transaction, under the database's sync lock: another instance saving the
      // same list at once must not move the same days twice.
      await tx.get(this.dialect.transactionLock('?'), [`washboard.sites:${databaseKey}`]);
      const before = new Map((await knownSites(tx, databaseKey)).map((s) => [s.code, s.effectiveTimezone]));
      for (const site of listed) {
        await tx.run(
          `INSERT INTO sites (database_key, code, site_id, name, timezone, timezone_setting, effective_timezone, first_seen_at, last_seen_at, removed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (database_key, code) DO UPDATE SET site_id = excluded.site_id, name = excluded.name,
             timezone = excluded.timezone, timezone_setting = excluded.timezone_setting, effective_timezone = excluded.effective_timezone,
             last_seen_at = excluded.last_seen_at, removed_at = NULL`,
          [databaseKey, site.code, site.siteId, site.name, site.timezone, site.timezoneSetting, site.effectiveTimezone, at, at],
        );
        const previous = before.get(site.code);
        if (previous !== undefined && previous !== site.effectiveTimezone) {
          await rezoneSiteIn(tx, this.dialect, this.recompute, { databaseKey, siteCode: site.code, from: previous, to: site.effectiveTimezone, now: at });
        }
      }
      const seen = listed.map((s) => s.code);
      const placeholders = seen.map(() => '?').join(',') || "''";
      await tx.run(`UPDATE sites SET removed_at = ? WHERE database_key = ? AND removed_at IS NULL AND code NOT IN (${placeholders})`, [at, databaseKey, ...seen]);
      await setAppState(tx, `sites_refreshed_at:${databaseKey}`, String(at), at);
      return activeSites(tx, databaseKey);
    });
  }

  /**
   * Brings stored sites in line with the zones the configuration decides now (start-up), moving
   * the days of every site whose zone in effect changed, each site in a transaction of its own.
   * Returns the codes of the sites that moved.
   */
  async applySiteZones(databaseKey: string, zones: readonly SiteZone[], now: number): Promise<string[]> {
    const moved: string[] = [];
    for (const zone of zones) {
      const didMove = await this.sql.transaction(async (tx) => {
        await tx.get(this.dialect.transactionLock('?'), [`washboard.sites:${databaseKey}`]);
        const previous = (await knownSites(tx, databaseKey)).find((s) => s.code === zone.code)?.effectiveTimezone;
        if (previous === undefined) return false;
        await tx.run('UPDATE sites SET timezone_setting = ?, effective_timezone = ? WHERE database_key = ? AND code = ?', [
          zone.timezoneSetting, zone.effectiveTimezone, databaseKey, zone.code,
        ]);
        if (zone.effectiveTimezone === previous) return false;
        await rezoneSiteIn(tx, this.dialect, this.recompute, { databaseKey, siteCode: zone.code, from: previous, to: zone.effectiveTimezone, now });
        return true;
      });
      if (didMove) moved.push(zone.code);
    }
    return moved;
  }

  async #employeesRefreshedAt(databaseKey: string): Promise<number> {
    return Number((await appState(this.sql, `employees_refreshed_at:${databaseKey}`)) ?? 0);
  }
}

function activeSites(sql: SqlClient, databaseKey: string): Promise<ActiveSite[]> {
  return sql.all<ActiveSite>(
    'SELECT code, name, effective_timezone AS timezone FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY code',
    [databaseKey],
  );
}

function knownSites(sql: SqlClient, databaseKey: string): Promise<KnownSite[]> {
  return sql.all<KnownSite>('SELECT code, timezone, effective_timezone AS "effectiveTimezone" FROM sites WHERE database_key = ?', [databaseKey]);
}

async function appState(sql: SqlClient, key: string): Promise<string | undefined> {
  return (await sql.get<{ value: string }>('SELECT value FROM app_state WHERE key = ?', [key]))?.value;
}

async function setAppState(sql: SqlClient, key: string, value: string, now: number): Promise<void> {
  await sql.run(
    `INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, value, now],
  );
}
