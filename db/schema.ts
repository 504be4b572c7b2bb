/**
 * Washboard's SQLite schema: the single source of the tables' shape. Migrations in `db/migrations`
 * are generated from this file (`npm run db:generate`) and never edited by hand.
 *
 * Conventions: times are epoch milliseconds (`*_at`) unless named `*_unix` (Unix seconds, as the
 * Sonny's API speaks); local days are `YYYY-MM-DD` strings in the site's time zone; money is integer
 * cents (FACTS §0: "Money is summed in integer cents").
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export * from './auth-schema';

/** One Sonny's BackOffice instance (one API ID). The API key never lands in SQLite. */
export const databases = sqliteTable('databases', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  apiId: text('api_id').notNull(),
  /** Zone for sites whose `/site/list` entry has none. */
  defaultTimezone: text('default_timezone').notNull(),
  isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** A `/site/list` entry. Sites that disappear are marked (`removedAt`), never deleted with their history. */
export const sites = sqliteTable(
  'sites',
  {
    databaseKey: text('database_key')
      .notNull()
      .references(() => databases.key),
    code: text('code').notNull(),
    siteId: integer('site_id'),
    name: text('name').notNull(),
    /** As the API reports it; null when the API has none. */
    timezone: text('timezone'),
    /**
     * The operator's zone for this site (`SONNYS_<KEY>_SITE_TIMEZONES`), which wins over the API's;
     * null when none is set.
     */
    timezoneSetting: text('timezone_setting'),
    /** The zone local days are computed in: the setting, else `timezone`, else the database's default. */
    effectiveTimezone: text('effective_timezone').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    removedAt: integer('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.code] })],
);

/** Raw v2 transactions, the archive that outlives the API's 6-month horizon. */
export const transactions = sqliteTable(
  'transactions',
  {
    databaseKey: text('database_key').notNull(),
    transId: text('trans_id').notNull(),
    siteCode: text('site_code').notNull(),
    transNumber: integer('trans_number'),
    /** The API's `date` (UTC), as Unix seconds. */
    occurredUnix: integer('occurred_unix').notNull(),
    /** `date` converted to the site's zone. */
    localDay: text('local_day').notNull(),
    /** 0-23, local hour, for the busiest-hours view. */
    localHour: integer('local_hour').notNull(),
    totalCents: integer('total_cents').notNull(),
    /** Kept verbatim, known or not (Completed, Voided, ...). */
    status: text('status').notNull(),
    isPlanSale: integer('is_plan_sale', { mode: 'boolean' }).notNull(),
    isPlanRedemption: integer('is_plan_redemption', { mode: 'boolean' }).notNull(),
    customerId: text('customer_id'),
    syncedAt: integer('synced_at').notNull(),
    /** In `/transaction/type/wash` for its site (FACTS §0.1); null until that list has been read for its day. */
    isWash: integer('is_wash', { mode: 'boolean' }),
    /** For plan sales: the detail's `isRecurringSale` (a new membership, not an upgrade); null until checked. */
    isNewMembership: integer('is_new_membership', { mode: 'boolean' }),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.transId] }),
    // One index serves the day-range reads (exports, repair) and their time order; a second index
    // on time alone cost every insert a write for no query.
    index('transactions_site_day_time_idx').on(t.databaseKey, t.siteCode, t.localDay, t.occurredUnix),
  ],
);

/**
 * Per (database, site, local day) figures under FACTS §0, recomputed in the same SQLite
 * transaction as the rows they summarise.
 */
export const dailyRollups = sqliteTable(
  'daily_rollups',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** Completed transactions (our "transactions"). */
    transactions: integer('transactions').notNull(),
    /** Sum of `total` over Completed non-redemptions. */
    revenueCents: integer('revenue_cents').notNull(),
    /** Completed non-redemptions: the average ticket's denominator. */
    salesCount: integer('sales_count').notNull(),
    membershipSales: integer('membership_sales').notNull(),
    membershipSalesCents: integer('membership_sales_cents').notNull(),
    redemptions: integer('redemptions').notNull(),
    /** List value of redeemed washes (FACTS Q14): shown, never counted as revenue. */
    redemptionValueCents: integer('redemption_value_cents').notNull(),
    refunds: integer('refunds').notNull(),
    refundsCents: integer('refunds_cents').notNull(),
    voided: integer('voided').notNull(),
    /** Every status other than Completed and Voided. */
    otherStatus: integer('other_status').notNull(),
    // Car-wash KPIs (FACTS §0.1, issue #11); member washes are `redemptions`.
    planSaleWashes: integer('plan_sale_washes').notNull().default(0),
    retailWashes: integer('retail_washes').notNull().default(0),
    freeWashes: integer('free_washes').notNull().default(0),
    newMemberships: integer('new_memberships').notNull().default(0),
    /** Completed transactions whose wash flag is not known yet: the day's wash figures are incomplete while > 0. */
    unclassifiedWashes: integer('unclassified_washes').notNull().default(0),
    /** Completed plan sales not verified yet: the day's new memberships are incomplete while > 0. */
    unverifiedPlanSales: integer('unverified_plan_sales').notNull().default(0),
    /** Labor of the clock entries that began on the day at the site. */
    laborEntries: integer('labor_entries').notNull().default(0),
    laborHundredths: integer('labor_hundredths').notNull().default(0),
    laborCostCents: integer('labor_cost_cents').notNull().default(0),
    /** Entries still clocked in: the day's labor is incomplete while > 0. */
    openShifts: integer('open_shifts').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay] }),
    index('daily_rollups_day_idx').on(t.localDay),
    // Covering index for the reports' range sums (issue #6): the primary key's index finds the
    // rows, but every row then costs a lookup in the table; this one holds the summed columns, so
    // a year of 20 sites (both periods, 14 600 rows) is read from the index alone, in site order,
    // with no sort for the GROUP BY (12 ms → 6 ms).
    index('daily_rollups_site_day_totals_idx').on(
      t.databaseKey,
      t.siteCode,
      t.localDay,
      t.transactions,
      t.revenueCents,
      t.salesCount,
      t.membershipSales,
      t.membershipSalesCents,
      t.redemptions,
      t.redemptionValueCents,
      t.refunds,
      t.refundsCents,
      t.voided,
      t.otherStatus,
      t.planSaleWashes,
      t.retailWashes,
      t.freeWashes,
      t.newMemberships,
      t.unclassifiedWashes,
      t.unverifiedPlanSales,
      t.laborEntries,
      t.laborHundredths,
      t.laborCostCents,
      t.openShifts,
    ),
  ],
);

/**
 * Per (database, site, local day, local hour) Completed transactions and revenue, derived from the raw
 * rows with the daily rollup, so "busiest hours" over a year reads a few thousand rows, not 300 000.
 */
export const hourlyRollups = sqliteTable(
  'hourly_rollups',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    localHour: integer('local_hour').notNull(),
    transactions: integer('transactions').notNull(),
    revenueCents: integer('revenue_cents').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay, t.localHour] }),
    // Covering, as for the daily rollups: a site's year of hours (~5 500 rows) without a table
    // lookup per row (3 ms → 1 ms).
    index('hourly_rollups_site_day_hour_totals_idx').on(t.databaseKey, t.siteCode, t.localDay, t.localHour, t.transactions, t.revenueCents),
  ],
);

/** One sync of one database. */
export const syncRuns = sqliteTable(
  'sync_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    databaseKey: text('database_key').notNull(),
    /** manual | scheduled | cli | startup */
    trigger: text('trigger').notNull(),
    /** running | succeeded | failed | interrupted */
    status: text('status').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    /** Written at least every second while running; a stale heartbeat means the process died. */
    heartbeatAt: integer('heartbeat_at').notNull(),
    plannedRequests: integer('planned_requests').notNull().default(0),
    doneRequests: integer('done_requests').notNull().default(0),
    rows: integer('rows').notNull().default(0),
    /** Forecast end from the remaining requests at the API's rate. */
    etaAt: integer('eta_at'),
    /** What happened, in plain words (shown to managers). */
    message: text('message'),
    /** The requested local-day range, when a person asked for one. */
    fromDay: text('from_day'),
    toDay: text('to_day'),
    /** interactive (a person is waiting) or background. */
    priority: text('priority').notNull().default('background'),
  },
  (t) => [index('sync_runs_database_started_idx').on(t.databaseKey, t.startedAt)],
);

/**
 * The planned work of a run. `kind` says what is fetched: `transactions` (a v2 range of one site,
 * page by page), `washes` (the wash list of a range of one site, page by page), `memberships`
 * (verifying one site-day's plan sales), or `labor` (every employee's clock entries for a window of
 * days, database-wide: `next_page` is then the next employee ID to fetch). `nextPage` moves
 * forward in the same SQLite transaction as each page's rows, which makes a run resumable.
 */
export const syncChunks = sqliteTable(
  'sync_chunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id').notNull(),
    databaseKey: text('database_key').notNull(),
    kind: text('kind').notNull().default('transactions'),
    /** Empty for database-wide work (labor). */
    siteCode: text('site_code').notNull(),
    startUnix: integer('start_unix').notNull(),
    endUnix: integer('end_unix').notNull(),
    /** First and last local day the range covers. */
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
    /** Work order: recent days first so the dashboard fills from today backwards. */
    ordinal: integer('ordinal').notNull(),
    nextPage: integer('next_page').notNull().default(1),
    /** pending | done */
    status: text('status').notNull(),
    rows: integer('rows').notNull().default(0),
    /**
     * When page 1 of this range was requested. The API serves a v2 query from a 10-minute snapshot
     * (FACTS §2.2 #5): a resume within it continues at `nextPage`; later, pages may have shifted and
     * the range starts over, so no row is skipped.
     */
    firstFetchedAt: integer('first_fetched_at'),
    /** Estimated pages, from the site's recent rows per day, for the run's progress and ETA. */
    estimatedPages: integer('estimated_pages').notNull().default(1),
    completedAt: integer('completed_at'),
  },
  (t) => [index('sync_chunks_run_idx').on(t.runId, t.status, t.ordinal)],
);

/**
 * Which local days of a site a sync has fetched in full, and as of when (drives incremental
 * planning, freshness and every "complete" marker). A day is complete when it was fetched after it
 * had ended (`synced_at >= day_end_at`); before that its figures are partial, as of `synced_at`.
 */
export const siteCoverage = sqliteTable(
  'site_coverage',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** When the day was last fetched in full (the range's first request). */
    syncedAt: integer('synced_at').notNull(),
    /**
     * When clock entries of the days around this one (D - 1 to D + 1, see `labor_coverage`) were
     * last all fetched: the oldest of the three; null while one is missing.
     */
    laborSyncedAt: integer('labor_synced_at'),
    /**
     * The instant the local day ends in the site's zone (epoch ms). Written with every fetch; null
     * only on rows from before this column existed until start-up fills it in (null reads as "not
     * complete", never the other way round).
     */
    dayEndAt: integer('day_end_at'),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay] })],
);

/**
 * Days whose clock entries a sync fetched for every employee of a database, as of when (labor,
 * FACTS §0.1). The endpoint filters by day without saying in which zone, so a site's local day D
 * counts as fetched when D - 1, D and D + 1 all were.
 */
export const laborCoverage = sqliteTable(
  'labor_coverage',
  {
    databaseKey: text('database_key').notNull(),
    localDay: text('local_day').notNull(),
    syncedAt: integer('synced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.localDay] })],
);

/** `/employee` of a database, refreshed at most hourly (like the site list): who has clock entries to fetch. */
export const employees = sqliteTable(
  'employees',
  {
    databaseKey: text('database_key').notNull(),
    employeeId: integer('employee_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.employeeId] })],
);

/**
 * Clock entries (FACTS §2.2 #12), one per shift, keyed by employee and clock-in (which BackOffice
 * never edits). Each belongs to the local day of its clock-in at its own site.
 */
export const clockEntries = sqliteTable(
  'clock_entries',
  {
    databaseKey: text('database_key').notNull(),
    employeeId: integer('employee_id').notNull(),
    clockInUnix: integer('clock_in_unix').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** Null while clocked in. */
    clockOutUnix: integer('clock_out_unix'),
    regularHundredths: integer('regular_hundredths').notNull(),
    overtimeHundredths: integer('overtime_hundredths').notNull(),
    regularRateCents: integer('regular_rate_cents').notNull(),
    overtimeRateCents: integer('overtime_rate_cents').notNull(),
    /** round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)), FACTS §0.1. */
    costCents: integer('cost_cents').notNull(),
    wasModified: integer('was_modified', { mode: 'boolean' }).notNull(),
    syncedAt: integer('synced_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.employeeId, t.clockInUnix] }),
    index('clock_entries_site_day_idx').on(t.databaseKey, t.siteCode, t.localDay),
  ],
);

/** One run per database at a time, across processes; a crashed holder's lease expires. */
export const syncLeases = sqliteTable('sync_leases', {
  databaseKey: text('database_key').primaryKey(),
  runId: integer('run_id').notNull(),
  owner: text('owner').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

// ---- The rate limiter's shared state (db/sqlite/rate-limit-store.ts, db/postgres/rate-limit-store.ts) --------------------
// One budget per API ID for every process on the machine. The SDK's SQLite store uses these
// tables as they are; it also carries the same DDL (IF NOT EXISTS) for standalone library users.

export const rateLimitRequests = sqliteTable(
  'rate_limit_requests',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    priority: text('priority').notNull(),
    sentAt: integer('sent_at').notNull(),
    respondedAt: integer('responded_at'),
    status: integer('status'),
    rateLimited: integer('rate_limited').notNull().default(0),
    /** The floor of the decision that granted it (policy.ts); null once forgotten. */
    windowFloor: integer('window_floor'),
  },
  (t) => [index('rate_limit_requests_api_sent_idx').on(t.apiId, t.sentAt)],
);

export const rateLimitWaiters = sqliteTable(
  'rate_limit_waiters',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    priority: text('priority').notNull(),
    enqueuedAt: integer('enqueued_at').notNull(),
    heartbeatAt: integer('heartbeat_at').notNull(),
  },
  (t) => [index('rate_limit_waiters_api_idx').on(t.apiId)],
);

export const rateLimitState = sqliteTable('rate_limit_state', {
  apiId: text('api_id').primaryKey(),
  blockedUntil: integer('blocked_until'),
  /** After a 429 the sliding rule applies until this time (policy.ts, "Another program"). */
  slidingUntil: integer('sliding_until'),
});

/** Small process-independent facts (e.g. the demo simulator's address) keyed by name. */
export const appState = sqliteTable('app_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});

export type Database = typeof databases.$inferSelect;
export type Site = typeof sites.$inferSelect;
export type Transaction = typeof transactions.$inferSelect;
export type NewTransaction = typeof transactions.$inferInsert;
export type DailyRollup = typeof dailyRollups.$inferSelect;
export type HourlyRollup = typeof hourlyRollups.$inferSelect;
export type SyncRun = typeof syncRuns.$inferSelect;
export type SyncChunk = typeof syncChunks.$inferSelect;
export type ClockEntry = typeof clockEntries.$inferSelect;
