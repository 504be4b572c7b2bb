import type { SiteRevenueSeries, SiteTotals } from '@/db/queries/reports';
import { eachDay } from '@/lib/reports/days';
import type { ReportScope } from '@/lib/reports/scope';
import { DailyRevenueChart } from './charts';
import { DailyRevenueData } from './daily-revenue-data';

/** Daily revenue per site (stacked by database or by site), with every number in a "Show data" table. */
export function DailyRevenue({ scope, sites, points }: { scope: ReportScope; sites: SiteTotals[]; points: SiteRevenueSeries[] }) {
  if (sites.length === 0) return null;
  const days = eachDay(scope.from, scope.to);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const siteIndex = new Map(sites.map((s, i) => [`${s.databaseKey}\u0000${s.code}`, i]));
  const values = sites.map(() => new Array<number>(days.length).fill(0));
  for (const p of points) {
    const s = siteIndex.get(`${p.databaseKey}\u0000${p.siteCode}`);
    if (s === undefined) continue;
    for (const [day, cents] of Object.entries(p.revenueByDay)) {
      const d = dayIndex.get(day);
      if (d !== undefined) values[s]![d] = cents;
    }
  }
  const multipleDatabases = new Set(sites.map((s) => s.databaseKey)).size > 1;
  const series = sites.map((s) => ({
    key: `${s.databaseKey}:${s.code}`,
    label: multipleDatabases ? `${s.siteName} (${s.databaseName})` : s.siteName,
    database: s.databaseName,
  }));

  return (
    <figure className="chart" aria-labelledby="daily-revenue-title">
      <figcaption id="daily-revenue-title" className="visually-hidden">
        Daily revenue, stacked by database or by site
      </figcaption>
      <DailyRevenueChart days={days} series={series} values={values} />
      <DailyRevenueData days={days} series={series} values={values} caption="Daily revenue by site and database" />
    </figure>
  );
}
