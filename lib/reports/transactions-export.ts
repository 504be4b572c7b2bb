/**
 * The raw transactions export: one CSV row per stored transaction (every status) in the scope.
 *
 * Rows come site by site (database, then site code), each site in time order. Walking one site at
 * a time follows the `(database_key, site_code, local_day)` index, so SQLite never sorts more than a
 * day of one site, and the export starts streaming at once even for millions of rows.
 */
import type Database from 'better-sqlite3';
import { booleanCell, csvLine, DEFAULT_CHUNK_BYTES, moneyCell, numberCell, textCell } from './csv';
import type { ReportOptions, ReportSummary } from './daily-report';
import { zoneOffsetMs } from './days';
import { scopeParams, scopeWhere, type ReportScope } from './scope';

export const TRANSACTION_EXPORT_COLUMNS = [
  'date',
  'local_time',
  'database',
  'site_code',
  'site_name',
  'trans_id',
  'trans_number',
  'status',
  'total',
  'is_membership_sale',
  'is_redemption',
  'customer_id',
] as const;

// The sites with rows in scope, from the rollups (a few thousand rows, not millions).
const SITES_SQL = `
SELECT DISTINCT r.database_key, r.site_code, coalesce(d.name, r.database_key) AS database_name,
  coalesce(s.name, r.site_code), coalesce(s.effective_timezone, d.default_timezone, 'UTC')
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
WHERE ${scopeWhere('r')}
ORDER BY database_name, r.database_key, r.site_code`;

const ROWS_SQL = `
SELECT local_day, occurred_unix, trans_id, trans_number, status, total_cents, is_plan_sale, is_plan_redemption, customer_id
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
ORDER BY local_day, occurred_unix, trans_id`;

type SiteRow = [databaseKey: string, siteCode: string, databaseName: string, siteName: string, timeZone: string];
type TxRow = [
  localDay: string,
  occurredUnix: number,
  transId: string,
  transNumber: number | null,
  status: string,
  totalCents: number,
  isPlanSale: number,
  isPlanRedemption: number,
  customerId: string | null,
];

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Local wall-clock time (HH:MM:SS) of Unix seconds in a zone. The offset is looked up once per
 * quarter hour (zones change offset on quarter-hour boundaries), since asking Intl for every one of
 * a million rows would dominate the export's time.
 */
function localTimeFormatter(timeZone: string): (unix: number) => string {
  const offsets = new Map<number, number>();
  return (unix) => {
    const bucket = Math.floor(unix / 900);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = zoneOffsetMs(timeZone, unix * 1000) / 1000;
      offsets.set(bucket, offset);
    }
    const secondOfDay = (((unix + offset) % 86_400) + 86_400) % 86_400;
    const h = Math.floor(secondOfDay / 3600);
    const m = Math.floor((secondOfDay % 3600) / 60);
    return `${pad2(h)}:${pad2(m)}:${pad2(secondOfDay % 60)}`;
  };
}

/** CSV text of every transaction in scope, header first, in chunks of whole lines (see dailyReportCsv). */
export function* transactionsExportCsv(
  sqlite: Database.Database,
  scope: ReportScope,
  options: ReportOptions = {},
): Generator<string, ReportSummary, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let chunk = csvLine(TRANSACTION_EXPORT_COLUMNS);
  let rows = 0;
  // Read the (short) site list in full first: the row statement below is then the only one open.
  const sites = sqlite.prepare(SITES_SQL).raw(true).all(scopeParams(scope)) as SiteRow[];
  const rowsStmt = sqlite.prepare(ROWS_SQL).raw(true);
  for (const [databaseKey, siteCode, databaseName, siteName, timeZone] of sites) {
    const localTime = localTimeFormatter(timeZone);
    // Text cells shared by every row of the site are encoded once.
    const siteCells = `${textCell(databaseName)},${textCell(siteCode)},${textCell(siteName)}`;
    const iter = rowsStmt.iterate(databaseKey, siteCode, scope.from, scope.to) as IterableIterator<TxRow>;
    for (const r of iter) {
      chunk += csvLine([
        r[0],
        localTime(r[1]),
        siteCells,
        textCell(r[2]),
        numberCell(r[3]),
        textCell(r[4]),
        moneyCell(r[5]),
        booleanCell(r[6]),
        booleanCell(r[7]),
        textCell(r[8]),
      ]);
      rows++;
      if (chunk.length >= chunkBytes) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
  return { rows };
}
