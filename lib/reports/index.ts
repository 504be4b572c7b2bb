/**
 * Washboard's reports, framework-free: the web routes and the `npm run report` CLI both use this.
 * They read storage through the readers they declare (`readers.ts`), which `db/` implements.
 *
 * CLI use:
 *   const range = parseRange({ from, to }, { today });           // or presets
 *   await writeDailyReport(reader, { from, to, databaseKeys }, process.stdout);
 */
import type { Writable } from 'node:stream';
import { dailyReportCsv, type ReportSummary } from './daily-report';
import type { DailyReportReader, TransactionsExportReader } from './readers';
import type { ReportScope } from './scope';
import { writeChunks } from './stream';
import { transactionsExportCsv } from './transactions-export';

export * from './csv';
export * from './daily-report';
export * from './filters';
export * from './range';
export * from './readers';
export * from './scope';
export * from './stream';
export * from './transactions-export';

/** Writes the consolidated daily report CSV to a Node stream (file, stdout), with backpressure. */
export function writeDailyReport(reader: DailyReportReader, scope: ReportScope, out: Writable | NodeJS.WritableStream): Promise<ReportSummary> {
  return writeChunks(dailyReportCsv(reader, scope), out);
}

/** Writes the transaction-level CSV to a Node stream, with backpressure. */
export function writeTransactionsExport(
  reader: TransactionsExportReader,
  scope: ReportScope,
  out: Writable | NodeJS.WritableStream,
): Promise<ReportSummary> {
  return writeChunks(transactionsExportCsv(reader, scope), out);
}

/** `washboard-daily-2026-10-24_2026-11-22.csv` */
export function reportFileName(kind: 'daily' | 'transactions', scope: Pick<ReportScope, 'from' | 'to'>): string {
  return `washboard-${kind}-${scope.from}_${scope.to}.csv`;
}
export * from './kpis';
