import 'server-only';
import Database from 'better-sqlite3';
import { getSqliteDb as getDb } from '@/db';
import { createReportReader } from '@/db/sqlite/report-reader';
import type { ReportReader } from '@/lib/reports/readers';

/** A report reader on a connection of its own; `close()` when the download ends. */
export type ExportReader = ReportReader & { close(): void };

/**
 * A read-only connection of its own for one CSV download. A streaming export holds a statement
 * open for as long as the client takes to download; on the shared connection that would block every
 * write of the in-process sync (better-sqlite3 refuses writes while a statement iterates). Its own
 * connection also reads one consistent WAL snapshot, so a sync landing mid-download cannot tear
 * the file. The caller closes it when the stream ends or is cancelled.
 */
export function openExportReader(): ExportReader {
  // The shared connection has created and migrated the file; open the same path read-only.
  const { path } = getDb();
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  // An export reads each page once, in index order: a page cache buys nothing, and SQLite's default
  // for this build (16 MB) would add that much to the server for the length of every download.
  sqlite.pragma('cache_size = -1024');
  return { ...createReportReader(sqlite), close: () => sqlite.close() };
}
