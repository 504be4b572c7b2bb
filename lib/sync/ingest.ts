/**
 * Writing transactions and their rollups. Every write goes through {@link createIngestor}, which
 * upserts a batch of rows and moves the daily and hourly rollups of every (site, local day) the
 * batch touched in the SAME SQLite transaction, so a reader never sees rows without their rollup
 * (issue #5).
 *
 * Rollups follow FACTS §0: transactions = Completed; revenue = Σ total over Completed
 * non-redemptions (refunds reduce it); average-ticket denominator = Completed non-redemptions.
 *
 * Speed: a row's contribution is computed in JS and the batch's deltas are applied once per
 * touched day and hour, instead of re-aggregating whole days per page (which cost 3× the raw
 * upsert). New rows cost one INSERT, as a raw load would; a row already stored is read first so
 * its old contribution can be taken back (a later void, a corrected total, a moved day).
 * `recompute` rebuilds days from the raw rows, for repair and for tests that check the deltas.
 */
import type Database from 'better-sqlite3';

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

const DAILY_COLUMNS = [
  'transactions', 'revenue_cents', 'sales_count', 'membership_sales', 'membership_sales_cents', 'redemptions',
  'redemption_value_cents', 'refunds', 'refunds_cents', 'voided', 'other_status',
] as const;

const DAILY_DELTA_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, updated_at)
VALUES (?, ?, ?, ${DAILY_COLUMNS.map(() => '?').join(', ')}, ?)
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${DAILY_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

const HOURLY_DELTA_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, transactions, revenue_cents)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (database_key, site_code, local_day, local_hour) DO UPDATE SET
  transactions = transactions + excluded.transactions, revenue_cents = revenue_cents + excluded.revenue_cents`;

/** An hour with no Completed transaction left has no row, as `recompute` would leave it. */
const HOURLY_PRUNE_SQL = `
DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ? AND local_hour = ? AND transactions = 0`;

const ROLLUP_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, ${DAILY_COLUMNS.join(', ')}, updated_at)
SELECT @databaseKey, @siteCode, @localDay,
  count(*) FILTER (WHERE status = 'Completed'),
  coalesce(sum(total_cents) FILTER (WHERE status = 'Completed' AND NOT is_plan_redemption), 0),
  count(*) FILTER (WHERE status = 'Completed' AND NOT is_plan_redemption),
  count(*) FILTER (WHERE status = 'Completed' AND is_plan_sale),
  coalesce(sum(total_cents) FILTER (WHERE status = 'Completed' AND is_plan_sale AND NOT is_plan_redemption), 0),
  count(*) FILTER (WHERE status = 'Completed' AND is_plan_redemption),
  coalesce(sum(total_cents) FILTER (WHERE status = 'Completed' AND is_plan_redemption), 0),
  count(*) FILTER (WHERE status = 'Completed' AND NOT is_plan_redemption AND total_cents < 0),
  coalesce(sum(total_cents) FILTER (WHERE status = 'Completed' AND NOT is_plan_redemption AND total_cents < 0), 0),
  count(*) FILTER (WHERE status = 'Voided'),
  count(*) FILTER (WHERE status NOT IN ('Completed', 'Voided')),
  @now
FROM transactions
WHERE database_key = @databaseKey AND site_code = @siteCode AND local_day = @localDay
ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET
  ${DAILY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;

const CLEAR_HOURS_SQL = `DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`;
const HOURS_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, transactions, revenue_cents)
SELECT database_key, site_code, local_day, local_hour,
  count(*),
  coalesce(sum(total_cents) FILTER (WHERE NOT is_plan_redemption), 0)
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day = ? AND status = 'Completed'
GROUP BY local_hour`;

/** The fields of a row that decide its contribution to the rollups. */
interface Contribution {
  siteCode: string;
  localDay: string;
  localHour: number;
  totalCents: number;
  status: string;
  isPlanSale: boolean;
  isPlanRedemption: boolean;
}

/** Adds `sign` × the row's contribution (FACTS §0) into the day's and the hour's delta vectors. */
function accumulate(days: Map<string, number[]>, hours: Map<string, number[]>, row: Contribution, sign: 1 | -1): void {
  const completed = row.status === 'Completed';
  const sale = completed && !row.isPlanRedemption;
  const redemption = completed && row.isPlanRedemption;
  const planSale = completed && row.isPlanSale;
  const refund = sale && row.totalCents < 0;
  const t = row.totalCents;

  const dayKey = `${row.siteCode}\u0000${row.localDay}`;
  let d = days.get(dayKey);
  if (!d) days.set(dayKey, (d = new Array<number>(DAILY_COLUMNS.length).fill(0)));
  d[0]! += sign * (completed ? 1 : 0);
  d[1]! += sign * (sale ? t : 0);
  d[2]! += sign * (sale ? 1 : 0);
  d[3]! += sign * (planSale ? 1 : 0);
  d[4]! += sign * (planSale && sale ? t : 0);
  d[5]! += sign * (redemption ? 1 : 0);
  d[6]! += sign * (redemption ? t : 0);
  d[7]! += sign * (refund ? 1 : 0);
  d[8]! += sign * (refund ? t : 0);
  d[9]! += sign * (row.status === 'Voided' ? 1 : 0);
  d[10]! += sign * (!completed && row.status !== 'Voided' ? 1 : 0);

  if (!completed) return;
  const hourKey = `${dayKey}\u0000${row.localHour}`;
  let h = hours.get(hourKey);
  if (!h) hours.set(hourKey, (h = [0, 0]));
  h[0]! += sign;
  h[1]! += sign * (sale ? t : 0);
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
      if (h[0] === 0 && h[1] === 0) continue;
      const [siteCode, localDay, hour] = key.split('\u0000') as [string, string, string];
      hourlyDeltaStmt.run(databaseKey, siteCode, localDay, Number(hour), h[0], h[1]);
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
