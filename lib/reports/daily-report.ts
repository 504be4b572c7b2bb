/**
 * The consolidated daily report: one CSV row per (local day, database, site) that has stored
 * transactions, read from `daily_rollups` (the same figures the dashboard shows), its measure
 * columns derived from `lib/measures.ts`.
 *
 * A day with only voided or other-status transactions still gets a row (its `transactions` is 0):
 * FACTS §0 says other statuses are counted separately, never silently dropped. `complete` says
 * whether a sync fetched the day after it had ended at that site (issue #10): `false` rows (today,
 * a day still filling in) may still grow, exactly as the dashboard marks them.
 */
import type Database from 'better-sqlite3';
import { TRANSACTION_MEASURES, type MeasureKey } from '@/lib/measures';
import { averageCents, booleanCell, csvLine, DEFAULT_CHUNK_BYTES, moneyCell, numberCell, textCell } from './csv';
import { scopeParams, scopeWhere, type ReportScope } from './scope';

/** The figure columns, in the report's order: the measures, with the average ticket after revenue. */
const FIGURES: { csv: string; cell: (row: Record<MeasureKey, number>) => string }[] = TRANSACTION_MEASURES.flatMap((m) => {
  const own = { csv: m.csv, cell: (r: Record<MeasureKey, number>) => (m.format === 'money' ? moneyCell(r[m.key]) : numberCell(r[m.key])) };
  return m.key === 'revenueCents'
    ? [own, { csv: 'average_ticket', cell: (r: Record<MeasureKey, number>) => moneyCell(averageCents(r.revenueCents, r.salesCount)) }]
    : [own];
});

export const DAILY_REPORT_COLUMNS = ['date', 'database', 'site_code', 'site_name', ...FIGURES.map((f) => f.csv), 'complete'] as const;

const dailySql = (scope: ReportScope) => `
SELECT r.local_day AS localDay, coalesce(d.name, r.database_key) AS databaseName, r.site_code AS siteCode,
  coalesce(s.name, r.site_code) AS siteName,
  ${TRANSACTION_MEASURES.map((m) => `r.${m.column} AS ${m.key}`).join(', ')},
  coalesce(c.synced_at >= c.day_end_at, 0) AS complete
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
LEFT JOIN site_coverage c ON c.database_key = r.database_key AND c.site_code = r.site_code AND c.local_day = r.local_day
WHERE ${scopeWhere('r', scope)} AND r.transactions + r.voided + r.other_status > 0
ORDER BY r.local_day, 2, r.database_key, r.site_code`;

type DailyRow = Record<MeasureKey, number> & { localDay: string; databaseName: string; siteCode: string; siteName: string; complete: 0 | 1 };

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
  const rowsIter = sqlite.prepare(dailySql(scope)).iterate(scopeParams(scope)) as IterableIterator<DailyRow>;
  for (const r of rowsIter) {
    chunk += csvLine([
      r.localDay,
      textCell(r.databaseName),
      textCell(r.siteCode),
      textCell(r.siteName),
      ...FIGURES.map((f) => f.cell(r)),
      booleanCell(r.complete),
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
