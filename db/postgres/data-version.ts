/**
 * Postgres's content version of what the pages read (SQLite's is PRAGMA data_version +
 * total_changes(), db/queries/statements.ts). Every statement that changes one of those tables, on
 * any instance, takes the next value of the `washboard_data_version` sequence (migration
 * 0001_data_version); its `last_value` is the version.
 *
 * Postgres-only because of a subtlety SQLite does not have: the trigger's nextval happens when the
 * statement runs, before its transaction commits, and a sequence is not transactional. A reader
 * could see the new version, then read the old rows, and keep them under the new version for good.
 * So the version is read first, then (in a second statement, after it) whether any transaction of
 * this database that has written anything is still in flight. When none is, every write that moved
 * the version up to what was read has committed, and a result read from then on may be kept under
 * it; when one is, the result is used once and not kept (`settled: false`). A writer that moves the
 * sequence later moves the version past the one read, so nothing kept under it is served again.
 */
import type { PostgresAppDatabase } from '@/db';

// A transaction gets an id (backend_xid) at its first write and loses it when it commits or
// aborts, at the moment its writes become visible to new statements. Only this database's: the
// server may hold others (a snapshot's in-progress list would be the whole cluster's). Sessions of
// another role show no backend_xid without pg_read_all_stats; Washboard's instances share one role.
const VERSION_SQL = `SELECT last_value AS version FROM washboard_data_version;
SELECT count(*) AS writers FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL`;

export async function postgresDataVersion(db: PostgresAppDatabase): Promise<{ version: string; settled: boolean }> {
  await db.ready;
  // Two statements in one round trip (the simple protocol: no parameters), each with its own
  // snapshot, in this order.
  const results = (await db.pool.query(VERSION_SQL)) as unknown as { rows: Record<string, number>[] }[];
  return { version: String(results[0]!.rows[0]!.version), settled: Number(results[1]!.rows[0]!.writers) === 0 };
}
