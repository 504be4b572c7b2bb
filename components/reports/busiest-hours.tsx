import { listBusiestHours } from '@/db/queries/reports';
import { formatCount, formatHour, formatMoney } from '@/lib/reports/format';
import type { ReportScope } from '@/lib/reports/scope';
import { BusiestHoursChart } from './charts';
import { ChartData } from './ui';

/**
 * Completed transactions by local hour, as an average per COMPLETE day of the range (a day still
 * filling in, or not synced, would pull the average down). Test hook: `busiest-hours-data`,
 * `busiest-hours-days`.
 */
export async function BusiestHours({ scope, timeZone, today }: { scope: ReportScope; timeZone: string; today: string }) {
  const { hours, completeDays } = await listBusiestHours({ scope, today });
  if (completeDays === 0) {
    return (
      <p className="muted" data-testid="busiest-hours-days" data-days={0}>
        No day of this range is complete yet, so there is no average per day to show: a day counts once a sync has fetched it after it ended.
      </p>
    );
  }
  const total = hours.reduce((s, h) => s + h.transactions, 0);
  if (total === 0) return <p className="muted">No completed transactions on the complete days of this range.</p>;
  const perDay = (n: number) => Math.round((n / completeDays) * 10) / 10;
  const top = [...hours].sort((a, b) => b.transactions - a.transactions).slice(0, 3).filter((h) => h.transactions > 0);
  return (
    <figure className="chart" aria-labelledby="hours-title">
      <figcaption id="hours-title">
        Busiest: {top.map((h) => formatHour(h.localHour)).join(', ')}{' '}
        <span className="muted small" data-testid="busiest-hours-days" data-days={completeDays}>
          (local time, {timeZone}; average transactions per day over the {formatCount(completeDays)} complete{' '}
          {completeDays === 1 ? 'day' : 'days'} of the range)
        </span>
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
              <td className="num" data-col="perDay" data-value={perDay(h.transactions)}>{formatCount(perDay(h.transactions))}</td>
              <td className="num" data-col="revenue" data-value={h.revenueCents}>{formatMoney(h.revenueCents)}</td>
            </tr>
          ))}
        </tbody>
      </ChartData>
    </figure>
  );
}
