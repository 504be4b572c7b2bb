/**
 * Moving a site's stored days to another time zone, in portable SQL (the same steps and rules as
 * SQLite's synchronous db/sqlite/rezone.ts, whose header explains them): local days and hours
 * recomputed from the stored instants, rollups rebuilt from the raw rows, coverage carried over
 * day by day, pending chunks dropped. Runs inside the caller's transaction.
 */
import { addDays, dayEndMs, dayStartMs, localParts } from '@/lib/calendar';
import type { SqlClient } from './sql/client';
import type { SqlDialect } from './sql/dialect';

const BATCH = 5_000;

/**
 * The key every write of a database's rows and rollups locks first (`dialect.transactionLock`):
 * the pages of one run commit concurrently (one employee's clock entries while another's arrive)
 * and touch the same days' rollups in different orders, which on Postgres deadlocks; one writer at
 * a time per database is what SQLite does anyway, and costs no throughput (the API is the limit).
 */
export const writeLockKey = (databaseKey: string) => `washboard.write:${databaseKey}`;

/** Rebuilds a site's rollups of `localDays` from the raw rows and clock entries, inside `tx`. */
export type RecomputeDays = (tx: SqlClient, databaseKey: string, siteCode: string, localDays: readonly string[], now: number) => Promise<void>;

export async function rezoneSiteIn(
  tx: SqlClient,
  dialect: SqlDialect,
  recompute: RecomputeDays,
  input: { databaseKey: string; siteCode: string; from: string; to: string; now: number },
): Promise<void> {
  const { databaseKey, siteCode, from, to, now } = input;
  if (from === to) return;
  await tx.get(dialect.transactionLock('?'), [writeLockKey(databaseKey)]);
  const days = new Set<string>();

  // 1. Raw rows, in keyset batches, each batch's moves written in one statement.
  const moveRows = `UPDATE transactions SET local_day = ${dialect.jsonText('j', 1)}, local_hour = ${dialect.jsonNumber('j', 2)}
    FROM ${dialect.jsonEach('?', 'j')} WHERE transactions.database_key = ? AND transactions.trans_id = ${dialect.jsonText('j', 0)}`;
  let after: [number, string] = [-1, ''];
  for (;;) {
    const rows = await tx.all<{ transId: string; occurredUnix: number }>(
      `SELECT trans_id AS "transId", occurred_unix AS "occurredUnix" FROM transactions
       WHERE database_key = ? AND site_code = ? AND (occurred_unix > ? OR (occurred_unix = ? AND trans_id > ?))
       ORDER BY occurred_unix, trans_id LIMIT ${BATCH}`,
      [databaseKey, siteCode, after[0], after[0], after[1]],
    );
    if (!rows.length) break;
    const moves = rows.map((r) => {
      const local = localParts(r.occurredUnix * 1000, to);
      days.add(local.day);
      return [r.transId, local.day, local.hour];
    });
    await tx.run(moveRows, [JSON.stringify(moves), databaseKey]);
    const last = rows.at(-1)!;
    after = [last.occurredUnix, last.transId];
  }

  // Clock entries belong to the local day of their clock-in at their site: move them too.
  const entries = await tx.all<{ employeeId: number; clockInUnix: number }>(
    'SELECT employee_id AS "employeeId", clock_in_unix AS "clockInUnix" FROM clock_entries WHERE database_key = ? AND site_code = ?',
    [databaseKey, siteCode],
  );
  for (const e of entries) {
    const day = localParts(e.clockInUnix * 1000, to).day;
    await tx.run('UPDATE clock_entries SET local_day = ? WHERE database_key = ? AND employee_id = ? AND clock_in_unix = ?', [day, databaseKey, e.employeeId, e.clockInUnix]);
    days.add(day);
  }

  // 2. Rollups: rebuilt from the moved rows and entries.
  await tx.run('DELETE FROM daily_rollups WHERE database_key = ? AND site_code = ?', [databaseKey, siteCode]);
  await tx.run('DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ?', [databaseKey, siteCode]);
  await recompute(tx, databaseKey, siteCode, [...days].sort(), now);

  // 3. Coverage, carried over day by day (see db/sqlite/rezone.ts).
  const old = await tx.all<{ day: string; syncedAt: number }>(
    'SELECT local_day AS day, synced_at AS "syncedAt" FROM site_coverage WHERE database_key = ? AND site_code = ? ORDER BY local_day',
    [databaseKey, siteCode],
  );
  await tx.run('DELETE FROM site_coverage WHERE database_key = ? AND site_code = ?', [databaseKey, siteCode]);
  if (old.length) {
    const fetched = new Map(old.map((r) => [r.day, r.syncedAt]));
    const last = addDays(old.at(-1)!.day, 2);
    for (let day = addDays(old[0]!.day, -2); day <= last; day = addDays(day, 1)) {
      const start = dayStartMs(day, to);
      const end = dayEndMs(day, to);
      let earliest = Infinity;
      let complete = true;
      let covered = true;
      // Zones are at most 26 hours apart: the old days that overlap lie within two days either side.
      for (let d = addDays(day, -2); d <= addDays(day, 2); d = addDays(d, 1)) {
        const oldStart = dayStartMs(d, from);
        const oldEnd = dayEndMs(d, from);
        if (oldStart >= end || oldEnd <= start) continue;
        const syncedAt = fetched.get(d);
        if (syncedAt === undefined) {
          covered = false;
          break;
        }
        earliest = Math.min(earliest, syncedAt);
        if (syncedAt < Math.min(end, oldEnd)) complete = false;
      }
      if (!covered || earliest === Infinity) continue;
      await tx.run('INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)', [
        databaseKey, siteCode, day, complete ? Math.max(earliest, end) : earliest, end,
      ]);
    }
  }

  // 4. Planned ranges were cut in the old zone's days: the next run plans again in the new one.
  await tx.run("DELETE FROM sync_chunks WHERE database_key = ? AND site_code = ? AND status = 'pending'", [databaseKey, siteCode]);
}
