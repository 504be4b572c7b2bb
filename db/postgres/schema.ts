/**
 * Washboard's Postgres schema: the same tables, columns and keys as the SQLite schema (db/schema.ts),
 * in Postgres types. Migrations in `db/postgres/migrations` are generated from this file
 * (`npm run db:generate`) and never edited by hand. A test (tests/unit/db/schemas.test.ts) holds the
 * two schemas to the same tables and columns.
 *
 * Differences from SQLite, all in types: epoch times, Unix seconds and cents are `bigint` (read as
 * JavaScript numbers: they stay far below 2^53), flags are `boolean`, auto-increment ids are
 * identity columns, and Better Auth's dates are `timestamptz`.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export * from './auth-schema';

/** One Sonny's BackOffice instance (one API ID). The API key never lands in SQLite. */
export const databases = pgTable('databases', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  apiId: text('api_id').notNull(),
  /** Zone for sites whose `/site/list` entry has none. */
  defaultTimezone: text('default_timezone').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

/** A `/site/list` entry. Sites that disappear are marked (`removedAt`), never deleted with their history. */
export const sites = pgTable(
  'sites',
  {
    databaseKey: text('database_key')
      .notNull()
      .references(() => databases.key),
    code: text('code').notNull(),
    siteId: bigint('site_id', { mode: 'number' }),
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
    firstSeenAt: bigint('first_seen_at', { mode: 'number' }).notNull(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
    removedAt: bigint('removed_at', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.code] })],
);

/** Raw v2 transactions, the archive that outlives the API's 6-month horizon. */
export const transactions = pgTable(
  'transactions',
  {
    databaseKey: text('database_key').notNull(),
    transId: text('trans_id').notNull(),
    siteCode: text('site_code').notNull(),
    transNumber: bigint('trans_number', { mode: 'number' }),
    /** The API's `date` (UTC), as Unix seconds. */
    occurredUnix: bigint('occurred_unix', { mode: 'number' }).notNull(),
    /** `date` converted to the site's zone. */
    localDay: text('local_day').notNull(),
    /** 0-23, local hour, for the busiest-hours view. */
    localHour: bigint('local_hour', { mode: 'number' }).notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    /** Kept verbatim, known or not (Completed, Voided, ...). */
    status: text('status').notNull(),
    isPlanSale: boolean('is_plan_sale').notNull(),
    isPlanRedemption: boolean('is_plan_redemption').notNull(),
    customerId: text('customer_id'),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
    /** In `/transaction/type/wash` for its site (FACTS §0.1); null until that list has been read for its day. */
    isWash: boolean('is_wash'),
    /** For plan sales: the detail's `isRecurringSale` (a new membership, not an upgrade); null until checked. */
    isNewMembership: boolean('is_new_membership'),
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
export const dailyRollups = pgTable(
  'daily_rollups',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** Completed transactions (our "transactions"). */
    transactions: bigint('transactions', { mode: 'number' }).notNull(),
    /** Sum of `total` over Completed non-redemptions. */
    revenueCents: bigint('revenue_cents', { mode: 'number' }).notNull(),
    /** Completed non-redemptions: the average ticket's denominator. */
    salesCount: bigint('sales_count', { mode: 'number' }).notNull(),
    membershipSales: bigint('membership_sales', { mode: 'number' }).notNull(),
    membershipSalesCents: bigint('membership_sales_cents', { mode: 'number' }).notNull(),
    redemptions: bigint('redemptions', { mode: 'number' }).notNull(),
    /** List value of redeemed washes (FACTS Q14): shown, never counted as revenue. */
    redemptionValueCents: bigint('redemption_value_cents', { mode: 'number' }).notNull(),
    refunds: bigint('refunds', { mode: 'number' }).notNull(),
    refundsCents: bigint('refunds_cents', { mode: 'number' }).notNull(),
    voided: bigint('voided', { mode: 'number' }).notNull(),
    /** Every status other than Completed and Voided. */
    otherStatus: bigint('other_status', { mode: 'number' }).notNull(),
    // Car-wash KPIs (FACTS §0.1, issue #11); member washes are `redemptions`.
    planSaleWashes: bigint('plan_sale_washes', { mode: 'number' }).notNull().default(0),
    retailWashes: bigint('retail_washes', { mode: 'number' }).notNull().default(0),
    freeWashes: bigint('free_washes', { mode: 'number' }).notNull().default(0),
    newMemberships: bigint('new_memberships', { mode: 'number' }).notNull().default(0),
    /** Completed transactions whose wash flag is not known yet: the day's wash figures are incomplete while > 0. */
    unclassifiedWashes: bigint('unclassified_washes', { mode: 'number' }).notNull().default(0),
    /** Completed plan sales not verified yet: the day's new memberships are incomplete while > 0. */
    unverifiedPlanSales: bigint('unverified_plan_sales', { mode: 'number' }).notNull().default(0),
    /** Labor of the clock entries that began on the day at the site. */
    laborEntries: bigint('labor_entries', { mode: 'number' }).notNull().default(0),
    laborHundredths: bigint('labor_hundredths', { mode: 'number' }).notNull().default(0),
    laborCostCents: bigint('labor_cost_cents', { mode: 'number' }).notNull().default(0),
    /** Entries still clocked in: the day's labor is incomplete while > 0. */
    openShifts: bigint('open_shifts', { mode: 'number' }).notNull().default(0),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
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
export const hourlyRollups = pgTable(
  'hourly_rollups',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    localHour: bigint('local_hour', { mode: 'number' }).notNull(),
    transactions: bigint('transactions', { mode: 'number' }).notNull(),
    revenueCents: bigint('revenue_cents', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay, t.localHour] }),
    // Covering, as for the daily rollups: a site's year of hours (~5 500 rows) without a table
    // lookup per row (3 ms → 1 ms).
    index('hourly_rollups_site_day_hour_totals_idx').on(t.databaseKey, t.siteCode, t.localDay, t.localHour, t.transactions, t.revenueCents),
  ],
);

/** One sync of one database. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    databaseKey: text('database_key').notNull(),
    /** manual | scheduled | cli | startup */
    trigger: text('trigger').notNull(),
    /** running | succeeded | failed | interrupted */
    status: text('status').notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }),
    /** Written at least every second while running; a stale heartbeat means the process died. */
    heartbeatAt: bigint('heartbeat_at', { mode: 'number' }).notNull(),
    plannedRequests: bigint('planned_requests', { mode: 'number' }).notNull().default(0),
    doneRequests: bigint('done_requests', { mode: 'number' }).notNull().default(0),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    /** Forecast end from the remaining requests at the API's rate. */
    etaAt: bigint('eta_at', { mode: 'number' }),
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
export const syncChunks = pgTable(
  'sync_chunks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    databaseKey: text('database_key').notNull(),
    kind: text('kind').notNull().default('transactions'),
    /** Empty for database-wide work (labor). */
    siteCode: text('site_code').notNull(),
    startUnix: bigint('start_unix', { mode: 'number' }).notNull(),
    endUnix: bigint('end_unix', { mode: 'number' }).notNull(),
    /** First and last local day the range covers. */
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
    /** Work order: recent days first so the dashboard fills from today backwards. */
    ordinal: bigint('ordinal', { mode: 'number' }).notNull(),
    nextPage: bigint('next_page', { mode: 'number' }).notNull().default(1),
    /** pending | done */
    status: text('status').notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    /**
     * When page 1 of this range was requested. The API serves a v2 query from a 10-minute snapshot
     * (FACTS §2.2 #5): a resume within it continues at `nextPage`; later, pages may have shifted and
     * the range starts over, so no row is skipped.
     */
    firstFetchedAt: bigint('first_fetched_at', { mode: 'number' }),
    /** Estimated pages, from the site's recent rows per day, for the run's progress and ETA. */
    estimatedPages: bigint('estimated_pages', { mode: 'number' }).notNull().default(1),
    completedAt: bigint('completed_at', { mode: 'number' }),
  },
  (t) => [index('sync_chunks_run_idx').on(t.runId, t.status, t.ordinal)],
);

/**
 * Which local days of a site a sync has fetched in full, and as of when (drives incremental
 * planning, freshness and every "complete" marker). A day is complete when it was fetched after it
 * had ended (`synced_at >= day_end_at`); before that its figures are partial, as of `synced_at`.
 */
export const siteCoverage = pgTable(
  'site_coverage',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** When the day was last fetched in full (the range's first request). */
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
    /**
     * When clock entries of the days around this one (D - 1 to D + 1, see `labor_coverage`) were
     * last all fetched: the oldest of the three; null while one is missing.
     */
    laborSyncedAt: bigint('labor_synced_at', { mode: 'number' }),
    /**
     * The instant the local day ends in the site's zone (epoch ms). Written with every fetch; null
     * only on rows from before this column existed until start-up fills it in (null reads as "not
     * complete", never the other way round).
     */
    dayEndAt: bigint('day_end_at', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay] })],
);

/**
 * Days whose clock entries a sync fetched for every employee of a database, as of when (labor,
 * FACTS §0.1). The endpoint filters by day without saying in which zone, so a site's local day D
 * counts as fetched when D - 1, D and D + 1 all were.
 */
export const laborCoverage = pgTable(
  'labor_coverage',
  {
    databaseKey: text('database_key').notNull(),
    localDay: text('local_day').notNull(),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.localDay] })],
);

/** `/employee` of a database, refreshed at most hourly (like the site list): who has clock entries to fetch. */
export const employees = pgTable(
  'employees',
  {
    databaseKey: text('database_key').notNull(),
    employeeId: bigint('employee_id', { mode: 'number' }).notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.employeeId] })],
);

/**
 * Clock entries (FACTS §2.2 #12), one per shift, keyed by employee and clock-in (which BackOffice
 * never edits). Each belongs to the local day of its clock-in at its own site.
 */
export const clockEntries = pgTable(
  'clock_entries',
  {
    databaseKey: text('database_key').notNull(),
    employeeId: bigint('employee_id', { mode: 'number' }).notNull(),
    clockInUnix: bigint('clock_in_unix', { mode: 'number' }).notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    /** Null while clocked in. */
    clockOutUnix: bigint('clock_out_unix', { mode: 'number' }),
    regularHundredths: bigint('regular_hundredths', { mode: 'number' }).notNull(),
    overtimeHundredths: bigint('overtime_hundredths', { mode: 'number' }).notNull(),
    regularRateCents: bigint('regular_rate_cents', { mode: 'number' }).notNull(),
    overtimeRateCents: bigint('overtime_rate_cents', { mode: 'number' }).notNull(),
    /** round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)), FACTS §0.1. */
    costCents: bigint('cost_cents', { mode: 'number' }).notNull(),
    wasModified: boolean('was_modified').notNull(),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.employeeId, t.clockInUnix] }),
    index('clock_entries_site_day_idx').on(t.databaseKey, t.siteCode, t.localDay),
  ],
);

/** One run per database at a time, across processes; a crashed holder's lease expires. */
export const syncLeases = pgTable('sync_leases', {
  databaseKey: text('database_key').primaryKey(),
  runId: bigint('run_id', { mode: 'number' }).notNull(),
  owner: text('owner').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

// ---- The rate limiter's shared state (db/sqlite/rate-limit-store.ts, db/postgres/rate-limit-store.ts) --------------------
// One budget per API ID for every process on the machine. The SDK's SQLite store uses these
// tables as they are; it also carries the same DDL (IF NOT EXISTS) for standalone library users.

export const rateLimitRequests = pgTable(
  'rate_limit_requests',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    priority: text('priority').notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }).notNull(),
    respondedAt: bigint('responded_at', { mode: 'number' }),
    status: bigint('status', { mode: 'number' }),
    rateLimited: bigint('rate_limited', { mode: 'number' }).notNull().default(0),
    /** The floor of the decision that granted it (policy.ts); null once forgotten. */
    windowFloor: bigint('window_floor', { mode: 'number' }),
  },
  (t) => [index('rate_limit_requests_api_sent_idx').on(t.apiId, t.sentAt)],
);

export const rateLimitWaiters = pgTable(
  'rate_limit_waiters',
  {
    id: text('id').primaryKey(),
    apiId: text('api_id').notNull(),
    priority: text('priority').notNull(),
    enqueuedAt: bigint('enqueued_at', { mode: 'number' }).notNull(),
    heartbeatAt: bigint('heartbeat_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('rate_limit_waiters_api_idx').on(t.apiId)],
);

export const rateLimitState = pgTable('rate_limit_state', {
  apiId: text('api_id').primaryKey(),
  blockedUntil: bigint('blocked_until', { mode: 'number' }),
  /** After a 429 the sliding rule applies until this time (policy.ts, "Another program"). */
  slidingUntil: bigint('sliding_until', { mode: 'number' }),
});

/** Small process-independent facts (e.g. the demo simulator's address) keyed by name. */
export const appState = pgTable('app_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' })
    .notNull()
    .default(sql`(extract(epoch from now()) * 1000)::bigint`),
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
