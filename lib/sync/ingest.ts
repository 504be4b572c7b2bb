/**
 * Writing transactions and their rollups. Every write goes through {@link createIngestor}, which
 * upserts a batch of rows and moves the daily and hourly rollups of every (site, local day) the
 * batch touched in the SAME SQLite transaction, so a reader never sees rows without their rollup
 * (issue #5).
 *
 * Rollups follow FACTS §0 through the measures defined in `lib/measures.ts`: each measure's JS rule
 * moves the deltas, its SQL twin rebuilds a day from raw rows.
 *
 * Speed: a row's contribution is computed in JS and the batch's deltas are applied once per
 * touched day and hour, instead of re-aggregating whole days per page (which cost 3× the raw
 * upsert). New rows cost one INSERT, as a raw load would; a row already stored is read first so
 * its old contribution can be taken back (a later void, a corrected total, a moved day).
 * `recompute` rebuilds days from the raw rows, for repair and for tests that check the deltas.
 */
import type Database from 'better-sqlite3';
import { contribution, HOURLY_MEASURES, measure, rawAggregateSql, TRANSACTION_MEASURES, type MeasuredTransaction } from '@/lib/measures';

/** A v2 transaction as Washboard stores it (already converted to the site's local time). */
export interface StoredTransaction {
  transId: string;
  siteCode: string;
  transNumber: number | null;
  occurredUnix: number;
  localDay: string;
  localHour: number;
  totalCents: number;
  status: string;
  isPlanSale: boolean;
  isPlanRedemption: boolean;
  customerId: string | null;
}

const INSERT_SQL = `
INSERT OR IGNORE INTO transactions (database_key, trans_id, site_code, trans_number, occurred_unix, local_day, local_hour,
  total_cents, status, is_plan_sale, is_plan_redemption, customer_id, synced_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const PREVIOUS_SQL = `
SELECT site_code, local_day, local_hour, total_cents, status, is_plan_sale, is_plan_redemption
FROM transactions WHERE database_key = ? AND trans_id = ?`;

const UPDATE_SQL = `
UPDATE transactions SET site_code = ?, trans_number = ?, occurred_unix = ?, local_day = ?, local_hour = ?, total_cents = ?,
  status = ?, is_plan_sale = ?, is_plan_redemption = ?, customer_id = ?, synced_at = ?
WHERE database_key = ? AND trans_id = ?`;

const DAILY_COLUMNS = TRANSACTION_MEASURES.map((m) => m.column);
/** An hour has a row while it has a Completed transaction (this measure is not zero). */
const HOUR_PRESENCE = measure('transactions');
const HOURLY_COLUMNS = HOURLY_MEASURES.map((m) => m.column);

const DAILY_DELTA_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, updated_at)
VALUES (?, ?, ?, ${DAILY_COLUMNS.map(() => '?').join(', ')}, ?)
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${DAILY_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

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

const CLEAR_HOURS_SQL = `DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`;
const HOURS_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, ${HOURLY_COLUMNS.join(', ')})
SELECT database_key, site_code, local_day, local_hour, ${HOURLY_MEASURES.map(rawAggregateSql).join(', ')}
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day = ? AND ${HOUR_PRESENCE.whenSql}
GROUP BY local_hour`;

/** The fields of a row that decide its contribution to the rollups. */
interface Contribution extends MeasuredTransaction {
  siteCode: string;
  localDay: string;
  localHour: number;
}

/** Adds `sign` × the row's contribution (FACTS §0) into the day's and the hour's delta vectors. */
function accumulate(days: Map<string, number[]>, hours: Map<string, number[]>, row: Contribution, sign: 1 | -1): void {
  const dayKey = `${row.siteCode}\u0000${row.localDay}`;
  let d = days.get(dayKey);
  if (!d) days.set(dayKey, (d = new Array<number>(DAILY_COLUMNS.length).fill(0)));
  for (let i = 0; i < TRANSACTION_MEASURES.length; i++) d[i]! += sign * contribution(TRANSACTION_MEASURES[i]!, row);

  if (!HOUR_PRESENCE.when(row)) return;
  const hourKey = `${dayKey}\u0000${row.localHour}`;
  let h = hours.get(hourKey);
  if (!h) hours.set(hourKey, (h = new Array<number>(HOURLY_COLUMNS.length).fill(0)));
  for (let i = 0; i < HOURLY_MEASURES.length; i++) h[i]! += sign * contribution(HOURLY_MEASURES[i]!, row);
}

export interface Ingestor {
  /**
   * Upserts rows and moves the rollups they touch. Runs inside the caller's transaction when there
   * is one (so the sync can also move its page cursor atomically), else opens its own. Returns the
   * (site, day) keys whose rollups changed, as `site\0day`.
   */
  upsert(databaseKey: string, rows: readonly StoredTransaction[], now?: number): Set<string>;
  /** Rebuilds the rollups of the given days from the raw rows (repair, verification). */
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
}

export function createIngestor(sqlite: Database.Database): Ingestor {
  const insertStmt = sqlite.prepare(INSERT_SQL);
  const previousStmt = sqlite.prepare<[string, string], PreviousRow>(PREVIOUS_SQL);
  const updateStmt = sqlite.prepare(UPDATE_SQL);
  const dailyDeltaStmt = sqlite.prepare(DAILY_DELTA_SQL);
  const hourlyDeltaStmt = sqlite.prepare(HOURLY_DELTA_SQL);
  const hourlyPruneStmt = sqlite.prepare(HOURLY_PRUNE_SQL);
  const rollupStmt = sqlite.prepare(ROLLUP_SQL);
  const clearHoursStmt = sqlite.prepare(CLEAR_HOURS_SQL);
  const hoursStmt = sqlite.prepare(HOURS_SQL);

  const upsertTx = sqlite.transaction((databaseKey: string, rows: readonly StoredTransaction[], now: number) => {
    const days = new Map<string, number[]>();
    const hours = new Map<string, number[]>();
    for (const r of rows) {
      const sale = r.isPlanSale ? 1 : 0;
      const redemption = r.isPlanRedemption ? 1 : 0;
      const inserted = insertStmt.run(
        databaseKey, r.transId, r.siteCode, r.transNumber, r.occurredUnix, r.localDay, r.localHour,
        r.totalCents, r.status, sale, redemption, r.customerId, now,
      ).changes;
      if (!inserted) {
        const p = previousStmt.get(databaseKey, r.transId)!;
        accumulate(days, hours, {
          siteCode: p.site_code, localDay: p.local_day, localHour: p.local_hour, totalCents: p.total_cents,
          status: p.status, isPlanSale: p.is_plan_sale === 1, isPlanRedemption: p.is_plan_redemption === 1,
        }, -1);
        updateStmt.run(
          r.siteCode, r.transNumber, r.occurredUnix, r.localDay, r.localHour, r.totalCents, r.status, sale, redemption,
          r.customerId, now, databaseKey, r.transId,
        );
      }
      accumulate(days, hours, r, 1);
    }
    for (const [key, d] of days) {
      const [siteCode, localDay] = key.split('\u0000') as [string, string];
      dailyDeltaStmt.run(databaseKey, siteCode, localDay, ...d, now);
    }
    for (const [key, h] of hours) {
      if (h.every((v) => v === 0)) continue;
      const [siteCode, localDay, hour] = key.split('\u0000') as [string, string, string];
      hourlyDeltaStmt.run(databaseKey, siteCode, localDay, Number(hour), ...h);
      if (h[0]! < 0) hourlyPruneStmt.run(databaseKey, siteCode, localDay, Number(hour));
    }
    return new Set(days.keys());
  });

  return {
    upsert: (databaseKey, rows, now = Date.now()) => upsertTx(databaseKey, rows, now),
    recompute: (databaseKey, siteCode, localDays, now = Date.now()) => {
      sqlite.transaction(() => {
        for (const localDay of localDays) {
          rollupStmt.run({ databaseKey, siteCode, localDay, now });
          clearHoursStmt.run(databaseKey, siteCode, localDay);
          hoursStmt.run(databaseKey, siteCode, localDay);
        }
      })();
    },
  };
}
