/**
 * The CSV reports' reads both dialects share (their readers: db/sqlite/report-reader.ts,
 * db/postgres/report-reader.ts): the daily report's rows and the sites a transactions export walks.
 * Text is ordered byte by byte on both (`dialect.byteOrder`), so the two dialects write the same file.
 */
import { dayEndMs, startOfLocalDay, zoneOffsetMs } from '@/lib/calendar';
import { datasetCompleteSql, ROLLUP_MEASURES } from '@/lib/measures';
import type { DailyReportRow } from '@/lib/reports/readers';
import type { ReportScope } from '@/lib/reports/scope';
import type { SqlDialect } from './dialect';
import { scopeWhere } from './scope';

/** Rows of daily_rollups in scope with any transaction or clock entry, by day, database name, key and site. */
export const dailyReportSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT r.local_day AS "localDay", coalesce(d.name, r.database_key) AS "databaseName", r.site_code AS "siteCode",
  coalesce(s.name, r.site_code) AS "siteName",
  ${ROLLUP_MEASURES.map((m) => `r.${m.column} AS "${m.key}"`).join(', ')},
  ${dialect.flag(datasetCompleteSql('sales'))} AS complete,
  ${dialect.flag(`(${datasetCompleteSql('washes')} AND ${datasetCompleteSql('memberships')} AND ${datasetCompleteSql('labor')})`)} AS "kpiComplete"
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
LEFT JOIN site_coverage c ON c.database_key = r.database_key AND c.site_code = r.site_code AND c.local_day = r.local_day
WHERE ${scopeWhere(dialect, 'r', scope)} AND (r.transactions + r.voided + r.other_status > 0 OR r.labor_entries > 0)
ORDER BY ${dialect.byteOrder('r.local_day')}, ${dialect.byteOrder('coalesce(d.name, r.database_key)')}, ${dialect.byteOrder('r.database_key')}, ${dialect.byteOrder('r.site_code')}`;

/** A row of {@link dailyReportSql}: its flags read 1 or 0. */
export type DailyReportSqlRow = Omit<DailyReportRow, 'complete' | 'kpiComplete'> & { complete: 0 | 1; kpiComplete: 0 | 1 };

export const toDailyReportRow = ({ complete, kpiComplete, ...row }: DailyReportSqlRow): DailyReportRow => ({
  ...row,
  complete: complete === 1,
  kpiComplete: kpiComplete === 1,
});

/** A site with rows in scope: [database key, site code, database name, site name, time zone]. */
export type ExportSite = [databaseKey: string, siteCode: string, databaseName: string, siteName: string, timeZone: string];

/** The sites with rows in scope, from the rollups (a few thousand rows, not millions), as {@link ExportSite} columns. */
export const exportSitesSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT * FROM (
  SELECT DISTINCT r.database_key AS "databaseKey", r.site_code AS "siteCode", coalesce(d.name, r.database_key) AS "databaseName",
    coalesce(s.name, r.site_code) AS "siteName", coalesce(s.effective_timezone, d.default_timezone, 'UTC') AS "timeZone"
  FROM daily_rollups r
  LEFT JOIN databases d ON d.key = r.database_key
  LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
  WHERE ${scopeWhere(dialect, 'r', scope)}
) x
ORDER BY ${dialect.byteOrder('x."databaseName"')}, ${dialect.byteOrder('x."databaseKey"')}, ${dialect.byteOrder('x."siteCode"')}`;

interface DayOffsets {
  /** Unix seconds of the day's offset change; past the day's end when there is none. */
  change: number;
  offsetBefore: number;
  offsetAfter: number;
}

/** A zone's offsets (seconds) over one local day; the local time of a row is its unix seconds plus `offsetBefore` before `change`, `offsetAfter` from it on (a local day has at most one offset change). */
export function dayOffsets(day: string, timeZone: string): DayOffsets {
  const start = startOfLocalDay(day, timeZone);
  const end = dayEndMs(day, timeZone) / 1000;
  const offsetAt = (unix: number) => zoneOffsetMs(unix * 1000, timeZone) / 1000;
  const offsetBefore = offsetAt(start);
  const offsetAfter = offsetAt(end - 1);
  if (offsetBefore === offsetAfter) return { change: end, offsetBefore, offsetAfter };
  // Bisect for the first second on the new offset.
  let lo = start;
  let hi = end - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === offsetBefore) lo = mid + 1;
    else hi = mid;
  }
  return { change: lo, offsetBefore, offsetAfter };
}
