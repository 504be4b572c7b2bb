/**
 * lib/sync's `Ingestor` on Postgres: the SQLite ingestor's methods (db/sqlite/ingest.ts,
 * db/sqlite/sync-ingestor.ts), async, with the same results in every table.
 *
 * Why a file of its own: the dialects write in bulk differently. SQLite's hot path is one
 * prepared statement per row plus rollup deltas computed in JS, which is cheap in-process; over a
 * network every statement is a round trip, so here a page is a handful of statements whatever its
 * size: the rows go in as arrays (`unnest`) in one INSERT ... ON CONFLICT, and the rollups of every
 * (site, day) they touch (before and after the change) are rebuilt from the raw rows with the
 * measures' SQL twins (lib/measures.ts) in one INSERT ... SELECT ... ON CONFLICT per table. A day
 * whose rows all left keeps a row of zeros, and an hour without a Completed transaction has no
 * row, as SQLite's deltas leave them. All of a page commits in one transaction (with its cursor and
 * coverage), so a reader never sees rows without their rollups.
 */
import { addDays, dayEndMs } from '@/lib/calendar';
import { HOURLY_MEASURES, rawAggregateSql, TRANSACTION_MEASURES } from '@/lib/measures';
import { DAILY_COLUMNS, HOUR_PRESENCE, HOURLY_COLUMNS, LABOR_COLUMNS } from '../rollup-deltas';
import { writeLockKey } from '../rezone';
import type { SqlClient } from '../sql/client';
import { FINISH_CHUNK_SQL } from '../sync-store';
import { postgresDialect } from './dialect';
import type { FlagChange, PageCommit, StoredClockEntry, StoredTransaction } from '../sync-rows';

/** A (site, local day) whose rollups must be rebuilt. */
interface Day {
  siteCode: string;
  localDay: string;
}

const dayKey = (d: Day) => `${d.siteCode}\u0000${d.localDay}`;

/** The touched days as two parallel arrays (for `unnest`), each once. */
function dayArrays(days: Iterable<Day>): { sites: string[]; localDays: string[] } {
  const seen = new Map<string, Day>();
  for (const d of days) seen.set(dayKey(d), d);
  return { sites: [...seen.values()].map((d) => d.siteCode), localDays: [...seen.values()].map((d) => d.localDay) };
}

const DAYS = 'unnest(CAST(@sites AS text[]), CAST(@days AS text[])) AS d(s, day)';

// A day's figures rebuilt from its raw rows: the aggregate of no rows is a row of zeros.
const DAILY_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, updated_at)
SELECT CAST(@databaseKey AS text), d.s, d.day, a.*, CAST(@now AS bigint)
FROM ${DAYS} CROSS JOIN LATERAL (
  SELECT ${TRANSACTION_MEASURES.map(rawAggregateSql).join(', ')}
  FROM transactions WHERE database_key = @databaseKey AND site_code = d.s AND local_day = d.day) a
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${DAILY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

const CLEAR_HOURS_SQL = `
DELETE FROM hourly_rollups h USING ${DAYS} WHERE h.database_key = @databaseKey AND h.site_code = d.s AND h.local_day = d.day`;

const HOURS_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, ${HOURLY_COLUMNS.join(', ')})
SELECT CAST(@databaseKey AS text), t.site_code, t.local_day, t.local_hour, ${HOURLY_MEASURES.map(rawAggregateSql).join(', ')}
FROM transactions t JOIN ${DAYS} ON t.site_code = d.s AND t.local_day = d.day
WHERE t.database_key = @databaseKey AND ${HOUR_PRESENCE.whenSql}
GROUP BY t.site_code, t.local_day, t.local_hour`;

// Labor rebuilt from the stored entries (the SQL twins of LABOR_MEASURES' `value`, in LABOR_COLUMNS'
// order); a day first reached by labor starts with zero transactions.
const LABOR_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, ${LABOR_COLUMNS.join(', ')}, updated_at)
SELECT CAST(@databaseKey AS text), d.s, d.day, ${DAILY_COLUMNS.map(() => '0').join(', ')}, a.*, CAST(@now AS bigint)
FROM ${DAYS} CROSS JOIN LATERAL (
  SELECT count(*), coalesce(sum(regular_hundredths + overtime_hundredths), 0), coalesce(sum(cost_cents), 0),
    count(*) FILTER (WHERE clock_out_unix IS NULL)
  FROM clock_entries WHERE database_key = @databaseKey AND site_code = d.s AND local_day = d.day) a
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${LABOR_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

const UPSERT_SQL = `
INSERT INTO transactions (database_key, trans_id, site_code, trans_number, occurred_unix, local_day, local_hour,
  total_cents, status, is_plan_sale, is_plan_redemption, customer_id, synced_at, is_wash, is_new_membership)
SELECT CAST(@databaseKey AS text), r.trans_id, r.site_code, r.trans_number, r.occurred_unix, r.local_day, r.local_hour, r.total_cents, r.status,
  r.is_plan_sale, r.is_plan_redemption, r.customer_id, CAST(@now AS bigint), r.is_wash, r.is_new_membership
FROM unnest(CAST(@ids AS text[]), CAST(@sites AS text[]), CAST(@numbers AS bigint[]), CAST(@occurred AS bigint[]),
  CAST(@days AS text[]), CAST(@hours AS bigint[]), CAST(@totals AS bigint[]), CAST(@statuses AS text[]),
  CAST(@sales AS boolean[]), CAST(@redemptions AS boolean[]), CAST(@customers AS text[]),
  CAST(@washes AS boolean[]), CAST(@members AS boolean[]))
  AS r(trans_id, site_code, trans_number, occurred_unix, local_day, local_hour, total_cents, status, is_plan_sale, is_plan_redemption,
    customer_id, is_wash, is_new_membership)
ON CONFLICT (database_key, trans_id) DO UPDATE SET site_code = excluded.site_code, trans_number = excluded.trans_number,
  occurred_unix = excluded.occurred_unix, local_day = excluded.local_day, local_hour = excluded.local_hour,
  total_cents = excluded.total_cents, status = excluded.status, is_plan_sale = excluded.is_plan_sale,
  is_plan_redemption = excluded.is_plan_redemption, customer_id = excluded.customer_id, synced_at = excluded.synced_at,
  is_wash = coalesce(excluded.is_wash, transactions.is_wash),
  is_new_membership = coalesce(excluded.is_new_membership, transactions.is_new_membership)`;

export interface PostgresIngestor {
  upsert(databaseKey: string, rows: readonly StoredTransaction[], now?: number): Promise<Set<string>>;
  setFlags(databaseKey: string, changes: readonly FlagChange[], now?: number): Promise<number>;
  markUnlistedAsNotWashes(databaseKey: string, siteCode: string, fromDay: string, toDay: string, listedAt: number, now?: number): Promise<number>;
  upsertClockEntries(
    databaseKey: string,
    employeeId: number,
    entries: readonly StoredClockEntry[],
    window: { fromDay: string; toDay: string },
    now?: number,
  ): Promise<void>;
  recompute(databaseKey: string, siteCode: string, localDays: Iterable<string>, now?: number): Promise<void>;
  ingestPage(page: PageCommit): Promise<void>;
}

/** Rebuilds the transaction rollups (daily and hourly) of the given days from the raw rows, in `tx`. */
async function rebuildSales(tx: SqlClient, databaseKey: string, days: Iterable<Day>, now: number): Promise<void> {
  const { sites, localDays } = dayArrays(days);
  if (!sites.length) return;
  const params = { databaseKey, sites, days: localDays, now };
  await tx.run(DAILY_SQL, params);
  await tx.run(CLEAR_HOURS_SQL, { databaseKey, sites, days: localDays });
  await tx.run(HOURS_SQL, { databaseKey, sites, days: localDays });
}

async function rebuildLabor(tx: SqlClient, databaseKey: string, days: Iterable<Day>, now: number): Promise<void> {
  const { sites, localDays } = dayArrays(days);
  if (sites.length) await tx.run(LABOR_SQL, { databaseKey, sites, days: localDays, now });
}

/** Rebuilds every rollup of a site's days from raw rows and clock entries (repair, rezone), in `tx`. */
export async function recomputeDays(tx: SqlClient, databaseKey: string, siteCode: string, localDays: readonly string[], now: number): Promise<void> {
  const days = localDays.map((localDay) => ({ siteCode, localDay }));
  await rebuildSales(tx, databaseKey, days, now);
  await rebuildLabor(tx, databaseKey, days, now);
}

async function upsertRows(tx: SqlClient, databaseKey: string, input: readonly StoredTransaction[], now: number): Promise<Set<string>> {
  // One row per ID (one statement cannot change a row twice): the later copy wins, and a flag it
  // leaves unsaid keeps the earlier one's, as two upserts in turn would.
  const byId = new Map<string, StoredTransaction>();
  for (const r of input) {
    const earlier = byId.get(r.transId);
    byId.set(r.transId, earlier ? { ...r, isWash: r.isWash ?? earlier.isWash, isNewMembership: r.isNewMembership ?? earlier.isNewMembership } : r);
  }
  const rows = [...byId.values()];
  if (!rows.length) return new Set();
  const ids = rows.map((r) => r.transId);
  const touched: Day[] = await tx.all<Day>(
    'SELECT site_code AS "siteCode", local_day AS "localDay" FROM transactions WHERE database_key = ? AND trans_id = ANY(CAST(? AS text[]))',
    [databaseKey, ids],
  );
  await tx.run(UPSERT_SQL, {
    databaseKey,
    now,
    ids,
    sites: rows.map((r) => r.siteCode),
    numbers: rows.map((r) => r.transNumber),
    occurred: rows.map((r) => r.occurredUnix),
    days: rows.map((r) => r.localDay),
    hours: rows.map((r) => r.localHour),
    totals: rows.map((r) => r.totalCents),
    statuses: rows.map((r) => r.status),
    sales: rows.map((r) => r.isPlanSale),
    redemptions: rows.map((r) => r.isPlanRedemption),
    customers: rows.map((r) => r.customerId),
    washes: rows.map((r) => r.isWash ?? null),
    members: rows.map((r) => r.isNewMembership ?? null),
  });
  for (const r of rows) touched.push(r);
  await rebuildSales(tx, databaseKey, touched, now);
  return new Set(touched.map(dayKey));
}

async function applyFlags(tx: SqlClient, databaseKey: string, changes: readonly FlagChange[], now: number): Promise<number> {
  // Several changes of one row: the later's flags win, the earlier's fill what it leaves unsaid.
  const byId = new Map<string, FlagChange>();
  for (const c of changes) {
    const earlier = byId.get(c.transId);
    byId.set(c.transId, earlier ? { transId: c.transId, isWash: c.isWash ?? earlier.isWash, isNewMembership: c.isNewMembership ?? earlier.isNewMembership } : c);
  }
  const list = [...byId.values()];
  if (!list.length) return 0;
  const changed = await tx.all<Day>(
    `UPDATE transactions t SET is_wash = coalesce(c.w, t.is_wash), is_new_membership = coalesce(c.m, t.is_new_membership)
     FROM unnest(CAST(@ids AS text[]), CAST(@washes AS boolean[]), CAST(@members AS boolean[])) AS c(id, w, m)
     WHERE t.database_key = @databaseKey AND t.trans_id = c.id
       AND ((c.w IS NOT NULL AND t.is_wash IS DISTINCT FROM c.w) OR (c.m IS NOT NULL AND t.is_new_membership IS DISTINCT FROM c.m))
     RETURNING t.site_code AS "siteCode", t.local_day AS "localDay"`,
    {
      databaseKey,
      ids: list.map((c) => c.transId),
      washes: list.map((c) => c.isWash ?? null),
      members: list.map((c) => c.isNewMembership ?? null),
    },
  );
  await rebuildSales(tx, databaseKey, changed, now);
  return changed.length;
}

async function markUnlisted(tx: SqlClient, databaseKey: string, siteCode: string, fromDay: string, toDay: string, listedAt: number, now: number): Promise<number> {
  const changed = await tx.all<Day>(
    `UPDATE transactions SET is_wash = FALSE WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
       AND is_wash IS NULL AND synced_at <= ?
     RETURNING site_code AS "siteCode", local_day AS "localDay"`,
    [databaseKey, siteCode, fromDay, toDay, listedAt],
  );
  await rebuildSales(tx, databaseKey, changed, now);
  return changed.length;
}

async function upsertEntries(
  tx: SqlClient,
  databaseKey: string,
  employeeId: number,
  input: readonly StoredClockEntry[],
  window: { fromDay: string; toDay: string },
  now: number,
): Promise<void> {
  const entries = [...new Map(input.map((e) => [e.clockInUnix, e])).values()];
  const clockIns = entries.map((e) => e.clockInUnix);
  const touched: Day[] = entries.length
    ? await tx.all<Day>(
        `SELECT site_code AS "siteCode", local_day AS "localDay" FROM clock_entries
         WHERE database_key = ? AND employee_id = ? AND clock_in_unix = ANY(CAST(? AS bigint[]))`,
        [databaseKey, employeeId, clockIns],
      )
    : [];
  if (entries.length) {
    await tx.run(
      `INSERT INTO clock_entries (database_key, employee_id, clock_in_unix, site_code, local_day, clock_out_unix, regular_hundredths,
         overtime_hundredths, regular_rate_cents, overtime_rate_cents, cost_cents, was_modified, synced_at)
       SELECT CAST(@databaseKey AS text), CAST(@employeeId AS bigint), e.*, CAST(@now AS bigint)
       FROM unnest(CAST(@clockIns AS bigint[]), CAST(@sites AS text[]), CAST(@days AS text[]), CAST(@clockOuts AS bigint[]),
         CAST(@regular AS bigint[]), CAST(@overtime AS bigint[]), CAST(@regularRates AS bigint[]), CAST(@overtimeRates AS bigint[]),
         CAST(@costs AS bigint[]), CAST(@modified AS boolean[]))
         AS e(clock_in_unix, site_code, local_day, clock_out_unix, regular_hundredths, overtime_hundredths, regular_rate_cents,
           overtime_rate_cents, cost_cents, was_modified)
       ON CONFLICT (database_key, employee_id, clock_in_unix) DO UPDATE SET site_code = excluded.site_code, local_day = excluded.local_day,
         clock_out_unix = excluded.clock_out_unix, regular_hundredths = excluded.regular_hundredths,
         overtime_hundredths = excluded.overtime_hundredths, regular_rate_cents = excluded.regular_rate_cents,
         overtime_rate_cents = excluded.overtime_rate_cents, cost_cents = excluded.cost_cents, was_modified = excluded.was_modified,
         synced_at = excluded.synced_at`,
      {
        databaseKey,
        employeeId,
        now,
        clockIns,
        sites: entries.map((e) => e.siteCode),
        days: entries.map((e) => e.localDay),
        clockOuts: entries.map((e) => e.clockOutUnix),
        regular: entries.map((e) => e.regularHundredths),
        overtime: entries.map((e) => e.overtimeHundredths),
        regularRates: entries.map((e) => e.regularRateCents),
        overtimeRates: entries.map((e) => e.overtimeRateCents),
        costs: entries.map((e) => e.costCents),
        modified: entries.map((e) => e.wasModified),
      },
    );
  }
  // Entries strictly inside the window that the fetch did not return were deleted in BackOffice
  // (the edge days may hold a neighbouring zone's day: left alone, as on SQLite).
  const deleted = await tx.all<Day>(
    `DELETE FROM clock_entries WHERE database_key = ? AND employee_id = ? AND local_day > ? AND local_day < ?
       AND NOT (clock_in_unix = ANY(CAST(? AS bigint[])))
     RETURNING site_code AS "siteCode", local_day AS "localDay"`,
    [databaseKey, employeeId, window.fromDay, window.toDay, clockIns],
  );
  await rebuildLabor(tx, databaseKey, [...touched, ...entries, ...deleted], now);
}

/**
 * A site-day's labor fetch time: the oldest fetch among its API day and the two around it (the
 * clock-entries endpoint does not say in which zone it filters days), null while one is missing.
 * The neighbours are computed in JS (SQLite's `date(x, '-1 day')` has no portable spelling).
 */
const LABOR_SYNCED_AT = `(
  SELECT CASE WHEN count(*) = 3 THEN min(l.synced_at) END FROM labor_coverage l
  WHERE l.database_key = site_coverage.database_key AND l.local_day BETWEEN ? AND ?)`;

async function writePage(tx: SqlClient, page: PageCommit): Promise<void> {
  const { databaseKey, at, complete, cursor } = page;
  if (page.transactions?.length) await upsertRows(tx, databaseKey, page.transactions, at);
  if (page.flags?.length) await applyFlags(tx, databaseKey, page.flags, at);
  if (page.clockEntries) {
    const { employeeId, entries, window } = page.clockEntries;
    await upsertEntries(tx, databaseKey, employeeId, entries, window, at);
  }
  if (cursor) {
    await tx.run('UPDATE sync_chunks SET next_page = ?, rows = rows + ?, first_fetched_at = coalesce(first_fetched_at, ?) WHERE id = ?', [
      cursor.next, cursor.rows, cursor.fetchedAt, cursor.chunkId,
    ]);
  }
  if (!complete) return;
  switch (complete.kind) {
    case 'transactions':
      // Each day's end in the site's zone, so "complete" can be read in SQL (`synced_at >= day_end_at`).
      for (const day of complete.days) {
        await tx.run(
          `INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET synced_at = excluded.synced_at, day_end_at = excluded.day_end_at`,
          [databaseKey, complete.siteCode, day, complete.syncedAt, dayEndMs(day, complete.timeZone)],
        );
        // Labor may have been fetched before the day's sales: carry it onto the new row.
        await tx.run(
          `UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT}
           WHERE database_key = ? AND site_code = ? AND local_day = ? AND labor_synced_at IS NULL`,
          [addDays(day, -1), addDays(day, 1), databaseKey, complete.siteCode, day],
        );
      }
      break;
    case 'washes':
      await markUnlisted(tx, databaseKey, complete.siteCode, complete.fromDay, complete.toDay, complete.listedAt, at);
      break;
    case 'labor': {
      for (let day = complete.fromDay; day <= complete.toDay; day = addDays(day, 1)) {
        await tx.run(
          `INSERT INTO labor_coverage (database_key, local_day, synced_at) VALUES (?, ?, ?)
           ON CONFLICT (database_key, local_day) DO UPDATE SET synced_at = excluded.synced_at`,
          [databaseKey, day, complete.syncedAt],
        );
      }
      const last = addDays(complete.toDay, 1);
      for (let day = addDays(complete.fromDay, -1); day <= last; day = addDays(day, 1)) {
        await tx.run(`UPDATE site_coverage SET labor_synced_at = ${LABOR_SYNCED_AT} WHERE database_key = ? AND local_day = ?`, [
          addDays(day, -1), addDays(day, 1), databaseKey, day,
        ]);
      }
      break;
    }
  }
  await tx.run(FINISH_CHUNK_SQL, [at, complete.chunkId]);
}

export function createPostgresIngestor(sql: SqlClient): PostgresIngestor {
  /** `work` in one transaction, after the database's write lock (see `writeLockKey`: concurrent pages would deadlock). */
  const write = <T>(databaseKey: string, work: (tx: SqlClient) => Promise<T>) =>
    sql.transaction(async (tx) => {
      await tx.get(postgresDialect.transactionLock('?'), [writeLockKey(databaseKey)]);
      return work(tx);
    });
  return {
    upsert: (databaseKey, rows, now = Date.now()) => write(databaseKey, (tx) => upsertRows(tx, databaseKey, rows, now)),
    setFlags: (databaseKey, changes, now = Date.now()) => write(databaseKey, (tx) => applyFlags(tx, databaseKey, changes, now)),
    markUnlistedAsNotWashes: (databaseKey, siteCode, fromDay, toDay, listedAt, now = Date.now()) =>
      write(databaseKey, (tx) => markUnlisted(tx, databaseKey, siteCode, fromDay, toDay, listedAt, now)),
    upsertClockEntries: (databaseKey, employeeId, entries, window, now = Date.now()) =>
      write(databaseKey, (tx) => upsertEntries(tx, databaseKey, employeeId, entries, window, now)),
    recompute: (databaseKey, siteCode, localDays, now = Date.now()) => write(databaseKey, (tx) => recomputeDays(tx, databaseKey, siteCode, [...localDays], now)),
    ingestPage: (page) => write(page.databaseKey, (tx) => writePage(tx, page)),
  };
}
