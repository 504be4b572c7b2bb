/**
 * Data fixes that a schema migration cannot make in SQL alone, applied right after the migrations
 * when a database is opened. Each is idempotent and costs one indexed probe when there is nothing to do.
 */
import type Database from 'better-sqlite3';
import { dayEndMs } from '@/lib/calendar';
import { DEFAULT_TIMEZONE } from '@/lib/env';

/**
 * `site_coverage.day_end_at` (migration 0005) needs the site's zone, which SQL does not have: fill
 * it for rows written before the column existed. Until then those days read as not complete.
 * SQLite only: a Postgres database never held coverage without it (its schema starts after 0005,
 * the sync writes it with every row, and db:copy reads the SQLite archive through `openDatabase`,
 * which has applied this fix before the copy).
 */
function fillCoverageDayEnds(sqlite: Database.Database): void {
  const missing = sqlite.prepare('SELECT 1 FROM site_coverage WHERE day_end_at IS NULL LIMIT 1').get();
  if (!missing) return;
  const rows = sqlite
    .prepare<[], { databaseKey: string; siteCode: string; localDay: string; zone: string | null }>(
      `SELECT c.database_key AS databaseKey, c.site_code AS siteCode, c.local_day AS localDay,
         coalesce(s.effective_timezone, d.default_timezone) AS zone
       FROM site_coverage c
       LEFT JOIN sites s ON s.database_key = c.database_key AND s.code = c.site_code
       LEFT JOIN databases d ON d.key = c.database_key
       WHERE c.day_end_at IS NULL`,
    )
    .all();
  const update = sqlite.prepare('UPDATE site_coverage SET day_end_at = ? WHERE database_key = ? AND site_code = ? AND local_day = ?');
  sqlite.transaction(() => {
    for (const r of rows) {
      update.run(dayEndMs(r.localDay, r.zone ?? DEFAULT_TIMEZONE), r.databaseKey, r.siteCode, r.localDay);
    }
  })();
}

export function applyDataFixes(sqlite: Database.Database): void {
  fillCoverageDayEnds(sqlite);
}
