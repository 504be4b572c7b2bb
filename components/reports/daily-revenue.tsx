import type { DayStatus, SiteRevenueSeries, SiteTotals } from '@/db/queries/reports';
import { DailyRevenueChart } from './charts';
import { DailyRevenueData } from './daily-revenue-data';

/**
 * Daily revenue per site (stacked by database or by site), with every number in a "Show data"
 * table. Days not synced have no value (not zero); days not complete are marked.
 */
export function DailyRevenue({ days, sites, points }: { days: DayStatus[]; sites: SiteTotals[]; points: SiteRevenueSeries[] }) {
  if (sites.length === 0) return null;
  const dayIndex = new Map(days.map((d, i) => [d.day, i]));
  const siteIndex = new Map(sites.map((s, i) => [`${s.databaseKey}\u0000${s.code}`, i]));
  const empty = days.map((d): number | null => (d.state === 'unsynced' || d.state === 'future' ? null : 0));
  const values = sites.map(() => [...empty]);
  for (const p of points) {
    const s = siteIndex.get(`${p.databaseKey}\u0000${p.siteCode}`);
    if (s === undefined) continue;
    for (const [day, cents] of Object.entries(p.revenueByDay)) {
      const d = dayIndex.get(day);
      if (d !== undefined) values[s]![d] = cents;
    }
  }
  const names = sites.map((s) => s.siteName);
  const series = sites.map((s) => ({
    key: `${s.databaseKey}:${s.code}`,
    // The database only where two sites share a name: legends stay one short line each.
    label: names.filter((n) => n === s.siteName).length > 1 ? `${s.siteName} · ${s.databaseName}` : s.siteName,
    database: s.databaseName,
  }));
  const dayStates = days.map(({ day, state }) => ({ day, state }));

  return (
    <figure className="chart" aria-labelledby="daily-revenue-title">
      <figcaption id="daily-revenue-title" className="visually-hidden">
        Daily revenue, stacked by database or by site; hatched days are partial
      </figcaption>
      <DailyRevenueChart days={dayStates} series={series} values={values} />
      <DailyRevenueData days={dayStates} series={series} values={values} caption="Daily revenue by site and database" />
    </figure>
  );
}
