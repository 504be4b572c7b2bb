import { listDailyRevenueBySite } from '@/db/queries/reports';
import { eachDay } from '@/lib/reports/days';
import { formatDay, formatMoney } from '@/lib/reports/format';
import type { ReportScope } from '@/lib/reports/scope';
import { DailyRevenueChart } from './charts/daily-revenue-chart';
import { getSiteTotalsOnce } from './site-data';
import { ChartData } from './ui';

/** Daily revenue per site (stacked by database or by site), with every number in a "Show data" table. */
export async function DailyRevenue({ scope }: { scope: ReportScope }) {
  const [sites, points] = await Promise.all([getSiteTotalsOnce(scope), listDailyRevenueBySite({ scope })]);
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
  const databases = [...new Set(sites.map((s) => s.databaseName))];

  return (
    <figure className="chart" aria-labelledby="daily-revenue-title">
      <figcaption id="daily-revenue-title" className="visually-hidden">
        Daily revenue, stacked by database or by site
      </figcaption>
      <DailyRevenueChart days={days} series={series} values={values} />
      <ChartData caption="Daily revenue by site and database" testId="daily-revenue-data">
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((s) => (
              <th key={s.key} scope="col" className="num">
                {s.label}
              </th>
            ))}
            {multipleDatabases &&
              databases.map((d) => (
                <th key={d} scope="col" className="num">
                  {d} total
                </th>
              ))}
            <th scope="col" className="num">
              All
            </th>
          </tr>
        </thead>
        <tbody>
          {days.map((day, d) => (
            <tr key={day}>
              <th scope="row">{formatDay(day)}</th>
              {values.map((v, s) => (
                <td key={s} className="num">
                  {formatMoney(v[d]!)}
                </td>
              ))}
              {multipleDatabases &&
                databases.map((name) => (
                  <td key={name} className="num">
                    {formatMoney(values.reduce((sum, v, s) => sum + (series[s]!.database === name ? v[d]! : 0), 0))}
                  </td>
                ))}
              <td className="num">{formatMoney(values.reduce((sum, v) => sum + v[d]!, 0))}</td>
            </tr>
          ))}
        </tbody>
      </ChartData>
    </figure>
  );
}
