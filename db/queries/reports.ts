import 'server-only';
import { getDb } from '@/db';
import type { DailyRollup, Database as DatabaseRow, HourlyRollup, Site } from '@/db/schema';
import { DEFAULT_TIMEZONE } from '@/lib/env';
import { EMPTY_TOTALS, rollupTotalsSql, type RollupTotals } from '@/lib/reports/kpis';
import { previousPeriod, type DayRange } from '@/lib/reports/range';
import { scopeParams, scopeWhere, type ReportScope } from '@/lib/reports/scope';
import { prepared } from './statements';

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
    'SELECT min(local_day) AS "from", max(local_day) AS "to" FROM daily_rollups',
  ).get();
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

const TOTALS_SQL = `SELECT ${rollupTotalsSql('r')}, count(DISTINCT r.local_day) AS daysWithData
FROM daily_rollups r WHERE ${scopeWhere('r')}`;

export interface OverviewKpis {
  current: RollupTotals & { daysWithData: number };
  previous: RollupTotals & { daysWithData: number };
  previousRange: DayRange;
}

/** Headline totals for a scope and for the period of the same length just before it. */
export async function getOverviewKpis({ scope }: { scope: ReportScope }): Promise<OverviewKpis> {
  const statement = prepared<[object], RollupTotals & { daysWithData: number }>(getDb().sqlite, TOTALS_SQL);
  const previousRange = previousPeriod(scope);
  const current = statement.get(scopeParams(scope)) ?? { ...EMPTY_TOTALS, daysWithData: 0 };
  const previous = statement.get(scopeParams({ ...scope, ...previousRange })) ?? { ...EMPTY_TOTALS, daysWithData: 0 };
  return { current, previous, previousRange };
}

export type SiteTotals = RollupTotals &
  Pick<Site, 'code' | 'databaseKey'> & {
    databaseName: DatabaseRow['name'];
    siteName: Site['name'];
    removed: boolean;
    /** Revenue of the previous period of the same length, for the change column. */
    previousRevenueCents: number;
  };

const SITE_TOTALS_SQL = `
SELECT r.database_key AS databaseKey, r.site_code AS code,
  coalesce(d.name, r.database_key) AS databaseName, coalesce(s.name, r.site_code) AS siteName,
  s.removed_at IS NOT NULL AS removed, ${rollupTotalsSql('r')}
FROM daily_rollups r
LEFT JOIN databases d ON d.key = r.database_key
LEFT JOIN sites s ON s.database_key = r.database_key AND s.code = r.site_code
WHERE ${scopeWhere('r')}
GROUP BY r.database_key, r.site_code
ORDER BY databaseName, r.database_key, r.site_code`;

const SITE_REVENUE_SQL = `
SELECT r.database_key AS databaseKey, r.site_code AS code, coalesce(sum(r.revenue_cents), 0) AS revenueCents
FROM daily_rollups r WHERE ${scopeWhere('r')} GROUP BY r.database_key, r.site_code`;

/**
 * Totals per site with data in the scope (the site table and the revenue-by-site chart), in
 * database then site order, each with its previous-period revenue.
 */
export async function listSiteTotals({ scope }: { scope: ReportScope }): Promise<SiteTotals[]> {
  const { sqlite } = getDb();
  const rows = prepared<[object], Omit<SiteTotals, 'previousRevenueCents' | 'removed'> & { removed: number }>(
    sqlite,
    SITE_TOTALS_SQL,
  ).all(scopeParams(scope));
  const previous = new Map(
    prepared<[object], Pick<SiteTotals, 'databaseKey' | 'code' | 'revenueCents'>>(sqlite, SITE_REVENUE_SQL)
      .all(scopeParams({ ...scope, ...previousPeriod(scope) }))
      .map((r) => [`${r.databaseKey}\u0000${r.code}`, r.revenueCents]),
  );
  return rows.map((r) => ({
    ...r,
    removed: r.removed === 1,
    previousRevenueCents: previous.get(`${r.databaseKey}\u0000${r.code}`) ?? 0,
  }));
}

export type DailySiteRevenue = Pick<DailyRollup, 'localDay' | 'databaseKey' | 'siteCode' | 'revenueCents' | 'transactions'>;

const DAILY_SITE_SQL = `
SELECT r.local_day AS localDay, r.database_key AS databaseKey, r.site_code AS siteCode,
  r.revenue_cents AS revenueCents, r.transactions AS transactions
FROM daily_rollups r WHERE ${scopeWhere('r')}
ORDER BY r.local_day, r.database_key, r.site_code`;

/** Revenue and transactions per site and local day (days without rows are simply absent). */
export async function listDailyRevenueBySite({ scope }: { scope: ReportScope }): Promise<DailySiteRevenue[]> {
  return prepared<[object], DailySiteRevenue>(getDb().sqlite, DAILY_SITE_SQL).all(scopeParams(scope));
}

export type DailyTotals = RollupTotals & Pick<DailyRollup, 'localDay'>;

const DAILY_TOTALS_SQL = `
SELECT r.local_day AS localDay, ${rollupTotalsSql('r')}
FROM daily_rollups r WHERE ${scopeWhere('r')}
GROUP BY r.local_day ORDER BY r.local_day`;

/** Totals per local day over the scope (the site page's daily table, summed when it covers several sites). */
export async function listDailyTotals({ scope }: { scope: ReportScope }): Promise<DailyTotals[]> {
  return prepared<[object], DailyTotals>(getDb().sqlite, DAILY_TOTALS_SQL).all(scopeParams(scope));
}

export type HourTotals = Pick<HourlyRollup, 'localHour' | 'transactions' | 'revenueCents'>;

const HOURS_SQL = `
SELECT r.local_hour AS localHour, sum(r.transactions) AS transactions, sum(r.revenue_cents) AS revenueCents
FROM hourly_rollups r WHERE ${scopeWhere('r')}
GROUP BY r.local_hour`;

/** Completed transactions and revenue per local hour (0-23, all 24 present) over the scope. */
export async function listBusiestHours({ scope }: { scope: ReportScope }): Promise<HourTotals[]> {
  const found = new Map(
    prepared<[object], HourTotals>(getDb().sqlite, HOURS_SQL)
      .all(scopeParams(scope))
      .map((r) => [r.localHour, r]),
  );
  return Array.from({ length: 24 }, (_, hour) => found.get(hour) ?? { localHour: hour, transactions: 0, revenueCents: 0 });
}
