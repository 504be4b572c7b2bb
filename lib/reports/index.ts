/**
 * Washboard's reports, framework-free: the web routes and the `npm run report` CLI both use this.
 *
 * CLI use:
 *   const range = parseRange({ from, to }, { today });           // or presets
 *   await writeDailyReport(sqlite, { from, to, databaseKeys }, process.stdout);
 */
import type Database from 'better-sqlite3';
import type { Writable } from 'node:stream';
import { dailyReportCsv, type ReportSummary } from './daily-report';
import type { ReportScope } from './scope';
import { writeChunks } from './stream';
import { transactionsExportCsv } from './transactions-export';

export * from './csv';
export * from './daily-report';
export * from './filters';
export * from './range';
export * from './scope';
export * from './stream';
export * from './transactions-export';

/** Writes the consolidated daily report CSV to a Node stream (file, stdout), with backpressure. */
export function writeDailyReport(
  sqlite: Database.Database,
  scope: ReportScope,
  out: Writable | NodeJS.WritableStream,
): Promise<ReportSummary> {
  return writeChunks(dailyReportCsv(sqlite, scope), out);
}

/** Writes the transaction-level CSV to a Node stream, with backpressure. */
export function writeTransactionsExport(
  sqlite: Database.Database,
  scope: ReportScope,
  out: Writable | NodeJS.WritableStream,
): Promise<ReportSummary> {
  return writeChunks(transactionsExportCsv(sqlite, scope), out);
}

/** `washboard-daily-2026-10-24_2026-11-22.csv` */
export function reportFileName(kind: 'daily' | 'transactions', scope: Pick<ReportScope, 'from' | 'to'>): string {
  return `washboard-${kind}-${scope.from}_${scope.to}.csv`;
}
export * from './kpis';
