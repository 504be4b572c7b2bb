/**
 * Writing transactions, clock entries and their rollups in SQLite. Every write goes through
 * {@link createIngestor}, which changes rows and moves the daily and hourly rollups of every
 * (site, local day) they touch in the SAME SQLite transaction, so a reader never sees rows without
 * their rollup (issue #5). The sync reaches it through `ingestPage` (lib/sync's `Ingestor`: a
 * page's rows with its chunk's cursor, db/sqlite/page-commit.ts); the synchronous methods are the
 * hot path inside it, and serve tests, fixtures and benches directly.
 *
 * Rollups follow FACTS §0 and §0.1 through the measures defined in `lib/measures.ts`: each
 * measure's JS rule moves the deltas, its SQL twin rebuilds a day from raw rows.
 *
 * Speed: a row's contribution is computed in JS and the batch's deltas are applied once per
 * touched day and hour, instead of re-aggregating whole days per page (which cost 3× the raw
 * upsert). New rows cost one INSERT, as a raw load would; a row already stored is read first so
 * its old contribution can be taken back (a later void, a corrected total, a moved day, a wash
 * flag learnt). `recompute` rebuilds days from the raw rows, for repair and for tests that check
 * the deltas.
 *
 * The wash flag and the new-membership verification (FACTS §0.1) arrive after the v2 row, from
 * other endpoints; a v2 refetch keeps them (they describe what was sold, which a later fetch does
 * not change).
 */
import type Database from 'better-sqlite3';
import { HOURLY_MEASURES, rawAggregateSql, TRANSACTION_MEASURES } from '@/lib/measures';
import {
  accumulate,
  accumulateLabor,
  DAILY_COLUMNS,
  HOUR_PRESENCE,
  HOURLY_COLUMNS,
  LABOR_COLUMNS,
  type Contribution,
  type EntryFigures,
} from '../rollup-deltas';
import type { FlagChange, StoredClockEntry, StoredTransaction } from '../sync-rows';

export type { FlagChange, StoredClockEntry, StoredTransaction };

const INSERT_SQL = `
INSERT OR IGNORE INTO transactions (database_key, trans_id, site_code, trans_number, occurred_unix, local_day, local_hour,
  total_cents, status, is_plan_sale, is_plan_redemption, customer_id, synced_at, is_wash, is_new_membership)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const PREVIOUS_SQL = `
SELECT site_code, local_day, local_hour, total_cents, status, is_plan_sale, is_plan_redemption, is_wash, is_new_membership
FROM transactions WHERE database_key = ? AND trans_id = ?`;

const UPDATE_SQL = `
UPDATE transactions SET site_code = ?, trans_number = ?, occurred_unix = ?, local_day = ?, local_hour = ?, total_cents = ?,
  status = ?, is_plan_sale = ?, is_plan_redemption = ?, customer_id = ?, synced_at = ?,
  is_wash = coalesce(?, is_wash), is_new_membership = coalesce(?, is_new_membership)
WHERE database_key = ? AND trans_id = ?`;

const FLAGS_SQL = `UPDATE transactions SET is_wash = ?, is_new_membership = ? WHERE database_key = ? AND trans_id = ?`;

// A day first reached by labor (a shift, no sale yet) starts with zero transactions.
const deltaSql = (columns: readonly string[]) => {
  const zeros = DAILY_COLUMNS.filter((c) => !columns.includes(c));
  return `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${[...columns, ...zeros].join(', ')}, updated_at)
VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')}${zeros.map(() => ', 0').join('')}, ?)
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;
};

const HOURLY_DELTA_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, ${HOURLY_COLUMNS.join(', ')})
VALUES (?, ?, ?, ?, ${HOURLY_COLUMNS.map(() => '?').join(', ')})
ON CONFLICT (database_key, site_code, local_day, local_hour) DO UPDATE SET
  ${HOURLY_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;

/** An hour with no Completed transaction left has no row, as `recompute` would leave it. */
const HOURLY_PRUNE_SQL = `
DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ? AND local_hour = ? AND transactions = 0`;

const ROLLUP_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, updated_at)
SELECT @databaseKey, @siteCode, @localDay, ${TRANSACTION_MEASURES.map(rawAggregateSql).join(', ')}, @now
FROM transactions
WHERE database_key = @databaseKey AND site_code = @siteCode AND local_day = @localDay
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${DAILY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

// Labor rebuilt from the stored entries (their SQL twins of LABOR_MEASURES' `value`).
const LABOR_ROLLUP_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, ${LABOR_COLUMNS.join(', ')}, updated_at)
SELECT @databaseKey, @siteCode, @localDay, ${DAILY_COLUMNS.map(() => '0').join(', ')},
  count(*), coalesce(sum(regular_hundredths + overtime_hundredths), 0), coalesce(sum(cost_cents), 0),
  count(*) FILTER (WHERE clock_out_unix IS NULL), @now
FROM clock_entries WHERE database_key = @databaseKey AND site_code = @siteCode AND local_day = @localDay
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${LABOR_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

const CLEAR_HOURS_SQL = `DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`;
const HOURS_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, ${HOURLY_COLUMNS.join(', ')})
SELECT database_key, site_code, local_day, local_hour, ${HOURLY_MEASURES.map(rawAggregateSql).join(', ')}
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day = ? AND ${HOUR_PRESENCE.whenSql}
GROUP BY local_hour`;

const ENTRY_SQL = `
SELECT site_code AS siteCode, local_day AS localDay, clock_out_unix AS clockOutUnix, regular_hundredths AS regularHundredths,
  overtime_hundredths AS overtimeHundredths, cost_cents AS costCents
FROM clock_entries WHERE database_key = ? AND employee_id = ? AND clock_in_unix = ?`;
const ENTRY_UPSERT_SQL = `
INSERT INTO clock_entries (database_key, employee_id, clock_in_unix, site_code, local_day, clock_out_unix, regular_hundredths,
  overtime_hundredths, regular_rate_cents, overtime_rate_cents, cost_cents, was_modified, synced_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (database_key, employee_id, clock_in_unix) DO UPDATE SET site_code = excluded.site_code, local_day = excluded.local_day,
  clock_out_unix = excluded.clock_out_unix, regular_hundredths = excluded.regular_hundredths,
  overtime_hundredths = excluded.overtime_hundredths, regular_rate_cents = excluded.regular_rate_cents,
  overtime_rate_cents = excluded.overtime_rate_cents, cost_cents = excluded.cost_cents, was_modified = excluded.was_modified,
  synced_at = excluded.synced_at`;
const ENTRIES_BETWEEN_SQL = `
SELECT employee_id AS employeeId, clock_in_unix AS clockInUnix, site_code AS siteCode, local_day AS localDay, clock_out_unix AS clockOutUnix,
  regular_hundredths AS regularHundredths, overtime_hundredths AS overtimeHundredths, cost_cents AS costCents
FROM clock_entries WHERE database_key = ? AND employee_id = ? AND local_day BETWEEN ? AND ?`;
const ENTRY_DELETE_SQL = `DELETE FROM clock_entries WHERE database_key = ? AND employee_id = ? AND clock_in_unix = ?`;

/** The SQLite ingestor's synchronous writes (each its own transaction, or a savepoint in the caller's). */
export interface SqliteIngestor {
  /**
   * Upserts rows and moves the rollups they touch. Runs inside the caller's transaction when there
   * is one (so the sync can also move its page cursor atomically), else opens its own. Returns the
   * (site, day) keys whose rollups changed, as `site\0day`.
   */
  upsert(databaseKey: string, rows: readonly StoredTransaction[], now?: number): Set<string>;
  /**
   * Records wash flags and verifications of stored transactions and moves their rollups. IDs not
   * stored (a wash list can name a transaction whose v2 row is not in yet) are skipped; returns
   * how many rows changed.
   */
  setFlags(databaseKey: string, changes: readonly FlagChange[], now?: number): number;
  /**
   * After a whole wash list of a site's days was read: every Completed row of those days still
   * without a flag, and already stored when the list was read (`listedAt`), is not a wash. Rows
   * stored later keep no flag until the next list (it may not have been in that one's snapshot).
   */
  markUnlistedAsNotWashes(databaseKey: string, siteCode: string, fromDay: string, toDay: string, listedAt: number, now?: number): number;
  /**
   * Upserts one employee's clock entries fetched for local days `fromDay`..`toDay` and moves the
   * labor rollups; stored entries of that employee strictly inside the window that the fetch did
   * not return were deleted in BackOffice and are removed (the window's edge days may hold entries
   * of a neighbouring zone's day, so they are left alone).
   */
  upsertClockEntries(
    databaseKey: string,
    employeeId: number,
    entries: readonly StoredClockEntry[],
    window: { fromDay: string; toDay: string },
    now?: number,
  ): void;
  /** Rebuilds the rollups of the given days from the raw rows and clock entries (repair, verification). */
  recompute(databaseKey: string, siteCode: string, localDays: Iterable<string>, now?: number): void;
}

interface PreviousRow {
  site_code: string;
  local_day: string;
  local_hour: number;
  total_cents: number;
  status: string;
  is_plan_sale: number;
  is_plan_redemption: number;
  is_wash: number | null;
  is_new_membership: number | null;
}

const flag = (v: number | null): boolean | null => (v === null ? null : v === 1);
const flagValue = (v: boolean | null | undefined): number | null => (v == null ? null : v ? 1 : 0);

function previousContribution(p: PreviousRow): Contribution {
  return {
    siteCode: p.site_code,
    localDay: p.local_day,
    localHour: p.local_hour,
    totalCents: p.total_cents,
    status: p.status,
    isPlanSale: p.is_plan_sale === 1,
    isPlanRedemption: p.is_plan_redemption === 1,
    isWash: flag(p.is_wash),
    isNewMembership: flag(p.is_new_membership),
  };
}

export function createIngestor(sqlite: Database.Database): SqliteIngestor {
  const insertStmt = sqlite.prepare(INSERT_SQL);
  const previousStmt = sqlite.prepare<[string, string], PreviousRow>(PREVIOUS_SQL);
  const updateStmt = sqlite.prepare(UPDATE_SQL);
  const flagsStmt = sqlite.prepare(FLAGS_SQL);
  const dailyDeltaStmt = sqlite.prepare(deltaSql(DAILY_COLUMNS));
  const laborDeltaStmt = sqlite.prepare(deltaSql(LABOR_COLUMNS));
  const hourlyDeltaStmt = sqlite.prepare(HOURLY_DELTA_SQL);
  const hourlyPruneStmt = sqlite.prepare(HOURLY_PRUNE_SQL);
  const rollupStmt = sqlite.prepare(ROLLUP_SQL);
  const laborRollupStmt = sqlite.prepare(LABOR_ROLLUP_SQL);
  const clearHoursStmt = sqlite.prepare(CLEAR_HOURS_SQL);
  const hoursStmt = sqlite.prepare(HOURS_SQL);
  const entryStmt = sqlite.prepare<[string, number, number], EntryFigures>(ENTRY_SQL);
  const entryUpsertStmt = sqlite.prepare(ENTRY_UPSERT_SQL);
  const entriesBetweenStmt = sqlite.prepare<[string, number, string, string], EntryFigures & { employeeId: number; clockInUnix: number }>(
    ENTRIES_BETWEEN_SQL,
  );
  const entryDeleteStmt = sqlite.prepare(ENTRY_DELETE_SQL);
  const unlistedStmt = sqlite.prepare<[string, string, string, string, number], string>(
    `SELECT trans_id FROM transactions WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?
       AND is_wash IS NULL AND synced_at <= ?`,
  );

  const applyDeltas = (databaseKey: string, days: Map<string, number[]>, hours: Map<string, number[]>, now: number) => {
    for (const [key, d] of days) {
      if (d.every((v) => v === 0)) continue;
      const [siteCode, localDay] = key.split('\u0000') as [string, string];
      dailyDeltaStmt.run(databaseKey, siteCode, localDay, ...d, now);
    }
    for (const [key, h] of hours) {
      if (h.every((v) => v === 0)) continue;
      const [siteCode, localDay, hour] = key.split('\u0000') as [string, string, string];
      hourlyDeltaStmt.run(databaseKey, siteCode, localDay, Number(hour), ...h);
      if (h[0]! < 0) hourlyPruneStmt.run(databaseKey, siteCode, localDay, Number(hour));
    }
  };

  const upsertTx = sqlite.transaction((databaseKey: string, rows: readonly StoredTransaction[], now: number) => {
    const days = new Map<string, number[]>();
    const hours = new Map<string, number[]>();
    for (const r of rows) {
      const sale = r.isPlanSale ? 1 : 0;
      const redemption = r.isPlanRedemption ? 1 : 0;
      const wash = flagValue(r.isWash);
      const member = flagValue(r.isNewMembership);
      const inserted = insertStmt.run(
        databaseKey, r.transId, r.siteCode, r.transNumber, r.occurredUnix, r.localDay, r.localHour,
        r.totalCents, r.status, sale, redemption, r.customerId, now, wash, member,
      ).changes;
      let flags = { isWash: r.isWash ?? null, isNewMembership: r.isNewMembership ?? null };
      if (!inserted) {
        const p = previousStmt.get(databaseKey, r.transId)!;
        accumulate(days, hours, previousContribution(p), -1);
        updateStmt.run(
          r.siteCode, r.transNumber, r.occurredUnix, r.localDay, r.localHour, r.totalCents, r.status, sale, redemption,
          r.customerId, now, wash, member, databaseKey, r.transId,
        );
        flags = { isWash: r.isWash ?? flag(p.is_wash), isNewMembership: r.isNewMembership ?? flag(p.is_new_membership) };
      }
      accumulate(days, hours, { ...r, ...flags }, 1);
    }
    applyDeltas(databaseKey, days, hours, now);
    return new Set(days.keys());
  });

  const setFlagsTx = sqlite.transaction((databaseKey: string, changes: readonly FlagChange[], now: number) => {
    const days = new Map<string, number[]>();
    const hours = new Map<string, number[]>();
    let changed = 0;
    for (const c of changes) {
      const p = previousStmt.get(databaseKey, c.transId);
      if (!p) continue;
      const before = previousContribution(p);
      const after = { ...before, isWash: c.isWash ?? before.isWash, isNewMembership: c.isNewMembership ?? before.isNewMembership };
      if (after.isWash === before.isWash && after.isNewMembership === before.isNewMembership) continue;
      accumulate(days, hours, before, -1);
      flagsStmt.run(flagValue(after.isWash), flagValue(after.isNewMembership), databaseKey, c.transId);
      accumulate(days, hours, after, 1);
      changed++;
    }
    applyDeltas(databaseKey, days, hours, now);
    return changed;
  });

  const clockTx = sqlite.transaction(
    (databaseKey: string, employeeId: number, entries: readonly StoredClockEntry[], window: { fromDay: string; toDay: string }, now: number) => {
      const days = new Map<string, number[]>();
      const fetched = new Set<number>();
      for (const e of entries) {
        fetched.add(e.clockInUnix);
        const before = entryStmt.get(databaseKey, employeeId, e.clockInUnix);
        if (before) accumulateLabor(days, before, -1);
        entryUpsertStmt.run(
          databaseKey, employeeId, e.clockInUnix, e.siteCode, e.localDay, e.clockOutUnix, e.regularHundredths, e.overtimeHundredths,
          e.regularRateCents, e.overtimeRateCents, e.costCents, e.wasModified ? 1 : 0, now,
        );
        accumulateLabor(days, e, 1);
      }
      for (const stored of entriesBetweenStmt.all(databaseKey, employeeId, window.fromDay, window.toDay)) {
        if (fetched.has(stored.clockInUnix) || stored.localDay === window.fromDay || stored.localDay === window.toDay) continue;
        accumulateLabor(days, stored, -1);
        entryDeleteStmt.run(databaseKey, employeeId, stored.clockInUnix);
      }
      for (const [key, d] of days) {
        if (d.every((v) => v === 0)) continue;
        const [siteCode, localDay] = key.split('\u0000') as [string, string];
        laborDeltaStmt.run(databaseKey, siteCode, localDay, ...d, now);
      }
    },
  );

  return {
    upsert: (databaseKey, rows, now = Date.now()) => upsertTx(databaseKey, rows, now),
    setFlags: (databaseKey, changes, now = Date.now()) => setFlagsTx(databaseKey, changes, now),
    markUnlistedAsNotWashes: (databaseKey, siteCode, fromDay, toDay, listedAt, now = Date.now()) =>
      setFlagsTx(
        databaseKey,
        unlistedStmt.pluck().all(databaseKey, siteCode, fromDay, toDay, listedAt).map((transId) => ({ transId, isWash: false })),
        now,
      ),
    upsertClockEntries: (databaseKey, employeeId, entries, window, now = Date.now()) => clockTx(databaseKey, employeeId, entries, window, now),
    recompute: (databaseKey, siteCode, localDays, now = Date.now()) => {
      sqlite.transaction(() => {
        for (const localDay of localDays) {
          rollupStmt.run({ databaseKey, siteCode, localDay, now });
          laborRollupStmt.run({ databaseKey, siteCode, localDay, now });
          clearHoursStmt.run(databaseKey, siteCode, localDay);
          hoursStmt.run(databaseKey, siteCode, localDay);
        }
      })();
    },
  };
}
