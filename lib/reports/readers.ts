/**
 * What the CSV reports need from storage, declared here by the reports and implemented by `db/`
 * (one implementation per dialect): rows for the daily report, finished lines for the
 * transactions export. Both are async iterables, so a reader may stream from a server database;
 * the report code never sees a driver or SQL.
 */
import type { RollupTotals } from '@/lib/measures';
import type { ReportScope } from './scope';

/** One row of the daily report: a (local day, database, site) with stored transactions or clock entries. */
export type DailyReportRow = RollupTotals & {
  localDay: string;
  databaseName: string;
  siteCode: string;
  siteName: string;
  /** A sync fetched the day after it ended at that site (FACTS §0: its sales are whole). */
  complete: boolean;
  /** The wash list, the membership checks and the clock entries of the day are all in. */
  kpiComplete: boolean;
};

export interface DailyReportReader {
  /**
   * Rows in scope with any transaction (every status) or clock entry, by day, then database
   * name, database key and site code. Read as they are consumed: memory stays flat over any range.
   */
  dailyReportRows(scope: ReportScope): AsyncIterable<DailyReportRow>;
}

/** Some finished lines of the transactions export and how many rows they hold. */
export interface TransactionLines {
  rows: number;
  /**
   * Whole CSV lines (CRLF-terminated) with the cells of `TRANSACTION_EXPORT_COLUMNS`, each written
   * as `lib/reports/csv.ts` writes that kind of cell.
   */
  csv: string;
}

export interface TransactionsExportReader {
  /**
   * Every stored transaction in scope (every status): sites by database name, database key and
   * site code, each site's days in order, each day's rows in time order. Nothing stays open
   * between batches, so a slow download holds no statement.
   */
  transactionLines(scope: ReportScope): AsyncIterable<TransactionLines>;
}

export type ReportReader = DailyReportReader & TransactionsExportReader;
