/**
 * The consolidated daily report: one CSV row per (local day, database, site) that has stored
 * transactions, read from `daily_rollups` (the same figures the dashboard shows).
 *
 * A day with only voided or other-status transactions still gets a row (its `transactions` is 0):
 * FACTS §0 says other statuses are counted separately, never silently dropped.
 */
import type Database from 'better-sqlite3';
import { averageCents, csvLine, DEFAULT_CHUNK_BYTES, moneyCell, numberCell, textCell } from './csv';
import { scopeParams, scopeWhere, type ReportScope } from './scope';

export const DAILY_REPORT_COLUMNS = [
  'date',
  'database',
  'site_code',
  'site_name',
  'transactions',
  'revenue',
  'average_ticket',
  'sales_count',
  'membership_sales',
  'membership_sales_revenue',
  'redemptions',
  'redemption_value',
  'refunds',
  'refunds_amount',
  'voided',
  'other_status',
] as const;

const dailySql = (scope: ReportScope) => `
SELECT r.local_day, coalesce(d.name, r.database_key), r.site_code, coalesce(s.name, r.site_code),
  r.transactions, r.revenue_cents, r.sales_count, r.membership_sales, r.membership_sales_cents,
  r.redemptions, r.redemption_value_cents, r.refunds, r.refunds_cents, r.voided, r.other_status
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
WHERE ${scopeWhere('r', scope)} AND r.transactions + r.voided + r.other_status > 0
ORDER BY r.local_day, 2, r.database_key, r.site_code`;

type DailyRow = [
  localDay: string,
  databaseName: string,
  siteCode: string,
  siteName: string,
  transactions: number,
  revenueCents: number,
  salesCount: number,
  membershipSales: number,
  membershipSalesCents: number,
  redemptions: number,
  redemptionValueCents: number,
  refunds: number,
  refundsCents: number,
  voided: number,
  otherStatus: number,
];

export interface ReportOptions {
  /** Yield a chunk once it reaches this many characters. @default 65536 */
  chunkBytes?: number;
}

/** Summary a report generator returns when it is done. */
export interface ReportSummary {
  rows: number;
}

/**
 * CSV text of the daily report, header first, in chunks of whole lines. Rows are read with
 * `.iterate()`, so memory stays flat however long the range. While it runs, the connection cannot
 * write (better-sqlite3 holds the statement open): give it a connection of its own if a slow reader
 * may be on the other end.
 */
export function* dailyReportCsv(
  sqlite: Database.Database,
  scope: ReportScope,
  options: ReportOptions = {},
): Generator<string, ReportSummary, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let chunk = csvLine(DAILY_REPORT_COLUMNS);
  let rows = 0;
  const rowsIter = sqlite.prepare(dailySql(scope)).raw(true).iterate(scopeParams(scope)) as IterableIterator<DailyRow>;
  for (const r of rowsIter) {
    chunk += csvLine([
      r[0],
      textCell(r[1]),
      textCell(r[2]),
      textCell(r[3]),
      numberCell(r[4]),
      moneyCell(r[5]),
      moneyCell(averageCents(r[5], r[6])),
      numberCell(r[6]),
      numberCell(r[7]),
      moneyCell(r[8]),
      numberCell(r[9]),
      moneyCell(r[10]),
      numberCell(r[11]),
      moneyCell(r[12]),
      numberCell(r[13]),
      numberCell(r[14]),
    ]);
    rows++;
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
  return { rows };
}
