import 'server-only';
import Database from 'better-sqlite3';
import { getDb } from '@/db';
import { snapshotReportReader } from '@/db/postgres/report-reader';
import { createReportReader } from '@/db/sqlite/report-reader';
import type { ReportReader } from '@/lib/reports/readers';

/** A report reader on a connection of its own; `close()` when the download ends. */
export type ExportReader = ReportReader & { close(): void };

/**
 * A connection of its own for one CSV download, reading one consistent snapshot, so a sync landing
 * mid-download cannot tear the file. The caller closes it when the stream ends or is cancelled.
 *
 * SQLite: a read-only connection. A streaming export holds a statement open for as long as the
 * client takes to download; on the shared connection that would block every write of the
 * in-process sync (better-sqlite3 refuses writes while a statement iterates); its own connection
 * reads one WAL snapshot. Postgres: a pool connection in a read-only REPEATABLE READ transaction
 * (db/postgres/report-reader.ts).
 */
export function openExportReader(): ExportReader {
  const db = getDb();
  if (db.kind === 'postgres') {
    const reader = snapshotReportReader(db.pool, db.ready);
    return { ...reader, close: () => void reader.close() };
  }
  // The shared connection has created and migrated the file; open the same path read-only.
  const sqlite = new Database(db.path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  // An export reads each page once, in index order: a page cache buys nothing, and SQLite's default
  // for this build (16 MB) would add that much to the server for the length of every download.
  sqlite.pragma('cache_size = -1024');
  return { ...createReportReader(sqlite), close: () => sqlite.close() };
}
