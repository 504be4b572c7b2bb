/**
 * lib/sync's `Ingestor` over SQLite: one page of the sync's work (rows, flags or clock entries,
 * the chunk's cursor past it, and what finishing the chunk records) in ONE SQLite transaction, so
 * a crash, even kill -9, keeps all of it or none, and the next run resumes at the cursor
 * (issue #5). The rows go through the synchronous ingestor (ingest.ts), whose own transactions
 * become savepoints inside this one. Async on the outside, as a server database's would be.
 */
import type Database from 'better-sqlite3';
import { addDays, dayEndMs } from '@/lib/calendar';
import type { PageCommit } from '../sync-rows';
import { createIngestor, type SqliteIngestor } from './ingest';

export const FINISH_CHUNK_SQL = "UPDATE sync_chunks SET status = 'done', completed_at = ? WHERE id = ?";

/**
 * A site-day's labor fetch time: the oldest fetch among its API day and the two around it (the
 * clock-entries endpoint does not say in which zone it filters days), null while one is missing.
 */
const LABOR_SYNCED_AT_SQL = (table: string) => `(
  SELECT CASE WHEN count(*) = 3 THEN min(l.synced_at) END FROM labor_coverage l
  WHERE l.database_key = ${table}.database_key AND l.local_day BETWEEN date(${table}.local_day, '-1 day') AND date(${table}.local_day, '+1 day'))`;

const ADVANCE_SQL = 'UPDATE sync_chunks SET next_page = ?, rows = rows + ?, first_fetched_at = coalesce(first_fetched_at, ?) WHERE id = ?';

const COVER_DAY_SQL = `
INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET synced_at = excluded.synced_at, day_end_at = excluded.day_end_at`;

// Labor may have been fetched before the day's sales: carry it onto the new row.
const CARRY_LABOR_SQL = `
UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT_SQL('site_coverage')}
WHERE database_key = ? AND site_code = ? AND local_day = ? AND labor_synced_at IS NULL`;

const COVER_LABOR_DAY_SQL = `
INSERT INTO labor_coverage (database_key, local_day, synced_at) VALUES (?, ?, ?)
ON CONFLICT (database_key, local_day) DO UPDATE SET synced_at = excluded.synced_at`;

const LABOR_SYNCED_SQL = `
UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT_SQL('site_coverage')} WHERE database_key = ? AND local_day BETWEEN ? AND ?`;

/** The SQLite ingestor: its synchronous writes (tests, fixtures, benches) and the sync's `ingestPage`. */
export type SyncIngestor = SqliteIngestor & {
  /** Writes one unit of the sync's work in one transaction (see {@link PageCommit}). */
  ingestPage(page: PageCommit): Promise<void>;
};

export function createSyncIngestor(sqlite: Database.Database): SyncIngestor {
  const rows = createIngestor(sqlite);
  const advance = sqlite.prepare(ADVANCE_SQL);
  const finish = sqlite.prepare(FINISH_CHUNK_SQL);
  const coverDay = sqlite.prepare(COVER_DAY_SQL);
  const carryLabor = sqlite.prepare(CARRY_LABOR_SQL);
  const coverLaborDay = sqlite.prepare(COVER_LABOR_DAY_SQL);
  const laborSynced = sqlite.prepare(LABOR_SYNCED_SQL);

  const write = sqlite.transaction((page: PageCommit) => {
    const { databaseKey, at, complete, cursor } = page;
    if (page.transactions?.length) rows.upsert(databaseKey, page.transactions, at);
    if (page.flags?.length) rows.setFlags(databaseKey, page.flags, at);
    if (page.clockEntries) {
      const { employeeId, entries, window } = page.clockEntries;
      rows.upsertClockEntries(databaseKey, employeeId, entries, window, at);
    }
    if (cursor) advance.run(cursor.next, cursor.rows, cursor.fetchedAt, cursor.chunkId);
    if (!complete) return;
    switch (complete.kind) {
      case 'transactions':
        // Each day's end in the site's zone, so "complete" can be read in SQL (`synced_at >= day_end_at`).
        for (const day of complete.days) {
          coverDay.run(databaseKey, complete.siteCode, day, complete.syncedAt, dayEndMs(day, complete.timeZone));
          carryLabor.run(databaseKey, complete.siteCode, day);
        }
        break;
      case 'washes':
        rows.markUnlistedAsNotWashes(databaseKey, complete.siteCode, complete.fromDay, complete.toDay, complete.listedAt, at);
        break;
      case 'labor':
        for (let day = complete.fromDay; day <= complete.toDay; day = addDays(day, 1)) coverLaborDay.run(databaseKey, day, complete.syncedAt);
        laborSynced.run(databaseKey, addDays(complete.fromDay, -1), addDays(complete.toDay, 1));
        break;
    }
    finish.run(at, complete.chunkId);
  });

  return {
    ...rows,
    ingestPage: async (page) => {
      write(page);
    },
  };
}
