import { listBusiestHours } from '@/db/queries/reports';
import { dayCount } from '@/lib/reports/days';
import { formatCount, formatHour, formatMoney } from '@/lib/reports/format';
import type { ReportScope } from '@/lib/reports/scope';
import { BusiestHoursChart } from './charts';
import { ChartData } from './ui';

/** Completed transactions by local hour, as a daily average over the range. Test hook: `busiest-hours-data`. */
export async function BusiestHours({ scope, timeZone }: { scope: ReportScope; timeZone: string }) {
  const hours = await listBusiestHours({ scope });
  const total = hours.reduce((s, h) => s + h.transactions, 0);
  if (total === 0) return <p className="muted">No completed transactions in this range.</p>;
  const days = dayCount(scope.from, scope.to);
  const perDay = (n: number) => Math.round((n / days) * 10) / 10;
  const top = [...hours].sort((a, b) => b.transactions - a.transactions).slice(0, 3).filter((h) => h.transactions > 0);
  return (
    <figure className="chart" aria-labelledby="hours-title">
      <figcaption id="hours-title">
        Busiest: {top.map((h) => formatHour(h.localHour)).join(', ')}{' '}
        <span className="muted small">(local time, {timeZone}; average transactions per day)</span>
      </figcaption>
      <BusiestHoursChart hours={hours.map((h) => ({ hour: h.localHour, perDay: perDay(h.transactions) }))} />
      <ChartData caption="Completed transactions by local hour" testId="busiest-hours-data">
        <thead>
          <tr>
            <th scope="col">Hour</th>
            <th scope="col" className="num">Transactions</th>
            <th scope="col" className="num">Per day</th>
            <th scope="col" className="num">Revenue</th>
          </tr>
        </thead>
        <tbody>
          {hours.map((h) => (
            <tr key={h.localHour} data-testid={`hour-row-${h.localHour}`}>
              <th scope="row">{formatHour(h.localHour)}</th>
              <td className="num" data-col="transactions" data-value={h.transactions}>{formatCount(h.transactions)}</td>
              <td className="num">{formatCount(perDay(h.transactions))}</td>
              <td className="num" data-col="revenue" data-value={h.revenueCents}>{formatMoney(h.revenueCents)}</td>
            </tr>
          ))}
        </tbody>
      </ChartData>
    </figure>
  );
}
