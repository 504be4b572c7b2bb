/**
 * The CSV reports' reader over SQLite (lib/reports/readers.ts). Give a download a connection of
 * its own (db/queries/exports.ts): the daily report keeps its statement open between chunks.
 */
import type Database from 'better-sqlite3';
import { CSV_EOL, textCell } from '@/lib/reports/csv';
import type { DailyReportRow, ReportReader, TransactionLines } from '@/lib/reports/readers';
import type { ReportScope } from '@/lib/reports/scope';
import { booleanCellSql, centsToDecimalSql, optionalBooleanCellSql, textCellSql } from './csv-cells';
import { dailyReportSql, dayOffsets, exportSitesSql, toDailyReportRow, type DailyReportSqlRow, type ExportSite } from '@/db/sql/report-rows';
import { scopeParams } from '@/db/sql/scope';
import { sqliteDialect } from './dialect';

// ---- The transactions export: finished lines, written by SQLite ------------------------------------

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

export function createReportReader(sqlite: Database.Database): ReportReader {
  return {
    async *dailyReportRows(scope: ReportScope): AsyncGenerator<DailyReportRow> {
      for (const r of sqlite.prepare(dailyReportSql(sqliteDialect, scope)).iterate(scopeParams(scope)) as IterableIterator<DailyReportSqlRow>) {
        yield toDailyReportRow(r);
      }
    },

    async *transactionLines(scope: ReportScope): AsyncGenerator<TransactionLines> {
      // Every statement runs to completion before a batch is handed out: none is left open while the client downloads.
      const sites = sqlite.prepare(exportSitesSql(sqliteDialect, scope)).raw(true).all(scopeParams(scope)) as ExportSite[];
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
