/**
 * The CSV reports' reader over Postgres (lib/reports/readers.ts). Its own file because streaming
 * differs from SQLite's: the daily report reads through a cursor (pg-cursor) a few hundred rows at
 * a time instead of iterating a statement, and the transactions export's lines are written here in
 * JS with the cells of lib/reports/csv.ts (SQLite writes them in SQL, db/sqlite/csv-cells.ts, for
 * speed; the same cells, so both dialects write the same bytes, as tests/integration/reports prove).
 * What both read is in db/sql/report-rows.ts.
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { toNumbered } from '@/db/sql/client';
import { dailyReportSql, dayOffsets, exportSitesSql, toDailyReportRow, type DailyReportSqlRow, type ExportSite } from '@/db/sql/report-rows';
import { scopeParams } from '@/db/sql/scope';
import { booleanCell, centsToDecimal, CSV_EOL, optionalBooleanCell, textCell } from '@/lib/reports/csv';
import type { DailyReportRow, ReportReader, TransactionLines } from '@/lib/reports/readers';
import type { ReportScope } from '@/lib/reports/scope';
import { postgresDialect } from './dialect';

/** A connection to read on, and what to do with it after (release it to the pool, or nothing). */
export interface ReaderConnection {
  client: pg.PoolClient;
  done(): void;
}

/** Daily rows fetched per round trip of the cursor. */
const CURSOR_ROWS = 500;
/** About this many transactions per query of the export: whole days, gathered until they reach it. */
const BATCH_ROWS = 5_000;

// The days a site has rows on, with how many (every stored transaction counts in its day's rollup).
const SITE_DAYS_SQL = `
SELECT local_day, transactions + voided + other_status AS n FROM daily_rollups
WHERE database_key = $1 AND site_code = $2 AND local_day BETWEEN $3 AND $4
ORDER BY local_day`;

// Some whole days of a site, in the export's order (trans_id byte by byte, as SQLite orders text).
const LINES_SQL = `
SELECT local_day, occurred_unix, trans_id, trans_number, status, total_cents, is_plan_sale, is_plan_redemption,
  customer_id, is_wash, is_new_membership
FROM transactions
WHERE database_key = $1 AND site_code = $2 AND local_day = ANY($3::text[])
ORDER BY local_day, occurred_unix, trans_id COLLATE "C"`;

type LineRow = [
  day: string,
  unix: number,
  transId: string,
  transNumber: number | null,
  status: string,
  totalCents: number,
  isPlanSale: boolean,
  isPlanRedemption: boolean,
  customerId: string | null,
  isWash: boolean | null,
  isNewMembership: boolean | null,
];

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `HH:MM:SS` of unix seconds shifted by an offset, as SQLite's time(…, 'unixepoch') writes it. */
function clock(localSeconds: number): string {
  const s = ((localSeconds % 86_400) + 86_400) % 86_400;
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

export function createPostgresReportReader(connect: () => Promise<ReaderConnection>): ReportReader {
  return {
    async *dailyReportRows(scope: ReportScope): AsyncGenerator<DailyReportRow> {
      const { client, done } = await connect();
      const q = toNumbered(dailyReportSql(postgresDialect, scope), scopeParams(scope));
      const cursor = client.query(new Cursor<DailyReportSqlRow>(q.text, q.values));
      try {
        for (;;) {
          const rows = await cursor.read(CURSOR_ROWS);
          for (const row of rows) yield toDailyReportRow(row);
          if (rows.length < CURSOR_ROWS) break;
        }
      } finally {
        await cursor.close();
        done();
      }
    },

    async *transactionLines(scope: ReportScope): AsyncGenerator<TransactionLines> {
      // Every query runs to completion before a batch is handed out: none is left open while the client downloads.
      const read = async <R>(text: string, values: unknown[]): Promise<R[]> => {
        const { client, done } = await connect();
        try {
          return (await client.query<R & unknown[]>({ text, values, rowMode: 'array' })).rows;
        } finally {
          done();
        }
      };
      const sitesQuery = toNumbered(exportSitesSql(postgresDialect, scope), scopeParams(scope));
      const sites = await read<ExportSite>(sitesQuery.text, sitesQuery.values);
      for (const [databaseKey, siteCode, databaseName, siteName, timeZone] of sites) {
        // Text cells shared by every row of the site are encoded once.
        const siteCells = `${textCell(databaseName)},${textCell(siteCode)},${textCell(siteName)}`;
        const days = await read<[string, number]>(SITE_DAYS_SQL, [databaseKey, siteCode, scope.from, scope.to]);
        for (let i = 0; i < days.length; ) {
          const batch: string[] = [];
          for (let n = 0; i < days.length && (n < BATCH_ROWS || !batch.length); i++) {
            batch.push(days[i]![0]);
            n += days[i]![1];
          }
          const rows = await read<LineRow>(LINES_SQL, [databaseKey, siteCode, batch]);
          if (!rows.length) continue;
          let csv = '';
          let offsetsOf = '';
          let offsets = dayOffsets(rows[0]![0], timeZone);
          for (const [day, unix, transId, transNumber, status, totalCents, isPlanSale, isPlanRedemption, customerId, isWash, isNewMembership] of rows) {
            if (day !== offsetsOf) {
              offsets = dayOffsets(day, timeZone);
              offsetsOf = day;
            }
            const local = clock(unix + (unix < offsets.change ? offsets.offsetBefore : offsets.offsetAfter));
            csv +=
              `${day},${local},${siteCells},${textCell(transId)},${transNumber ?? ''},${textCell(status)},${centsToDecimal(totalCents)},` +
              `${booleanCell(isPlanSale)},${booleanCell(isPlanRedemption)},${textCell(customerId)},${optionalBooleanCell(isWash)},` +
              `${optionalBooleanCell(isNewMembership)}${CSV_EOL}`;
          }
          yield { rows: rows.length, csv };
        }
      }
    },
  };
}

/** A reader on the pool: each query takes a connection and gives it back. */
export function poolReportReader(pool: pg.Pool, ready: Promise<void>): ReportReader {
  return createPostgresReportReader(async () => {
    await ready;
    const client = await pool.connect();
    return { client, done: () => client.release() };
  });
}

/**
 * A reader on one connection of its own, in a read-only REPEATABLE READ transaction: one
 * consistent snapshot for a whole download, so a sync committing mid-download cannot tear the file
 * (as SQLite's read-only connection reads one WAL snapshot). `close()` ends it and gives the
 * connection back; it must be called when the download ends or is cancelled.
 */
export function snapshotReportReader(pool: pg.Pool, ready: Promise<void>): ReportReader & { close(): Promise<void> } {
  const connection = ready
    .then(() => pool.connect())
    .then(async (client) => {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      return client;
    });
  // A failed connection surfaces at the first read; never as an unhandled rejection.
  connection.catch(() => undefined);
  let closed = false;
  const reader = createPostgresReportReader(async () => {
    if (closed) throw new Error('This export reader is closed.');
    return { client: await connection, done: () => undefined };
  });
  return {
    ...reader,
    async close() {
      if (closed) return;
      closed = true;
      let client: pg.PoolClient;
      try {
        client = await connection;
      } catch {
        return;
      }
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
      }
    },
  };
}
