/**
 * Washboard's Postgres schema: the same tables, columns and keys as the SQLite schema (db/schema.ts),
 * in Postgres types. Migrations in `db/postgres/migrations` are generated from this file
 * (`npm run db:generate`) and never edited by hand. A test (tests/unit/db/schemas.test.ts) holds the
 * two schemas to the same tables and columns.
 *
 * Differences from SQLite, all in types: epoch times, Unix seconds and cents are `bigint` (read as
 * JavaScript numbers: they stay far below 2^53), flags are `boolean`, auto-increment ids are
 * identity columns, and Better Auth's dates are `timestamptz`. What each table and column means is
 * said once, in db/schema.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export * from './auth-schema';

export const databases = pgTable('databases', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  apiId: text('api_id').notNull(),
  defaultTimezone: text('default_timezone').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const sites = pgTable(
  'sites',
  {
    databaseKey: text('database_key')
      .notNull()
      .references(() => databases.key),
    code: text('code').notNull(),
    siteId: bigint('site_id', { mode: 'number' }),
    name: text('name').notNull(),
    timezone: text('timezone'),
    timezoneSetting: text('timezone_setting'),
    effectiveTimezone: text('effective_timezone').notNull(),
    firstSeenAt: bigint('first_seen_at', { mode: 'number' }).notNull(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
    removedAt: bigint('removed_at', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.code] })],
);

export const transactions = pgTable(
  'transactions',
  {
    databaseKey: text('database_key').notNull(),
    transId: text('trans_id').notNull(),
    siteCode: text('site_code').notNull(),
    transNumber: bigint('trans_number', { mode: 'number' }),
    occurredUnix: bigint('occurred_unix', { mode: 'number' }).notNull(),
    localDay: text('local_day').notNull(),
    localHour: bigint('local_hour', { mode: 'number' }).notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    isPlanSale: boolean('is_plan_sale').notNull(),
    isPlanRedemption: boolean('is_plan_redemption').notNull(),
    customerId: text('customer_id'),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
    isWash: boolean('is_wash'),
    isNewMembership: boolean('is_new_membership'),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.transId] }),
    index('transactions_site_day_time_idx').on(t.databaseKey, t.siteCode, t.localDay, t.occurredUnix),
  ],
);

export const dailyRollups = pgTable(
  'daily_rollups',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    transactions: bigint('transactions', { mode: 'number' }).notNull(),
    revenueCents: bigint('revenue_cents', { mode: 'number' }).notNull(),
    salesCount: bigint('sales_count', { mode: 'number' }).notNull(),
    membershipSales: bigint('membership_sales', { mode: 'number' }).notNull(),
    membershipSalesCents: bigint('membership_sales_cents', { mode: 'number' }).notNull(),
    redemptions: bigint('redemptions', { mode: 'number' }).notNull(),
    redemptionValueCents: bigint('redemption_value_cents', { mode: 'number' }).notNull(),
    refunds: bigint('refunds', { mode: 'number' }).notNull(),
    refundsCents: bigint('refunds_cents', { mode: 'number' }).notNull(),
    voided: bigint('voided', { mode: 'number' }).notNull(),
    otherStatus: bigint('other_status', { mode: 'number' }).notNull(),
    planSaleWashes: bigint('plan_sale_washes', { mode: 'number' }).notNull().default(0),
    retailWashes: bigint('retail_washes', { mode: 'number' }).notNull().default(0),
    freeWashes: bigint('free_washes', { mode: 'number' }).notNull().default(0),
    newMemberships: bigint('new_memberships', { mode: 'number' }).notNull().default(0),
    unclassifiedWashes: bigint('unclassified_washes', { mode: 'number' }).notNull().default(0),
    unverifiedPlanSales: bigint('unverified_plan_sales', { mode: 'number' }).notNull().default(0),
    laborEntries: bigint('labor_entries', { mode: 'number' }).notNull().default(0),
    laborHundredths: bigint('labor_hundredths', { mode: 'number' }).notNull().default(0),
    laborCostCents: bigint('labor_cost_cents', { mode: 'number' }).notNull().default(0),
    openShifts: bigint('open_shifts', { mode: 'number' }).notNull().default(0),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay] }),
    index('daily_rollups_day_idx').on(t.localDay),
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
    index('hourly_rollups_site_day_hour_totals_idx').on(t.databaseKey, t.siteCode, t.localDay, t.localHour, t.transactions, t.revenueCents),
  ],
);

export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    databaseKey: text('database_key').notNull(),
    trigger: text('trigger').notNull(),
    status: text('status').notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }),
    heartbeatAt: bigint('heartbeat_at', { mode: 'number' }).notNull(),
    plannedRequests: bigint('planned_requests', { mode: 'number' }).notNull().default(0),
    doneRequests: bigint('done_requests', { mode: 'number' }).notNull().default(0),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    etaAt: bigint('eta_at', { mode: 'number' }),
    message: text('message'),
    fromDay: text('from_day'),
    toDay: text('to_day'),
    priority: text('priority').notNull().default('background'),
  },
  (t) => [index('sync_runs_database_started_idx').on(t.databaseKey, t.startedAt)],
);

export const syncChunks = pgTable(
  'sync_chunks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    databaseKey: text('database_key').notNull(),
    kind: text('kind').notNull().default('transactions'),
    siteCode: text('site_code').notNull(),
    startUnix: bigint('start_unix', { mode: 'number' }).notNull(),
    endUnix: bigint('end_unix', { mode: 'number' }).notNull(),
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
    ordinal: bigint('ordinal', { mode: 'number' }).notNull(),
    nextPage: bigint('next_page', { mode: 'number' }).notNull().default(1),
    status: text('status').notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    firstFetchedAt: bigint('first_fetched_at', { mode: 'number' }),
    estimatedPages: bigint('estimated_pages', { mode: 'number' }).notNull().default(1),
    completedAt: bigint('completed_at', { mode: 'number' }),
  },
  (t) => [index('sync_chunks_run_idx').on(t.runId, t.status, t.ordinal)],
);

export const siteCoverage = pgTable(
  'site_coverage',
  {
    databaseKey: text('database_key').notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
    laborSyncedAt: bigint('labor_synced_at', { mode: 'number' }),
    dayEndAt: bigint('day_end_at', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.siteCode, t.localDay] })],
);

export const laborCoverage = pgTable(
  'labor_coverage',
  {
    databaseKey: text('database_key').notNull(),
    localDay: text('local_day').notNull(),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.databaseKey, t.localDay] })],
);

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

export const clockEntries = pgTable(
  'clock_entries',
  {
    databaseKey: text('database_key').notNull(),
    employeeId: bigint('employee_id', { mode: 'number' }).notNull(),
    clockInUnix: bigint('clock_in_unix', { mode: 'number' }).notNull(),
    siteCode: text('site_code').notNull(),
    localDay: text('local_day').notNull(),
    clockOutUnix: bigint('clock_out_unix', { mode: 'number' }),
    regularHundredths: bigint('regular_hundredths', { mode: 'number' }).notNull(),
    overtimeHundredths: bigint('overtime_hundredths', { mode: 'number' }).notNull(),
    regularRateCents: bigint('regular_rate_cents', { mode: 'number' }).notNull(),
    overtimeRateCents: bigint('overtime_rate_cents', { mode: 'number' }).notNull(),
    costCents: bigint('cost_cents', { mode: 'number' }).notNull(),
    wasModified: boolean('was_modified').notNull(),
    syncedAt: bigint('synced_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.databaseKey, t.employeeId, t.clockInUnix] }),
    index('clock_entries_site_day_idx').on(t.databaseKey, t.siteCode, t.localDay),
  ],
);

export const syncLeases = pgTable('sync_leases', {
  databaseKey: text('database_key').primaryKey(),
  runId: bigint('run_id', { mode: 'number' }).notNull(),
  owner: text('owner').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});


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
  slidingUntil: bigint('sliding_until', { mode: 'number' }),
});

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
