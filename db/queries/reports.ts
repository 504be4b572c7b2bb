import 'server-only';
import { getDb, type AppDatabase, type SqlDialect } from '@/db';
import type { DailyRollup, Database as DatabaseRow, HourlyRollup, Site } from '@/db/schema';
import { DEFAULT_TIMEZONE } from '@/lib/env';
import {
  addTotals,
  DATASETS,
  datasetCompleteSql,
  EMPTY_TOTALS,
  LABOR_MEASURES,
  pickTotals,
  rawTotalsSql,
  rollupTotalsSql,
  subtractTotals,
  type Dataset,
  type RollupTotals,
} from '@/lib/measures';
import {
  dayStates,
  scopeComparability,
  siteComparability,
  type DayCoverage,
  type DayState,
  type NoComparisonReason,
  type ScopeComparability,
  type SiteComparability,
  type SiteCoverageSummary,
} from '@/lib/reports/comparison';
import { addDays } from '@/lib/calendar';
import { comparisonPeriod, DEFAULT_COMPARISON, type Comparison, type DayRange } from '@/lib/reports/range';
import type { ReportScope } from '@/lib/reports/scope';
import { scopeParams, scopeWhere } from '@/db/sql/scope';
import { readThrough } from './statements';

// Every report reads the rollups (a row per site and day, or per site, day and hour), never the raw
// transactions: a year of 20 sites is 7 300 daily rows against millions of transactions. The one
// exception is a like-for-like comparison, which reads one day of raw rows per site up to a time.

/**
 * The zone "today" is computed in for date presets: the first registered database's default zone,
 * else Washboard's default (America/Chicago).
 */
export async function getReportingTimeZone(): Promise<string> {
  const row = await getDb().sql.get<Pick<DatabaseRow, 'defaultTimezone'>>(
    'SELECT default_timezone AS "defaultTimezone" FROM databases ORDER BY created_at, key LIMIT 1',
  );
  return row?.defaultTimezone ?? DEFAULT_TIMEZONE;
}

/** First and last local day with any rollup, or null when nothing has been synced yet. */
export async function getDataExtent(): Promise<DayRange | null> {
  const row = await getDb().sql.get<{ from: string | null; to: string | null }>(
    // Two subqueries, not min() and max() in one SELECT: SQLite answers a lone min or max from the
    // day index in one step, but both together scan the whole table (a millisecond per page view).
    'SELECT (SELECT min(local_day) FROM daily_rollups) AS "from", (SELECT max(local_day) FROM daily_rollups) AS "to"',
  );
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

export type SiteTotals = RollupTotals &
  Pick<Site, 'code' | 'databaseKey'> & {
    databaseName: DatabaseRow['name'];
    siteName: Site['name'];
    removed: boolean;
    /** The same figures over the earlier period (like for like: see `comparison.ts`). */
    previous: RollupTotals;
    /** Whether this site's change may be shown, and if not why. */
    comparability: SiteComparability | { comparable: false; reason: 'closed'; cut: null };
    /** Days of the range a sync has fetched for this site (0 with no data: its figures are unknown, not zero). */
    fetchedDays: number;
    /** The comparison rule per dataset (`comparability` is the sales one). */
    datasets: Record<Dataset, SiteTotals['comparability']>;
  };

export interface ReportTotals {
  /**
   * Sites with data in the range, and active sites in scope without any (zeros when their days are
   * fetched, unknown when not: see `fetchedDays`), in database then site order.
   */
  sites: SiteTotals[];
  current: RollupTotals;
  /** The earlier period's figures (sites with data only then count too), like for like. */
  previous: RollupTotals;
  /** The period compared with (its last day possibly cut: see `comparison`). */
  previousRange: DayRange;
  compare: Comparison;
  /** The one rule for every change on the page (see `lib/reports/comparison.ts`), for sales. */
  comparison: ScopeComparability;
  /** The same rule for each dataset: a figure compares when all the datasets it reads do. */
  comparisons: Record<Dataset, ScopeComparability>;
  /** Active sites in scope (the ones a change needs complete). */
  siteCount: number;
}

/** Text of a closed site's missing change. */
export const CLOSED_SITE_TEXT = 'site no longer listed';
export type RowNoComparisonReason = NoComparisonReason | 'closed';

// Both periods grouped by site, then the names joined to the few groups (joining before grouping
// would look the names up once per site and day). The page's KPIs, site table, database split and
// bar chart all come from this one read. One SELECT per period rather than one grouped by
// (site, isCurrent): each then reads the covering index in group order with no sort, half the time.
const periodTotalsSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT t.*, coalesce(d.name, t."databaseKey") AS "databaseName", coalesce(s.name, t.code) AS "siteName",
  ${dialect.flag('s.removed_at IS NOT NULL')} AS removed
FROM (
  SELECT r.database_key AS "databaseKey", r.site_code AS code, 1 AS "isCurrent", ${rollupTotalsSql('r')}
  FROM daily_rollups r WHERE ${scopeWhere(dialect, 'r', scope, { groupedBySite: true })}
  GROUP BY r.database_key, r.site_code
  UNION ALL
  SELECT r.database_key AS "databaseKey", r.site_code AS code, 0 AS "isCurrent", ${rollupTotalsSql('r')}
  FROM daily_rollups r WHERE ${scopeWhere(dialect, 'r', scope, { groupedBySite: true, days: { from: '@previousFrom', to: '@previousTo' } })}
  GROUP BY r.database_key, r.site_code
) t
LEFT JOIN databases d ON d.key = t."databaseKey"
LEFT JOIN sites s ON s.database_key = t."databaseKey" AND s.code = t.code
ORDER BY "databaseName", t."databaseKey", t.code`;

/** The active sites in scope: every one of them must be complete for a change to show. */
const scopeSitesCte = (dialect: SqlDialect, scope: ReportScope) => `
scoped AS (
  SELECT s.database_key, s.code, s.effective_timezone FROM sites s
  WHERE s.removed_at IS NULL AND ${scopeWhere(dialect, 's', scope, { days: null, siteColumn: 'code' })}
)`;

/**
 * Ranges a running sync has started fetching (pages of them are in, the rest on their way). The
 * lease names the running run, so this reads that run's chunks by index, never the whole history.
 */
const SYNCING_CTE = `
syncing AS (
  SELECT k.database_key, k.site_code, k.from_day, k.to_day FROM sync_leases l
  JOIN sync_chunks k ON k.run_id = l.run_id AND k.status = 'pending'
  WHERE k.first_fetched_at IS NOT NULL
)`;

// Per active site in scope and per dataset: its complete days in each period and whether the range's
// last day is fetched (as of when), from the coverage joined to the day's rollup (whose counters say
// whether wash flags and verifications are all in); and whether a sync is in the middle of it.
const inCurrent = 'c.local_day BETWEEN @from AND @to';
const inEarlier = 'c.local_day BETWEEN @previousFrom AND @previousTo';
const coverageSummarySql = (dialect: SqlDialect, scope: ReportScope) => `
WITH ${scopeSitesCte(dialect, scope)}, ${SYNCING_CTE}
SELECT s.database_key AS "databaseKey", s.code, s.effective_timezone AS timezone,
  (SELECT coalesce(d.name, s.database_key) FROM databases d WHERE d.key = s.database_key) AS "databaseName",
  (SELECT n.name FROM sites n WHERE n.database_key = s.database_key AND n.code = s.code) AS "siteName",
  count(c.local_day) FILTER (WHERE ${inCurrent}) AS "fetchedDays",
  ${DATASETS.map(
    (d) => `count(*) FILTER (WHERE ${inCurrent} AND ${datasetCompleteSql(d)}) AS "${d}Current",
  count(*) FILTER (WHERE ${inEarlier} AND ${datasetCompleteSql(d)}) AS "${d}Earlier"`,
  ).join(',\n  ')},
  max(c.synced_at) FILTER (WHERE c.local_day = @to) AS "lastDaySyncedAt",
  max(coalesce(r.unclassified_washes, 0)) FILTER (WHERE c.local_day = @to) AS "lastDayUnclassified",
  max(coalesce(r.unverified_plan_sales, 0)) FILTER (WHERE c.local_day = @to) AS "lastDayUnverified",
  ${dialect.flag(`EXISTS (SELECT 1 FROM syncing y WHERE y.database_key = s.database_key AND y.site_code = s.code
     AND ((y.to_day >= @from AND y.from_day <= @to) OR (y.to_day >= @previousFrom AND y.from_day <= @previousTo)))`)} AS syncing
FROM scoped s
LEFT JOIN site_coverage c ON c.database_key = s.database_key AND c.site_code = s.code AND (${inCurrent} OR ${inEarlier})
LEFT JOIN daily_rollups r ON r.database_key = c.database_key AND r.site_code = c.site_code AND r.local_day = c.local_day
GROUP BY s.database_key, s.code, s.effective_timezone`;

// The earlier period's last day of the given sites, up to each site's own instant, from the raw
// rows (the primary index's (database, site, day, time) prefix finds them).
const partialDaySql = (dialect: SqlDialect) => `
SELECT t.database_key AS "databaseKey", t.site_code AS code, ${rawTotalsSql()}
FROM ${dialect.jsonEach('@cuts', 'j')}
JOIN transactions t ON t.database_key = ${dialect.jsonText('j', 0)} AND t.site_code = ${dialect.jsonText('j', 1)}
  AND t.local_day = @day AND t.occurred_unix < ${dialect.jsonNumber('j', 2)}
GROUP BY t.database_key, t.site_code`;

const fullDaySql = (dialect: SqlDialect) => `
SELECT r.database_key AS "databaseKey", r.site_code AS code, ${rollupTotalsSql('r')}
FROM ${dialect.jsonEach('@cuts', 'j')}
JOIN daily_rollups r ON r.database_key = ${dialect.jsonText('j', 0)} AND r.site_code = ${dialect.jsonText('j', 1)} AND r.local_day = @day
GROUP BY r.database_key, r.site_code`;

type PeriodRow = Omit<SiteTotals, 'previous' | 'removed' | 'comparability'> & { isCurrent: 0 | 1; removed: 0 | 1 };
type SummaryRow = Pick<SiteCoverageSummary, 'databaseKey' | 'code' | 'timezone' | 'lastDaySyncedAt'> &
  Record<`${Dataset}Current` | `${Dataset}Earlier`, number> & {
    syncing: 0 | 1;
    databaseName: string;
    siteName: string;
    fetchedDays: number;
    lastDayUnclassified: number | null;
    lastDayUnverified: number | null;
  };

/**
 * One dataset's view of a site's summary. A day still going on compares like for like only for
 * what can be cut at a time of day: sales, and washes and memberships once every row of the day
 * is classified; labor (shifts in progress) never.
 */
function datasetSummary(row: SummaryRow, dataset: Dataset): SiteCoverageSummary {
  const asOf = row.lastDaySyncedAt;
  const lastDay =
    dataset === 'labor' ? null : dataset === 'washes' ? (row.lastDayUnclassified === 0 ? asOf : null) : dataset === 'memberships' ? (row.lastDayUnverified === 0 ? asOf : null) : asOf;
  return {
    databaseKey: row.databaseKey,
    code: row.code,
    timezone: row.timezone,
    currentComplete: row[`${dataset}Current`],
    earlierComplete: row[`${dataset}Earlier`],
    lastDaySyncedAt: lastDay,
    syncing: row.syncing === 1,
  };
}
type CodedTotals = RollupTotals & { databaseKey: string; code: string };

const siteKey = (s: { databaseKey: string; code: string }) => `${s.databaseKey}\u0000${s.code}`;

/**
 * Totals of a scope and of the period it is compared with, overall and per site, with the one
 * comparability rule applied (see `lib/reports/comparison.ts`). `now` decides which day is still
 * going on; it is an argument so tests can stand at any hour.
 */
export async function getReportTotals({
  scope,
  compare = DEFAULT_COMPARISON,
  now = Date.now(),
}: {
  scope: ReportScope;
  compare?: Comparison;
  now?: number;
}): Promise<ReportTotals> {
  const db = getDb();
  const earlier = comparisonPeriod(scope, compare);
  const params = { ...scopeParams(scope), previousFrom: earlier.from, previousTo: earlier.to };
  const { rows, summaries } = await readThrough(db, `totals ${JSON.stringify(params)}`, async () => ({
    rows: await db.sql.all<PeriodRow>(periodTotalsSql(db.dialect, scope), params),
    summaries: await db.sql.all<SummaryRow>(coverageSummarySql(db.dialect, scope), params),
  }));

  const periods = { current: scope, earlier, now };
  const byDataset = Object.fromEntries(
    DATASETS.map((d) => [d, new Map(summaries.map((s) => [siteKey(s), siteComparability(datasetSummary(s, d), periods)]))]),
  ) as Record<Dataset, Map<string, SiteComparability>>;
  const rules = byDataset.sales;
  const comparisons = Object.fromEntries(DATASETS.map((d) => [d, scopeComparability([...byDataset[d].values()])])) as Record<Dataset, ScopeComparability>;
  const comparison = comparisons.sales;
  const adjustments = await likeForLike(db, earlier.to, rules);

  const sites = new Map<string, SiteTotals>();
  const previousBySite = new Map<string, RollupTotals>();
  let current: RollupTotals = EMPTY_TOTALS;
  let previous: RollupTotals = EMPTY_TOTALS;
  for (const { isCurrent, removed, ...row } of rows) {
    const key = siteKey(row);
    if (isCurrent) {
      current = addTotals(current, pickTotals(row));
      const closed = removed === 1;
      sites.set(key, {
        ...row,
        removed: closed,
        fetchedDays: summaries.find((x) => siteKey(x) === key)?.fetchedDays ?? 0,
        datasets: {} as SiteTotals['datasets'],
        previous: EMPTY_TOTALS,
        comparability: closed ? { comparable: false, reason: 'closed', cut: null } : (rules.get(key) ?? { comparable: false, reason: 'current-incomplete', cut: null }),
      });
    } else {
      const adjusted = adjustments.get(key);
      const totals = adjusted ? addTotals(subtractTotals(pickTotals(row), adjusted.full), adjusted.partial) : pickTotals(row);
      previous = addTotals(previous, totals);
      previousBySite.set(key, totals);
    }
  }
  // Active sites without a row in the range still belong in the table: a site that sold nothing
  // and a site not synced yet must not look alike, and neither may vanish.
  for (const summary of summaries) {
    const key = siteKey(summary);
    if (sites.has(key)) continue;
    sites.set(key, {
      ...EMPTY_TOTALS,
      databaseKey: summary.databaseKey,
      code: summary.code,
      databaseName: summary.databaseName,
      siteName: summary.siteName,
      removed: false,
      fetchedDays: summary.fetchedDays,
      datasets: {} as SiteTotals['datasets'],
      previous: EMPTY_TOTALS,
      comparability: rules.get(key)!,
    });
  }
  for (const [key, site] of sites) site.previous = previousBySite.get(key) ?? EMPTY_TOTALS;
  const ordered = [...sites.values()].sort((a, b) => a.databaseName.localeCompare(b.databaseName) || a.databaseKey.localeCompare(b.databaseKey) || a.code.localeCompare(b.code));
  for (const site of ordered) {
    const key = siteKey(site);
    site.datasets = Object.fromEntries(
      DATASETS.map((d) => [d, site.removed ? site.comparability : (byDataset[d].get(key) ?? site.comparability)]),
    ) as SiteTotals['datasets'];
  }
  return { sites: ordered, current, previous, previousRange: earlier, compare, comparison, comparisons, siteCount: summaries.length };
}

/**
 * For each site compared like for like: the earlier period's last day as stored (to take out) and
 * up to the cut (to put in).
 */
async function likeForLike(db: AppDatabase, day: string, rules: Map<string, SiteComparability>): Promise<Map<string, { full: RollupTotals; partial: RollupTotals }>> {
  const cuts: [string, string, number][] = [];
  for (const [key, rule] of rules) {
    if (!rule.cut) continue;
    const [databaseKey, code] = key.split('\u0000') as [string, string];
    cuts.push([databaseKey, code, Math.floor(rule.cut.beforeMs / 1000)]);
  }
  const out = new Map<string, { full: RollupTotals; partial: RollupTotals }>();
  if (!cuts.length) return out;
  const params = { day, cuts: JSON.stringify(cuts) };
  const { full, partial } = await readThrough(db, `cut ${JSON.stringify(params)}`, async () => ({
    full: await db.sql.all<CodedTotals>(fullDaySql(db.dialect), params),
    partial: await db.sql.all<CodedTotals>(partialDaySql(db.dialect), params),
  }));
  for (const [databaseKey, code] of cuts) out.set(siteKey({ databaseKey, code }), { full: EMPTY_TOTALS, partial: EMPTY_TOTALS });
  for (const f of full) out.get(siteKey(f))!.full = pickTotals(f);
  for (const p of partial) out.get(siteKey(p))!.partial = pickTotals(p);
  // Labor is not cut by time (a shift spans hours): the earlier day keeps its whole labor, and
  // labor figures are not compared while a day goes on (see `datasetSummary`).
  for (const adjusted of out.values()) {
    adjusted.partial = { ...adjusted.partial };
    for (const m of LABOR_MEASURES) adjusted.partial[m.key] = adjusted.full[m.key];
  }
  return out;
}

export type OverviewKpis = Omit<ReportTotals, 'sites'>;

/** Headline totals for a scope and for the period it is compared with. */
export async function getOverviewKpis(input: { scope: ReportScope; compare?: Comparison; now?: number }): Promise<OverviewKpis> {
  const { sites: _sites, ...kpis } = await getReportTotals(input);
  return kpis;
}

/**
 * Totals per site with data in the scope (the site table and the revenue-by-site chart), in
 * database then site order, each with its earlier-period figures.
 */
export async function listSiteTotals(input: { scope: ReportScope; compare?: Comparison; now?: number }): Promise<SiteTotals[]> {
  return (await getReportTotals(input)).sites;
}

// ---- Days: their states and figures -------------------------------------------------------------

const dayCoverageSql = (dialect: SqlDialect, scope: ReportScope) => `
WITH ${scopeSitesCte(dialect, scope)}
SELECT c.local_day AS day, count(*) AS fetched, count(*) FILTER (WHERE ${datasetCompleteSql('sales')}) AS complete, min(c.synced_at) AS "asOfMs",
  ${DATASETS.map((d) => `count(*) FILTER (WHERE ${datasetCompleteSql(d)}) AS "${d}Complete"`).join(', ')}
FROM scoped s JOIN site_coverage c ON c.database_key = s.database_key AND c.site_code = s.code
LEFT JOIN daily_rollups r ON r.database_key = c.database_key AND r.site_code = c.site_code AND r.local_day = c.local_day
WHERE c.local_day BETWEEN @from AND @to
GROUP BY c.local_day`;

const daySitesSql = (dialect: SqlDialect, scope: ReportScope) => `WITH ${scopeSitesCte(dialect, scope)} SELECT count(*) AS n FROM scoped`;

const syncingRangesSql = (dialect: SqlDialect, scope: ReportScope) => `
WITH ${scopeSitesCte(dialect, scope)}, ${SYNCING_CTE}
SELECT y.database_key AS "databaseKey", y.site_code AS code, y.from_day AS "fromDay", y.to_day AS "toDay"
FROM syncing y JOIN scoped s ON s.database_key = y.database_key AND s.code = y.site_code
WHERE y.to_day >= @from AND y.from_day <= @to`;

export interface DayStatus {
  day: string;
  state: DayState;
  /** The oldest fetch behind the day's figures (partial days: "as of"). */
  asOfMs: number | null;
  /** Whether each dataset is complete for the day at every site in scope. */
  datasets: Record<Dataset, boolean>;
}

export interface DayStatuses {
  days: DayStatus[];
  /** Active sites in scope. */
  siteCount: number;
  counts: Record<DayState, number>;
}

/**
 * Every day of the scope's range with its state across the active sites in scope: complete only
 * when complete at each of them (see `lib/reports/comparison.ts`). Days with figures but no
 * finished fetch read as partial, never as complete.
 */
export async function listDayStatuses({ scope, today }: { scope: ReportScope; today: string }): Promise<DayStatuses> {
  const db = getDb();
  const { sql, dialect } = db;
  const params = scopeParams(scope);
  const read = await readThrough(db, `day-states ${JSON.stringify(params)}`, async () => ({
    coverage: await sql.all<Omit<DayCoverage, 'syncing'> & Record<`${Dataset}Complete`, number>>(dayCoverageSql(dialect, scope), params),
    siteCount: (await sql.get<{ n: number }>(daySitesSql(dialect, scope), params))?.n ?? 0,
    syncing: await sql.all<{ databaseKey: string; code: string; fromDay: string; toDay: string }>(syncingRangesSql(dialect, scope), params),
    withData: (await sql.all<{ day: string }>(daysWithDataSql(dialect, scope), params)).map((r) => r.day),
  }));
  const syncingByDay = new Map<string, Set<string>>();
  for (const r of read.syncing) {
    for (let d = r.fromDay < scope.from ? scope.from : r.fromDay; d <= r.toDay && d <= scope.to; d = addDays(d, 1)) {
      let set = syncingByDay.get(d);
      if (!set) syncingByDay.set(d, (set = new Set()));
      set.add(`${r.databaseKey}\u0000${r.code}`);
    }
  }
  const coverage = new Map<string, DayCoverage>(read.coverage.map((c) => [c.day, { ...c, syncing: 0 }]));
  for (const [day, set] of syncingByDay) coverage.set(day, { ...(coverage.get(day) ?? { day, fetched: 0, complete: 0, asOfMs: null }), syncing: set.size });
  const withData = new Set(read.withData);
  const perDataset = new Map(read.coverage.map((c) => [c.day, c]));
  const days = dayStates(scope, [...coverage.values()], read.siteCount, today).map((d): DayStatus => {
    const c = perDataset.get(d.day);
    const whole = d.state === 'complete';
    const datasets = Object.fromEntries(
      DATASETS.map((k) => [k, whole && !!c && read.siteCount > 0 && c[`${k}Complete`] >= read.siteCount]),
    ) as Record<Dataset, boolean>;
    // Labor can be whole before sales are (it is fetched on its own): judge it by itself.
    datasets.labor = !!c && d.state !== 'future' && read.siteCount > 0 && c.laborComplete >= read.siteCount;
    // Rows without a finished fetch (a range cut short) are figures, but not whole ones.
    return { ...d, state: d.state === 'unsynced' && withData.has(d.day) ? 'partial' : d.state, datasets };
  });
  const counts: Record<DayState, number> = { complete: 0, partial: 0, syncing: 0, unsynced: 0, future: 0 };
  for (const d of days) counts[d.state] += 1;
  return { days, siteCount: read.siteCount, counts };
}

const daysWithDataSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT DISTINCT r.local_day AS day FROM daily_rollups r WHERE ${scopeWhere(dialect, 'r', scope)}`;

export type SiteRevenueSeries = Pick<DailyRollup, 'databaseKey' | 'siteCode'> & {
  /** Revenue in cents per local day that has a rollup; absent days had no transactions. */
  revenueByDay: Record<DailyRollup['localDay'], DailyRollup['revenueCents']>;
};

// One row per site carrying its days as a JSON object: handing SQLite's rows to JavaScript costs
// about a microsecond each, and a year of 20 sites is 7 300 of them; 20 JSON strings parse in far less.
const dailySiteSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT r.database_key AS "databaseKey", r.site_code AS "siteCode", ${dialect.jsonObjectAgg('r.local_day', 'r.revenue_cents')} AS days
FROM daily_rollups r WHERE ${scopeWhere(dialect, 'r', scope, { groupedBySite: true })}
GROUP BY r.database_key, r.site_code`;

/** Revenue per local day for each site with data in the scope. */
export async function listDailyRevenueBySite({ scope }: { scope: ReportScope }): Promise<SiteRevenueSeries[]> {
  const db = getDb();
  return readThrough(db, `daily-sites ${JSON.stringify(scope)}`, async () =>
    (await db.sql.all<Pick<SiteRevenueSeries, 'databaseKey' | 'siteCode'> & { days: string }>(dailySiteSql(db.dialect, scope), scopeParams(scope))).map(
      (r) => ({ databaseKey: r.databaseKey, siteCode: r.siteCode, revenueByDay: JSON.parse(r.days) as Record<string, number> }),
    ),
  );
}

export type DailyTotals = RollupTotals & Pick<DailyRollup, 'localDay'>;

const dailyTotalsSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT r.local_day AS "localDay", ${rollupTotalsSql('r')}
FROM daily_rollups r WHERE ${scopeWhere(dialect, 'r', scope)}
GROUP BY r.local_day ORDER BY r.local_day`;

/** Totals per local day over the scope (the site page's daily table, summed when it covers several sites). */
export async function listDailyTotals({ scope }: { scope: ReportScope }): Promise<DailyTotals[]> {
  const db = getDb();
  return db.sql.all<DailyTotals>(dailyTotalsSql(db.dialect, scope), scopeParams(scope));
}

export type HourTotals = Pick<HourlyRollup, 'localHour' | 'transactions' | 'revenueCents'>;

// Complete days only (fetched after they ended at every site of the scope): an average per day
// over days still filling in would read low.
const hoursSql = (dialect: SqlDialect, scope: ReportScope) => `
SELECT r.local_hour AS "localHour", sum(r.transactions) AS transactions, sum(r.revenue_cents) AS "revenueCents"
FROM hourly_rollups r
WHERE ${scopeWhere(dialect, 'r', scope)} AND r.local_day IN (SELECT ${dialect.jsonValue('d')} FROM ${dialect.jsonEach('@days', 'd')})
GROUP BY r.local_hour`;

/**
 * Completed transactions and revenue per local hour (0-23, all 24 present) over the COMPLETE days
 * of the scope, with how many days that is, so "per day" divides by days that are whole.
 */
export async function listBusiestHours({ scope, today }: { scope: ReportScope; today: string }): Promise<{ hours: HourTotals[]; completeDays: number }> {
  const statuses = await listDayStatuses({ scope, today });
  const days = statuses.days.filter((d) => d.state === 'complete').map((d) => d.day);
  const db = getDb();
  const found = new Map(
    (await db.sql.all<HourTotals>(hoursSql(db.dialect, scope), { ...scopeParams(scope), days: JSON.stringify(days) })).map((r) => [r.localHour, r]),
  );
  return {
    hours: Array.from({ length: 24 }, (_, hour) => found.get(hour) ?? { localHour: hour, transactions: 0, revenueCents: 0 }),
    completeDays: days.length,
  };
}
