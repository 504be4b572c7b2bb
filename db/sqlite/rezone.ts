/**
 * Moving a site's stored days to another time zone: the operator set one for a site that reports
 * none (`SONNYS_<KEY>_SITE_TIMEZONES`, issue #10), or Sonny's started reporting one. Local days
 * and hours are derived from the UTC instants Washboard keeps, so they can be recomputed exactly;
 * rollups are rebuilt from the raw rows; and what the sync knows about completeness carries over:
 * a new local day counts as fetched only where every old day it overlaps was fetched, and as
 * complete only where each of those was fetched after its overlap with the new day had ended.
 *
 * Runs inside the caller's transaction (a site's history is small enough for one: a year of a busy
 * site is ~100k rows, a few seconds at most, once per configuration change).
 */
import type Database from 'better-sqlite3';
import { addDays, dayEndMs, dayStartMs, localParts } from '@/lib/calendar';
import { createIngestor } from './ingest';

const BATCH = 20_000;

export function rezoneSite(
  sqlite: Database.Database,
  input: { databaseKey: string; siteCode: string; from: string; to: string; now: number },
): void {
  const { databaseKey, siteCode, from, to, now } = input;
  if (from === to) return;

  // 1. Raw rows: new local day and hour from the stored instant, in keyset batches (an open
  // iterator would block the updates on the same connection).
  const page = sqlite.prepare<[string, string, number, string], { transId: string; occurredUnix: number }>(
    `SELECT trans_id AS transId, occurred_unix AS occurredUnix FROM transactions
     WHERE database_key = ? AND site_code = ? AND (occurred_unix, trans_id) > (?, ?)
     ORDER BY occurred_unix, trans_id LIMIT ${BATCH}`,
  );
  const move = sqlite.prepare('UPDATE transactions SET local_day = ?, local_hour = ? WHERE database_key = ? AND trans_id = ?');
  const days = new Set<string>();
  for (let after: [number, string] = [-1, ''], rows = page.all(databaseKey, siteCode, ...after); rows.length; rows = page.all(databaseKey, siteCode, ...after)) {
    for (const r of rows) {
      const local = localParts(r.occurredUnix * 1000, to);
      move.run(local.day, local.hour, databaseKey, r.transId);
      days.add(local.day);
    }
    const last = rows.at(-1)!;
    after = [last.occurredUnix, last.transId];
  }

  // Clock entries belong to the local day of their clock-in at their site: move them too.
  const entries = sqlite
    .prepare<[string, string], { employeeId: number; clockInUnix: number }>(
      'SELECT employee_id AS employeeId, clock_in_unix AS clockInUnix FROM clock_entries WHERE database_key = ? AND site_code = ?',
    )
    .all(databaseKey, siteCode);
  const moveEntry = sqlite.prepare('UPDATE clock_entries SET local_day = ? WHERE database_key = ? AND employee_id = ? AND clock_in_unix = ?');
  for (const e of entries) {
    const day = localParts(e.clockInUnix * 1000, to).day;
    moveEntry.run(day, databaseKey, e.employeeId, e.clockInUnix);
    days.add(day);
  }

  // 2. Rollups: rebuilt from the moved rows and entries.
  sqlite.prepare('DELETE FROM daily_rollups WHERE database_key = ? AND site_code = ?').run(databaseKey, siteCode);
  sqlite.prepare('DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ?').run(databaseKey, siteCode);
  createIngestor(sqlite).recompute(databaseKey, siteCode, [...days].sort(), now);

  // 3. Coverage, carried over day by day (see the module comment).
  const old = sqlite
    .prepare<[string, string], { day: string; syncedAt: number }>(
      'SELECT local_day AS day, synced_at AS syncedAt FROM site_coverage WHERE database_key = ? AND site_code = ? ORDER BY local_day',
    )
    .all(databaseKey, siteCode);
  sqlite.prepare('DELETE FROM site_coverage WHERE database_key = ? AND site_code = ?').run(databaseKey, siteCode);
  if (old.length) {
    const fetched = new Map(old.map((r) => [r.day, r.syncedAt]));
    const insert = sqlite.prepare('INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)');
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
      insert.run(databaseKey, siteCode, day, complete ? Math.max(earliest, end) : earliest, end);
    }
  }

  // 4. Planned ranges were cut in the old zone's days: the next run plans again in the new one.
  sqlite.prepare("DELETE FROM sync_chunks WHERE database_key = ? AND site_code = ? AND status = 'pending'").run(databaseKey, siteCode);
}
