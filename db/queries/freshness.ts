import 'server-only';
import { getSqliteDb as getDb } from '@/db';
import type { Database as DatabaseRow, Site, siteCoverage, SyncRun } from '@/db/schema';
import { dayEndMs } from '@/lib/calendar';
import { datasetCompleteSql } from '@/lib/measures';
import { prepared, readThrough } from './statements';

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
SELECT finished_at AS finishedAt FROM sync_runs
WHERE database_key = ? AND status = 'succeeded' AND finished_at IS NOT NULL
ORDER BY started_at DESC LIMIT 1`;

// The newest day of a site whose every car-wash dataset is complete (see lib/measures.ts).
const KPI_COMPLETE_SQL = `
SELECT max(c.local_day) FROM site_coverage c
LEFT JOIN daily_rollups r ON r.database_key = c.database_key AND r.site_code = c.site_code AND r.local_day = c.local_day
WHERE c.database_key = ? AND c.site_code = ?
  AND ${(['washes', 'memberships', 'labor'] as const).map((d) => datasetCompleteSql(d)).join(' AND ')}`;

const SYNCING_SQL = 'SELECT 1 FROM sync_leases WHERE database_key = ? AND expires_at > ?';

const SITES_SQL = `SELECT code, effective_timezone AS effectiveTimezone FROM sites WHERE database_key = ? AND removed_at IS NULL ORDER BY code`;

const COVERAGE_SQL = `
SELECT local_day AS localDay, synced_at AS syncedAt FROM site_coverage
WHERE database_key = ? AND site_code = ? ORDER BY local_day DESC`;

/**
 * Freshness of each database (all, or the given ones), in display order. With `sites`, a database's
 * "complete through" is judged over those sites only (a manager's line says nothing about sites
 * they may not see): the databases in `databaseKeys` count whole, the others by their listed sites.
 */
export async function listFreshness({
  databaseKeys,
  sites,
}: { databaseKeys?: readonly string[]; sites?: readonly { databaseKey: string; code: string }[] } = {}): Promise<DatabaseFreshness[]> {
  const { sqlite } = getDb();
  return readThrough(sqlite, `freshness ${JSON.stringify([databaseKeys ?? null, sites ?? null])}`, () => readFreshness(sqlite, databaseKeys, sites));
}

function readFreshness(
  sqlite: ReturnType<typeof getDb>['sqlite'],
  databaseKeys: readonly string[] | undefined,
  only: readonly { databaseKey: string; code: string }[] | undefined,
): DatabaseFreshness[] {
  const databases = prepared<[], Pick<DatabaseRow, 'key' | 'name'>>(sqlite, 'SELECT key, name FROM databases ORDER BY name, key')
    .all()
    .filter((d) => !databaseKeys || databaseKeys.includes(d.key));
  const lastSuccess = prepared<[string], Pick<SyncRun, 'finishedAt'>>(sqlite, LAST_SUCCESS_SQL);
  const sitesStmt = prepared<[string], Pick<Site, 'code' | 'effectiveTimezone'>>(sqlite, SITES_SQL);
  const coverage = prepared<[string, string], Pick<typeof siteCoverage.$inferSelect, 'localDay' | 'syncedAt'>>(sqlite, COVERAGE_SQL);
  const syncing = prepared<[string, number], number>(sqlite, SYNCING_SQL).pluck();
  const kpiComplete = prepared<[string, string], string | null>(sqlite, KPI_COMPLETE_SQL).pluck();
  const now = Date.now();

  return databases.map((d) => {
    const sites = sitesStmt
      .all(d.key)
      .filter((s) => !only || only.some((o) => o.databaseKey === d.key && o.code === s.code));
    let completeThrough: string | null = null;
    let kpiCompleteThrough: string | null = null;
    for (const [i, site] of sites.entries()) {
      const newest = kpiComplete.get(d.key, site.code) ?? null;
      if (newest === null) {
        kpiCompleteThrough = null;
        break;
      }
      if (i === 0 || (kpiCompleteThrough !== null && newest < kpiCompleteThrough)) kpiCompleteThrough = newest;
    }
    for (const site of sites) {
      const newest = newestCompleteDay(coverage.iterate(d.key, site.code), site.effectiveTimezone);
      if (newest === null) {
        completeThrough = null;
        break;
      }
      if (completeThrough === null || newest < completeThrough) completeThrough = newest;
    }
    return {
      databaseKey: d.key,
      databaseName: d.name,
      lastSyncedAt: lastSuccess.get(d.key)?.finishedAt ?? null,
      completeThrough,
      kpiCompleteThrough,
      syncing: syncing.get(d.key, now) !== undefined,
    };
  });
}

/** The first (newest) covered day that was fetched after it had ended in the zone. */
function newestCompleteDay(rows: Iterable<{ localDay: string; syncedAt: number }>, timeZone: string): string | null {
  // Newest first; usually the first or second row qualifies (today is never complete yet). Leaving
  // the loop early closes the statement.
  for (const row of rows) {
    if (row.syncedAt > dayEndMs(row.localDay, timeZone)) return row.localDay;
  }
  return null;
}
