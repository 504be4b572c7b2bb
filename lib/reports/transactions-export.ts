/**
 * The raw transactions export: one CSV row per stored transaction (every status) in the scope.
 *
 * Rows come site by site (database, then site code), each site in time order. Walking one site at
 * a time follows the `(database_key, site_code, local_day, occurred_unix)` index in its own order,
 * so SQLite sorts nothing and the export starts streaming at once even for millions of rows.
 */
import type Database from 'better-sqlite3';
import { centsToDecimal, CSV_EOL, csvLine, DEFAULT_CHUNK_BYTES, textCell } from './csv';
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
const sitesSql = (scope: ReportScope) => `
SELECT DISTINCT r.database_key, r.site_code, coalesce(d.name, r.database_key) AS database_name,
  coalesce(s.name, r.site_code), coalesce(s.effective_timezone, d.default_timezone, 'UTC')
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
WHERE ${scopeWhere('r', scope)}
ORDER BY database_name, r.database_key, r.site_code`;

// Shaped for speed (the export is ~1 µs per row, and a JS string per cell is a large part of it):
// the day comes as a Unix time (a number, mapped to its text once per day), and the usual
// "Completed" status as NULL, so most rows carry three strings instead of five.
const ROWS_SQL = `
SELECT unixepoch(local_day), occurred_unix, trans_id, trans_number,
  CASE status WHEN 'Completed' THEN NULL ELSE status END,
  total_cents, is_plan_sale, is_plan_redemption, customer_id
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
ORDER BY local_day, occurred_unix`;

type SiteRow = [databaseKey: string, siteCode: string, databaseName: string, siteName: string, timeZone: string];
type TxRow = [
  localDayUnix: number,
  occurredUnix: number,
  transId: string,
  transNumber: number | null,
  /** null for Completed */
  status: string | null,
  totalCents: number,
  isPlanSale: number,
  isPlanRedemption: number,
  customerId: string | null,
];

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Local wall-clock time (HH:MM:SS) of Unix seconds in a zone. Asking Intl for each of a million
 * rows would dominate the export, so offsets are cached per UTC day: when a day starts and ends
 * with the same offset it has no transition (zones change at most once a day) and one offset serves
 * all of it; a transition day falls back to quarter hours (offsets change on quarter-hour marks).
 */
function localTimeFormatter(timeZone: string): (unix: number) => string {
  const dayOffsets = new Map<number, number | null>();
  const quarterOffsets = new Map<number, number>();
  const offsetAt = (unix: number) => zoneOffsetMs(timeZone, unix * 1000) / 1000;
  return (unix) => {
    const day = Math.floor(unix / 86_400);
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * 86_400);
      offset = start === offsetAt(day * 86_400 + 86_399) ? start : null;
      dayOffsets.set(day, offset);
    }
    if (offset === null) {
      const quarter = Math.floor(unix / 900);
      offset = quarterOffsets.get(quarter);
      if (offset === undefined) {
        offset = offsetAt(quarter * 900);
        quarterOffsets.set(quarter, offset);
      }
    }
    return clockText((((unix + offset) % 86_400) + 86_400) % 86_400);
  };
}

// `HH:MM:SS` for each second of a day, built on first use: a lookup beats three pads and a join.
const clockTexts = new Array<string | undefined>(86_400);
function clockText(secondOfDay: number): string {
  let text = clockTexts[secondOfDay];
  if (text === undefined) {
    const h = Math.floor(secondOfDay / 3600);
    const m = Math.floor((secondOfDay % 3600) / 60);
    text = `${pad2(h)}:${pad2(m)}:${pad2(secondOfDay % 60)}`;
    clockTexts[secondOfDay] = text;
  }
  return text;
}

/** Memoises a string function of a few distinct values (days, statuses). */
function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = fn(key);
      cache.set(key, value);
    }
    return value;
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
  const sites = sqlite.prepare(sitesSql(scope)).raw(true).all(scopeParams(scope)) as SiteRow[];
  const rowsStmt = sqlite.prepare(ROWS_SQL).raw(true);
  const dayText = memo((unix: number) => new Date(unix * 1000).toISOString().slice(0, 10));
  const statusCell = memo((status: string | null) => (status === null ? 'Completed' : textCell(status)));
  for (const [databaseKey, siteCode, databaseName, siteName, timeZone] of sites) {
    const localTime = localTimeFormatter(timeZone);
    // Text cells shared by every row of the site are encoded once.
    const siteCells = `${textCell(databaseName)},${textCell(siteCode)},${textCell(siteName)}`;
    const iter = rowsStmt.iterate(databaseKey, siteCode, scope.from, scope.to) as IterableIterator<TxRow>;
    for (const r of iter) {
      // One template per row rather than csvLine([...]): no array and join a million times.
      chunk += `${dayText(r[0])},${localTime(r[1])},${siteCells},${textCell(r[2])},${r[3] ?? ''},${statusCell(r[4])},${centsToDecimal(r[5])},${r[6] ? 'true' : 'false'},${r[7] ? 'true' : 'false'},${textCell(r[8])}${CSV_EOL}`;
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
