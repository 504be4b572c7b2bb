/**
 * How the sync writes what it fetched, declared here by the sync and implemented by `db/` (SQLite:
 * db/sqlite/sync-ingestor.ts). One method, one unit of work: a page's rows (or flags, or clock
 * entries) with the rollups they move, its chunk's cursor and, on the chunk's last page, what
 * finishing it records, all or nothing. Async, so a server database can satisfy it; SQLite's stays
 * synchronous inside (the hot path).
 */
import type { ChunkCompletion, FlagChange, PageCommit, StoredClockEntry, StoredTransaction } from '@/db/sync-rows';

export type { ChunkCompletion, FlagChange, PageCommit, StoredClockEntry, StoredTransaction };

export interface Ingestor {
  ingestPage(page: PageCommit): Promise<void>;
}
