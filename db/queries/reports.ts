import 'server-only';
import { getDb } from '@/db';
import type { DailyRollup, Database as DatabaseRow, HourlyRollup, Site } from '@/db/schema';
import { DEFAULT_TIMEZONE } from '@/lib/env';
import { dayCount } from '@/lib/reports/days';
import { addTotals, EMPTY_TOTALS, rollupTotalsSql, type RollupTotals } from '@/lib/reports/kpis';
import { previousPeriod, type DayRange } from '@/lib/reports/range';
import { scopeParams, scopeWhere, type ReportScope } from '@/lib/reports/scope';
import { prepared, readThrough } from './statements';

// Every report reads the rollups (a row per site and day, or per site, day and hour), never the raw
// transactions: a year of 20 sites is 7 300 daily rows against millions of transactions.

/**
 * The zone "today" is computed in for date presets: the first registered database's default zone,
 * else Washboard's default (America/Chicago).
 */
export async function getReportingTimeZone(): Promise<string> {
  const row = prepared<[], Pick<DatabaseRow, 'defaultTimezone'>>(
    getDb().sqlite,
    'SELECT default_timezone AS defaultTimezone FROM databases ORDER BY created_at, key LIMIT 1',
  ).get();
  return row?.defaultTimezone ?? DEFAULT_TIMEZONE;
}

/** First and last local day with any rollup, or null when nothing has been synced yet. */
export async function getDataExtent(): Promise<DayRange | null> {
  const row = prepared<[], { from: string | null; to: string | null }>(
    getDb().sqlite,
    // Two subqueries, not min() and max() in one SELECT: SQLite answers a lone min or max from the
    // day index in one step, but both together scan the whole table (a millisecond per page view).
    'SELECT (SELECT min(local_day) FROM daily_rollups) AS "from", (SELECT max(local_day) FROM daily_rollups) AS "to"',
  ).get();
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

export type SiteTotals = RollupTotals &
  Pick<Site, 'code' | 'databaseKey'> & {
    databaseName: DatabaseRow['name'];
    siteName: Site['name'];
    removed: boolean;
    /** Revenue of the previous period of the same length, for the change column. */
    previousRevenueCents: number;
  };

export interface ReportTotals {
  /** Sites with data in the range, in database then site order. */
  sites: SiteTotals[];
  current: RollupTotals;
  /** The period of the same length just before the range (sites with data only then count too). */
  previous: RollupTotals;
  previousRange: DayRange;
  /**
   * Days of the range a sync has fetched for every site in scope (the sites synced on any day of
   * it). Fewer than the range's days: some days count as nothing because they are not in yet.
   */
  syncedDays: number;
  /**
   * Whether changes against the previous period mean anything: a sync has fetched every one of its
   * days for every site in scope. Against days not fetched yet, every figure would look like growth.
   */
  comparable: boolean;
}

// Both periods grouped by site, then the names joined to the few groups (joining before grouping
// would look the names up once per site and day). The page's KPIs, site table, database split and
// bar chart all come from this one read. One SELECT per period rather than one grouped by
// (site, isCurrent): each then reads the covering index in group order with no sort, half the time.
const periodTotalsSql = (scope: ReportScope) => `
SELECT t.*, coalesce(d.name, t.databaseKey) AS databaseName, coalesce(s.name, t.code) AS siteName,
  s.removed_at IS NOT NULL AS removed
FROM (
  SELECT r.database_key AS databaseKey, r.site_code AS code, 1 AS isCurrent, ${rollupTotalsSql('r')}
  FROM daily_rollups r WHERE ${scopeWhere('r', scope, { groupedBySite: true })}
  GROUP BY r.database_key, r.site_code
  UNION ALL
  SELECT r.database_key AS databaseKey, r.site_code AS code, 0 AS isCurrent, ${rollupTotalsSql('r')}
  FROM daily_rollups r WHERE ${scopeWhere('r', scope, { groupedBySite: true, days: { from: '@previousFrom', to: '@previousTo' } })}
  GROUP BY r.database_key, r.site_code
) t
LEFT JOIN databases d ON d.key = t.databaseKey
LEFT JOIN sites s ON s.database_key = t.databaseKey AND s.code = t.code
ORDER BY databaseName, t.databaseKey, t.code`;

// How much of the range and of its previous period a sync has fetched (site_coverage, one row per
// site and day fetched), for the sites synced on any day of the range.
const coverageSql = (scope: ReportScope) => `
WITH s AS (SELECT DISTINCT c.database_key, c.site_code FROM site_coverage c WHERE ${scopeWhere('c', scope)}),
covered AS (
  SELECT c.local_day FROM site_coverage c JOIN s ON s.database_key = c.database_key AND s.site_code = c.site_code
  WHERE c.local_day BETWEEN @from AND @to
  GROUP BY c.local_day HAVING count(*) = (SELECT count(*) FROM s)
)
SELECT (SELECT count(*) FROM s) AS sites, (SELECT count(*) FROM covered) AS syncedDays,
  (SELECT count(*) FROM site_coverage c JOIN s ON s.database_key = c.database_key AND s.site_code = c.site_code
   WHERE c.local_day BETWEEN @previousFrom AND @previousTo) AS previousSiteDays`;

type PeriodRow = Omit<SiteTotals, 'previousRevenueCents' | 'removed'> & { isCurrent: 0 | 1; removed: 0 | 1 };

/** Totals of a scope and of its previous period, overall and per site. */
export async function getReportTotals({ scope }: { scope: ReportScope }): Promise<ReportTotals> {
  const { sqlite } = getDb();
  return readThrough(sqlite, `totals ${JSON.stringify(scope)}`, () => readReportTotals(sqlite, scope));
}

function readReportTotals(sqlite: ReturnType<typeof getDb>['sqlite'], scope: ReportScope): ReportTotals {
  const previousRange = previousPeriod(scope);
  const rows = prepared<[object], PeriodRow>(sqlite, periodTotalsSql(scope)).all({
    ...scopeParams(scope),
    previousFrom: previousRange.from,
    previousTo: previousRange.to,
  });
  const sites = new Map<string, SiteTotals>();
  const previousRevenue = new Map<string, number>();
  let current = EMPTY_TOTALS;
  let previous = EMPTY_TOTALS;
  for (const { isCurrent, removed, ...row } of rows) {
    const key = `${row.databaseKey}\u0000${row.code}`;
    const totals = pickTotals(row);
    if (isCurrent) {
      current = addTotals(current, totals);
      sites.set(key, { ...row, removed: removed === 1, previousRevenueCents: 0 });
    } else {
      previous = addTotals(previous, totals);
      previousRevenue.set(key, totals.revenueCents);
    }
  }
  for (const [key, site] of sites) site.previousRevenueCents = previousRevenue.get(key) ?? 0;
  const coverage = prepared<[object], { sites: number; syncedDays: number; previousSiteDays: number }>(sqlite, coverageSql(scope)).get({
    ...scopeParams(scope),
    previousFrom: previousRange.from,
    previousTo: previousRange.to,
  })!;
  const comparable = coverage.sites > 0 && coverage.previousSiteDays === coverage.sites * dayCount(previousRange.from, previousRange.to);
  return { sites: [...sites.values()], current, previous, previousRange, syncedDays: coverage.syncedDays, comparable };
}

function pickTotals(row: RollupTotals): RollupTotals {
  const totals = { ...EMPTY_TOTALS };
  for (const key of Object.keys(EMPTY_TOTALS) as (keyof RollupTotals)[]) totals[key] = row[key];
  return totals;
}

export type OverviewKpis = Omit<ReportTotals, 'sites'>;

/** Headline totals for a scope and for the period of the same length just before it. */
export async function getOverviewKpis({ scope }: { scope: ReportScope }): Promise<OverviewKpis> {
  const { sites: _sites, ...kpis } = await getReportTotals({ scope });
  return kpis;
}

/**
 * Totals per site with data in the scope (the site table and the revenue-by-site chart), in
 * database then site order, each with its previous-period revenue.
 */
export async function listSiteTotals({ scope }: { scope: ReportScope }): Promise<SiteTotals[]> {
  return (await getReportTotals({ scope })).sites;
}

export type SiteRevenueSeries = Pick<DailyRollup, 'databaseKey' | 'siteCode'> & {
  /** Revenue in cents per local day that has a rollup; absent days had no transactions. */
  revenueByDay: Record<DailyRollup['localDay'], DailyRollup['revenueCents']>;
};

// One row per site carrying its days as a JSON object: handing SQLite's rows to JavaScript costs
// about a microsecond each, and a year of 20 sites is 7 300 of them; 20 JSON strings parse in far less.
const dailySiteSql = (scope: ReportScope) => `
SELECT r.database_key AS databaseKey, r.site_code AS siteCode, json_group_object(r.local_day, r.revenue_cents) AS days
FROM daily_rollups r WHERE ${scopeWhere('r', scope, { groupedBySite: true })}
GROUP BY r.database_key, r.site_code`;

/** Revenue per local day for each site with data in the scope. */
export async function listDailyRevenueBySite({ scope }: { scope: ReportScope }): Promise<SiteRevenueSeries[]> {
  const { sqlite } = getDb();
  return readThrough(sqlite, `daily-sites ${JSON.stringify(scope)}`, () =>
    prepared<[object], Pick<SiteRevenueSeries, 'databaseKey' | 'siteCode'> & { days: string }>(sqlite, dailySiteSql(scope))
      .all(scopeParams(scope))
      .map((r) => ({ databaseKey: r.databaseKey, siteCode: r.siteCode, revenueByDay: JSON.parse(r.days) as Record<string, number> })),
  );
}

export type DailyTotals = RollupTotals & Pick<DailyRollup, 'localDay'>;

const dailyTotalsSql = (scope: ReportScope) => `
SELECT r.local_day AS localDay, ${rollupTotalsSql('r')}
FROM daily_rollups r WHERE ${scopeWhere('r', scope)}
GROUP BY r.local_day ORDER BY r.local_day`;

/** Totals per local day over the scope (the site page's daily table, summed when it covers several sites). */
export async function listDailyTotals({ scope }: { scope: ReportScope }): Promise<DailyTotals[]> {
  return prepared<[object], DailyTotals>(getDb().sqlite, dailyTotalsSql(scope)).all(scopeParams(scope));
}

const syncedDaysSql = (scope: ReportScope) => `
SELECT DISTINCT c.local_day FROM site_coverage c WHERE ${scopeWhere('c', scope)} ORDER BY c.local_day`;

/**
 * The days of the scope a sync has fetched (for at least one of its sites). A day outside this list
 * and without rollups has not been synced: its figures are unknown, not zero.
 */
export async function listSyncedDays({ scope }: { scope: ReportScope }): Promise<string[]> {
  return prepared<[object], string>(getDb().sqlite, syncedDaysSql(scope)).pluck().all(scopeParams(scope));
}

export type HourTotals = Pick<HourlyRollup, 'localHour' | 'transactions' | 'revenueCents'>;

const hoursSql = (scope: ReportScope) => `
SELECT r.local_hour AS localHour, sum(r.transactions) AS transactions, sum(r.revenue_cents) AS revenueCents
FROM hourly_rollups r WHERE ${scopeWhere('r', scope)}
GROUP BY r.local_hour`;

/** Completed transactions and revenue per local hour (0-23, all 24 present) over the scope. */
export async function listBusiestHours({ scope }: { scope: ReportScope }): Promise<HourTotals[]> {
  const found = new Map(
    prepared<[object], HourTotals>(getDb().sqlite, hoursSql(scope))
      .all(scopeParams(scope))
      .map((r) => [r.localHour, r]),
  );
  return Array.from({ length: 24 }, (_, hour) => found.get(hour) ?? { localHour: hour, transactions: 0, revenueCents: 0 });
}
