/**
 * The raw transactions export: one CSV row per stored transaction (every status) in the scope,
 * with its wash flag and, for plan sales, whether it was a new membership (issue 11; empty while
 * the wash list or the check has not been read for it).
 *
 * Rows come site by site (database, then site code), each site day by day in time order, in
 * batches of finished lines from the reader (the SQLite reader has the database write them: see
 * db/sqlite/report-reader.ts), so the export starts streaming at once and its memory stays
 * flat whatever the range.
 */
import { csvLine, DEFAULT_CHUNK_BYTES } from './csv';
import type { ReportOptions, ReportSummary } from './daily-report';
import type { TransactionsExportReader } from './readers';
import type { ReportScope } from './scope';

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
  // Issue 11: from the wash list and the plan-sale check; empty until those are read.
  'is_wash',
  'is_new_membership',
] as const;

/** CSV text of every transaction in scope, header first, in chunks of whole lines (see dailyReportCsv). */
export async function* transactionsExportCsv(
  reader: TransactionsExportReader,
  scope: ReportScope,
  options: ReportOptions = {},
): AsyncGenerator<string, ReportSummary, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let chunk = csvLine(TRANSACTION_EXPORT_COLUMNS);
  let rows = 0;
  for await (const batch of reader.transactionLines(scope)) {
    chunk += batch.csv;
    rows += batch.rows;
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
  return { rows };
}
