/**
 * The CSV reports' reader over SQLite (lib/reports/readers.ts). Give a download a connection of
 * its own (db/queries/exports.ts): the daily report keeps its statement open between chunks.
 */
import type Database from 'better-sqlite3';
import { dayEndMs, startOfLocalDay, zoneOffsetMs } from '@/lib/calendar';
import { datasetCompleteSql, ROLLUP_MEASURES } from '@/lib/measures';
import { CSV_EOL, textCell } from '@/lib/reports/csv';
import type { DailyReportRow, ReportReader, TransactionLines } from '@/lib/reports/readers';
import type { ReportScope } from '@/lib/reports/scope';
import { booleanCellSql, centsToDecimalSql, optionalBooleanCellSql, textCellSql } from './csv-cells';
import { scopeParams, scopeWhere } from './scope';

// ---- The daily report: rows of daily_rollups, the dashboard's figures -----------------------------

const dailySql = (scope: ReportScope) => `
SELECT r.local_day AS localDay, coalesce(d.name, r.database_key) AS databaseName, r.site_code AS siteCode,
  coalesce(s.name, r.site_code) AS siteName,
  ${ROLLUP_MEASURES.map((m) => `r.${m.column} AS ${m.key}`).join(', ')},
  ${datasetCompleteSql('sales')} AS complete,
  (${datasetCompleteSql('washes')} AND ${datasetCompleteSql('memberships')} AND ${datasetCompleteSql('labor')}) AS kpiComplete
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
LEFT JOIN site_coverage c ON c.database_key = r.database_key AND c.site_code = r.site_code AND c.local_day = r.local_day
WHERE ${scopeWhere('r', scope)} AND (r.transactions + r.voided + r.other_status > 0 OR r.labor_entries > 0)
ORDER BY r.local_day, 2, r.database_key, r.site_code`;

type DailySqlRow = Omit<DailyReportRow, 'complete' | 'kpiComplete'> & { complete: 0 | 1; kpiComplete: 0 | 1 };

// ---- The transactions export: finished lines, written by SQLite ------------------------------------

// The sites with rows in scope, from the rollups (a few thousand rows, not millions).
const sitesSql = (scope: ReportScope) => `
SELECT DISTINCT r.database_key, r.site_code, coalesce(d.name, r.database_key) AS database_name,
  coalesce(s.name, r.site_code), coalesce(s.effective_timezone, d.default_timezone, 'UTC')
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
WHERE ${scopeWhere('r', scope)}
ORDER BY database_name, r.database_key, r.site_code`;

/**
 * One site-day's rows as finished CSV lines, written by SQLite: JS receives one string per
 * site-day (a few hundred rows) instead of five or more per row, so the heap barely moves during a
 * million-row export and no statement stays open between chunks (bench/dashboard.ts: ~600k rows/s).
 *
 * The local time is the stored instant plus the zone's offset, and a local day has at most one
 * offset change: `:offsetBefore` applies before the instant `:change`, `:offsetAfter` from it on
 * (the same offset twice, and no change, on most days). Within a day, rows go in time order.
 */
const DAY_LINES_SQL = `
SELECT count(*), group_concat(
  local_day || ',' ||
  time(occurred_unix + iif(occurred_unix < :change, :offsetBefore, :offsetAfter), 'unixepoch') || ',' ||
  :siteCells || ',' ||
  ${textCellSql('trans_id')} || ',' ||
  coalesce(trans_number, '') || ',' ||
  ${textCellSql('status')} || ',' ||
  ${centsToDecimalSql('total_cents')} || ',' ||
  ${booleanCellSql('is_plan_sale')} || ',' ||
  ${booleanCellSql('is_plan_redemption')} || ',' ||
  ${textCellSql('customer_id')} || ',' ||
  ${optionalBooleanCellSql('is_wash')} || ',' ||
  ${optionalBooleanCellSql('is_new_membership')} || '${CSV_EOL}',
  '' ORDER BY occurred_unix, trans_id)
FROM transactions
WHERE database_key = :databaseKey AND site_code = :siteCode AND local_day = :day`;

// The days a site has rows on, from its rollups (every stored transaction counts in one).
const SITE_DAYS_SQL = `
SELECT local_day FROM daily_rollups
WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
ORDER BY local_day`;

type SiteRow = [databaseKey: string, siteCode: string, databaseName: string, siteName: string, timeZone: string];

interface DayOffsets {
  /** Unix seconds of the day's offset change; past the day's end when there is none. */
  change: number;
  offsetBefore: number;
  offsetAfter: number;
}

/** A zone's offsets (seconds) over one local day; see {@link DAY_LINES_SQL}. */
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


export function createReportReader(sqlite: Database.Database): ReportReader {
  return {
    async *dailyReportRows(scope: ReportScope): AsyncGenerator<DailyReportRow> {
      for (const r of sqlite.prepare(dailySql(scope)).iterate(scopeParams(scope)) as IterableIterator<DailySqlRow>) {
        yield { ...r, complete: r.complete === 1, kpiComplete: r.kpiComplete === 1 };
      }
    },

    async *transactionLines(scope: ReportScope): AsyncGenerator<TransactionLines> {
      // Every statement runs to completion before a batch is handed out: none is left open while the client downloads.
      const sites = sqlite.prepare(sitesSql(scope)).raw(true).all(scopeParams(scope)) as SiteRow[];
      const daysStmt = sqlite.prepare(SITE_DAYS_SQL).pluck();
      const linesStmt = sqlite.prepare(DAY_LINES_SQL).raw(true);
      for (const [databaseKey, siteCode, databaseName, siteName, timeZone] of sites) {
        // Text cells shared by every row of the site are encoded once.
        const siteCells = `${textCell(databaseName)},${textCell(siteCode)},${textCell(siteName)}`;
        const days = daysStmt.all(databaseKey, siteCode, scope.from, scope.to) as string[];
        for (const day of days) {
          const [count, lines] = linesStmt.get({ ...dayOffsets(day, timeZone), siteCells, databaseKey, siteCode, day }) as [number, string | null];
          if (count && lines !== null) yield { rows: count, csv: lines };
        }
      }
    },
  };
}
