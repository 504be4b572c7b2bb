/**
 * Writing transactions and their daily rollups. Every write goes through {@link createIngestor}, which
 * upserts a batch of rows and recomputes the daily and hourly rollups of every (site, local day) the batch touched
 * in the SAME SQLite transaction, so a reader never sees rows without their rollup (issue #5).
 *
 * Rollups follow FACTS §0: transactions = Completed; revenue = Σ total over Completed
 * non-redemptions (refunds reduce it); average-ticket denominator = Completed non-redemptions.
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

const UPSERT_SQL = `
INSERT INTO transactions (database_key, trans_id, site_code, trans_number, occurred_unix, local_day, local_hour,
  total_cents, status, is_plan_sale, is_plan_redemption, customer_id, synced_at)
VALUES (@databaseKey, @transId, @siteCode, @transNumber, @occurredUnix, @localDay, @localHour,
  @totalCents, @status, @isPlanSale, @isPlanRedemption, @customerId, @syncedAt)
ON CONFLICT (database_key, trans_id) DO UPDATE SET
  site_code = excluded.site_code, trans_number = excluded.trans_number, occurred_unix = excluded.occurred_unix,
  local_day = excluded.local_day, local_hour = excluded.local_hour, total_cents = excluded.total_cents,
  status = excluded.status, is_plan_sale = excluded.is_plan_sale, is_plan_redemption = excluded.is_plan_redemption,
  customer_id = excluded.customer_id, synced_at = excluded.synced_at`;

/** The day's previous place, in case an update moved a row to another site or day. */
const PREVIOUS_SQL = `SELECT site_code, local_day FROM transactions WHERE database_key = ? AND trans_id = ?`;

const ROLLUP_SQL = `
INSERT INTO daily_rollups (database_key, site_code, local_day, transactions, revenue_cents, sales_count,
  membership_sales, membership_sales_cents, redemptions, redemption_value_cents, refunds, refunds_cents,
  voided, other_status, updated_at)
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
  transactions = excluded.transactions, revenue_cents = excluded.revenue_cents, sales_count = excluded.sales_count,
  membership_sales = excluded.membership_sales, membership_sales_cents = excluded.membership_sales_cents,
  redemptions = excluded.redemptions, redemption_value_cents = excluded.redemption_value_cents,
  refunds = excluded.refunds, refunds_cents = excluded.refunds_cents, voided = excluded.voided,
  other_status = excluded.other_status, updated_at = excluded.updated_at`;

const CLEAR_HOURS_SQL = `DELETE FROM hourly_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`;
const HOURS_SQL = `
INSERT INTO hourly_rollups (database_key, site_code, local_day, local_hour, transactions, revenue_cents)
SELECT database_key, site_code, local_day, local_hour,
  count(*),
  coalesce(sum(total_cents) FILTER (WHERE NOT is_plan_redemption), 0)
FROM transactions
WHERE database_key = ? AND site_code = ? AND local_day = ? AND status = 'Completed'
GROUP BY local_hour`;

export interface Ingestor {
  /**
   * Upserts rows and recomputes the rollups they touch. Runs inside the caller's transaction when
   * there is one (so the sync can also move its page cursor atomically), else opens its own.
   * Returns the (site, day) keys whose rollups were recomputed.
   */
  upsert(databaseKey: string, rows: readonly StoredTransaction[], now?: number): Set<string>;
  /** Recomputes the rollups of the given days (e.g. after a time zone correction). */
  recompute(databaseKey: string, siteCode: string, localDays: Iterable<string>, now?: number): void;
}

export function createIngestor(sqlite: Database.Database): Ingestor {
  const upsertStmt = sqlite.prepare(UPSERT_SQL);
  const previousStmt = sqlite.prepare<[string, string], { site_code: string; local_day: string }>(PREVIOUS_SQL);
  const rollupStmt = sqlite.prepare(ROLLUP_SQL);
  const clearHoursStmt = sqlite.prepare(CLEAR_HOURS_SQL);
  const hoursStmt = sqlite.prepare(HOURS_SQL);

  const recomputeKeys = (databaseKey: string, keys: Set<string>, now: number) => {
    for (const key of keys) {
      const [siteCode, localDay] = key.split('\u0000') as [string, string];
      rollupStmt.run({ databaseKey, siteCode, localDay, now });
      clearHoursStmt.run(databaseKey, siteCode, localDay);
      hoursStmt.run(databaseKey, siteCode, localDay);
    }
  };

  const upsertTx = sqlite.transaction((databaseKey: string, rows: readonly StoredTransaction[], now: number) => {
    const touched = new Set<string>();
    for (const row of rows) {
      const previous = previousStmt.get(databaseKey, row.transId);
      if (previous && (previous.site_code !== row.siteCode || previous.local_day !== row.localDay)) {
        touched.add(`${previous.site_code}\u0000${previous.local_day}`);
      }
      upsertStmt.run({
        databaseKey,
        transId: row.transId,
        siteCode: row.siteCode,
        transNumber: row.transNumber,
        occurredUnix: row.occurredUnix,
        localDay: row.localDay,
        localHour: row.localHour,
        totalCents: row.totalCents,
        status: row.status,
        isPlanSale: row.isPlanSale ? 1 : 0,
        isPlanRedemption: row.isPlanRedemption ? 1 : 0,
        customerId: row.customerId,
        syncedAt: now,
      });
      touched.add(`${row.siteCode}\u0000${row.localDay}`);
    }
    recomputeKeys(databaseKey, touched, now);
    return touched;
  });

  return {
    upsert: (databaseKey, rows, now = Date.now()) => upsertTx(databaseKey, rows, now),
    recompute: (databaseKey, siteCode, localDays, now = Date.now()) => {
      const keys = new Set([...localDays].map((d) => `${siteCode}\u0000${d}`));
      sqlite.transaction(() => recomputeKeys(databaseKey, keys, now))();
    },
  };
}
