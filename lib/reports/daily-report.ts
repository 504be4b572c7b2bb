/**
 * The consolidated daily report: one CSV row per (local day, database, site) that has stored
 * transactions or clock entries, read from `daily_rollups` (the same figures the dashboard shows),
 * its columns the figures of `lib/measures.ts`.
 *
 * A day with only voided or other-status transactions still gets a row (its `transactions` is 0):
 * FACTS §0 says other statuses are counted separately, never silently dropped. `complete` says
 * whether a sync fetched the day after it had ended at that site (issue #10): `false` rows (today,
 * a day still filling in) may still grow, exactly as the dashboard marks them. The car-wash
 * columns of FACTS §0.1 follow (issue #11), with `kpi_complete` saying whether the wash list,
 * the membership verification and the clock entries of that day are all in.
 */
import { figure, type FigureKey, type RollupTotals } from '@/lib/measures';
import { booleanCell, centsToDecimal, csvLine, DEFAULT_CHUNK_BYTES, moneyCell, numberCell, textCell } from './csv';
import type { DailyReportReader } from './readers';
import type { ReportScope } from './scope';

/** Today's sales columns, then (after `complete`) the car-wash ones, by figure. */
const SALES: FigureKey[] = [
  'transactions', 'revenueCents', 'averageTicket', 'salesCount', 'membershipSales', 'membershipSalesCents',
  'redemptions', 'redemptionValueCents', 'refunds', 'refundsCents', 'voided', 'otherStatus',
];
const CAR_WASH: FigureKey[] = ['carsWashed', 'memberWashes', 'retailWashes', 'freeWashes', 'eligibleWashes', 'newMemberships', 'laborHundredths', 'laborCostCents'];

const column = (key: FigureKey) => {
  const f = figure(key);
  if (!f.csv) throw new Error(`figure ${key} has no CSV column`);
  const cell = (t: RollupTotals) => {
    const v = f.value(t);
    return f.format === 'money' ? moneyCell(v) : f.format === 'hours' ? (v == null ? '' : centsToDecimal(v)) : numberCell(v);
  };
  return { csv: f.csv, cell };
};
const SALES_COLUMNS = SALES.map(column);
const CAR_WASH_COLUMNS = CAR_WASH.map(column);

export const DAILY_REPORT_COLUMNS = [
  'date',
  'database',
  'site_code',
  'site_name',
  ...SALES_COLUMNS.map((c) => c.csv),
  'complete',
  ...CAR_WASH_COLUMNS.map((c) => c.csv),
  'kpi_complete',
] as const;

export interface ReportOptions {
  /** Yield a chunk once it reaches this many characters. @default 65536 */
  chunkBytes?: number;
}

/** Summary a report generator returns when it is done. */
export interface ReportSummary {
  rows: number;
}

/**
 * CSV text of the daily report, header first, in chunks of whole lines, as the reader delivers the
 * rows (memory stays flat however long the range). A reader may hold its connection busy while
 * this runs: give a download a reader of its own (db/queries/exports) if a slow client may be on
 * the other end.
 */
export async function* dailyReportCsv(
  reader: DailyReportReader,
  scope: ReportScope,
  options: ReportOptions = {},
): AsyncGenerator<string, ReportSummary, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let chunk = csvLine(DAILY_REPORT_COLUMNS);
  let rows = 0;
  for await (const r of reader.dailyReportRows(scope)) {
    chunk += csvLine([
      r.localDay,
      textCell(r.databaseName),
      textCell(r.siteCode),
      textCell(r.siteName),
      ...SALES_COLUMNS.map((c) => c.cell(r)),
      booleanCell(r.complete),
      ...CAR_WASH_COLUMNS.map((c) => c.cell(r)),
      booleanCell(r.kpiComplete),
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
