import 'server-only';
import { getDb, type SqlClient, type SqlDialect } from '@/db';
import type { Database as DatabaseRow, Site, siteCoverage, SyncRun } from '@/db/schema';
import { dayEndMs } from '@/lib/calendar';
import { datasetCompleteSql } from '@/lib/measures';
import { readThrough } from './statements';

export interface DatabaseFreshness {
  databaseKey: DatabaseRow['key'];
  databaseName: DatabaseRow['name'];
  /** When the last successful sync of this database finished (epoch ms), or null if none has. */
  lastSyncedAt: SyncRun['finishedAt'];
  /**
   * The latest local day every current site of the database has in full: for each non-removed
   * site, the newest covered day fetched after that day had ended in the site's zone; the earliest
   * of those. Null when any site has none (or the database has no sites yet).
   */
  completeThrough: string | null;
  /**
   * The same for the car-wash figures (issue 11): the latest day every site has its wash list,
   * membership checks and clock entries in; null when a site has none yet.
   */
  kpiCompleteThrough: string | null;
  /** A sync of this database is running now (its lease is held). */
  syncing: boolean;
}

// Runs of one database never overlap (one lease per database), so the latest started successful
// run is also the one that finished last; the (database_key, started_at) index finds it directly.
const LAST_SUCCESS_SQL = `
SELECT finished_at AS "finishedAt" FROM sync_runs
WHERE database_key = ? AND status = 'succeeded' AND finished_at IS NOT NULL
ORDER BY started_at DESC LIMIT 1`;

// The newest day of a site whose every car-wash dataset is complete (see lib/measures.ts).
const KPI_COMPLETE_SQL = `
SELECT max(c.local_day) AS day FROM site_coverage c
LEFT JOIN daily_rollups r ON r.database_key = c.database_key AND r.site_code = c.site_code AND r.local_day = c.local_day
WHERE c.database_key = ? AND c.site_code = ?
  AND ${(['washes', 'memberships', 'labor'] as const).map((d) => datasetCompleteSql(d)).join(' AND ')}`;

const SYNCING_SQL = 'SELECT 1 AS one FROM sync_leases WHERE database_key = ? AND expires_at > ?';

// Byte order on both dialects, as SQLite orders text.
const SITES_SQL = (dialect: SqlDialect) =>
  `SELECT code, effective_timezone AS "effectiveTimezone" FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY ${dialect.byteOrder('code')}`;
const DATABASES_SQL = (dialect: SqlDialect) => `SELECT key, name FROM databases ORDER BY ${dialect.byteOrder('name')}, ${dialect.byteOrder('key')}`;

// Newest first, a few at a time: usually the first or second row qualifies (today is never
// complete yet), and a site's whole history would be hundreds of rows per page view.
const COVERAGE_SQL = `
SELECT local_day AS "localDay", synced_at AS "syncedAt" FROM site_coverage
WHERE database_key = ? AND site_code = ? AND local_day < ? ORDER BY local_day DESC LIMIT ?`;
const COVERAGE_BATCH = 8;

/**
 * Freshness of each database (all, or the given ones), in display order. With `sites`, a database's
 * "complete through" is judged over those sites only (a manager's line says nothing about sites
 * they may not see): the databases in `databaseKeys` count whole, the others by their listed sites.
 */
export async function listFreshness({
  databaseKeys,
  sites,
}: { databaseKeys?: readonly string[]; sites?: readonly { databaseKey: string; code: string }[] } = {}): Promise<DatabaseFreshness[]> {
  const db = getDb();
  return readThrough(db, `freshness ${JSON.stringify([databaseKeys ?? null, sites ?? null])}`, () => readFreshness(db.sql, db.dialect, databaseKeys, sites));
}

async function readFreshness(
  sql: SqlClient,
  dialect: SqlDialect,
  databaseKeys: readonly string[] | undefined,
  only: readonly { databaseKey: string; code: string }[] | undefined,
): Promise<DatabaseFreshness[]> {
  const databases = (await sql.all<Pick<DatabaseRow, 'key' | 'name'>>(DATABASES_SQL(dialect))).filter(
    (d) => !databaseKeys || databaseKeys.includes(d.key),
  );
  const now = Date.now();

  const out: DatabaseFreshness[] = [];
  for (const d of databases) {
    const sites = (await sql.all<Pick<Site, 'code' | 'effectiveTimezone'>>(SITES_SQL(dialect), [d.key])).filter(
      (s) => !only || only.some((o) => o.databaseKey === d.key && o.code === s.code),
    );
    let completeThrough: string | null = null;
    let kpiCompleteThrough: string | null = null;
    for (const [i, site] of sites.entries()) {
      const newest = (await sql.get<{ day: string | null }>(KPI_COMPLETE_SQL, [d.key, site.code]))?.day ?? null;
      if (newest === null) {
        kpiCompleteThrough = null;
        break;
      }
      if (i === 0 || (kpiCompleteThrough !== null && newest < kpiCompleteThrough)) kpiCompleteThrough = newest;
    }
    for (const site of sites) {
      const newest = await newestCompleteDay(sql, d.key, site.code, site.effectiveTimezone);
      if (newest === null) {
        completeThrough = null;
        break;
      }
      if (completeThrough === null || newest < completeThrough) completeThrough = newest;
    }
    out.push({
      databaseKey: d.key,
      databaseName: d.name,
      lastSyncedAt: (await sql.get<Pick<SyncRun, 'finishedAt'>>(LAST_SUCCESS_SQL, [d.key]))?.finishedAt ?? null,
      completeThrough,
      kpiCompleteThrough,
      syncing: (await sql.get(SYNCING_SQL, [d.key, now])) !== undefined,
    });
  }
  return out;
}

/** The first (newest) covered day of a site that was fetched after it had ended in the zone. */
async function newestCompleteDay(sql: SqlClient, databaseKey: string, code: string, timeZone: string): Promise<string | null> {
  // '~' sorts after every ISO day: the first batch starts at the newest.
  for (let before = '~'; ; ) {
    const rows = await sql.all<Pick<typeof siteCoverage.$inferSelect, 'localDay' | 'syncedAt'>>(COVERAGE_SQL, [databaseKey, code, before, COVERAGE_BATCH]);
    for (const row of rows) {
      if (row.syncedAt > dayEndMs(row.localDay, timeZone)) return row.localDay;
    }
    if (rows.length < COVERAGE_BATCH) return null;
    before = rows[rows.length - 1]!.localDay;
  }
}
