import { listDailyTotals } from '@/db/queries/reports';
import { eachDay } from '@/lib/reports/days';
import { formatCount, formatDay, formatMoney, formatWeekday } from '@/lib/reports/format';
import { addTotals, averageTicketCents, EMPTY_TOTALS, type RollupTotals } from '@/lib/reports/kpis';
import type { ReportScope } from '@/lib/reports/scope';
import { SiteDailyChart } from './charts';

const CELLS: { col: string; label: string; money: boolean; value: (t: RollupTotals) => number | null }[] = [
  { col: 'transactions', label: 'Transactions', money: false, value: (t) => t.transactions },
  { col: 'revenue', label: 'Revenue', money: true, value: (t) => t.revenueCents },
  { col: 'averageTicket', label: 'Avg ticket', money: true, value: averageTicketCents },
  { col: 'membershipSales', label: 'Memberships sold', money: false, value: (t) => t.membershipSales },
  { col: 'membershipSalesRevenue', label: 'Membership revenue', money: true, value: (t) => t.membershipSalesCents },
  { col: 'redemptions', label: 'Redemptions', money: false, value: (t) => t.redemptions },
  { col: 'refunds', label: 'Refunds', money: true, value: (t) => t.refundsCents },
  { col: 'voided', label: 'Voided', money: false, value: (t) => t.voided },
  { col: 'otherStatus', label: 'Other status', money: false, value: (t) => t.otherStatus },
];

/**
 * A site's days: a revenue chart over the table that holds every figure (the chart's data).
 * Every day of the range has a row, zero when nothing was sold. Test hooks: `day-row-<YYYY-MM-DD>`,
 * `day-total-row`, cells with `data-col` and `data-value`.
 */
export async function SiteDaily({ scope }: { scope: ReportScope }) {
  const rows = await listDailyTotals({ scope });
  const byDay = new Map(rows.map((r) => [r.localDay, r]));
  const days = eachDay(scope.from, scope.to).map((day) => ({ day, totals: byDay.get(day) ?? EMPTY_TOTALS }));
  const totals = rows.reduce<RollupTotals>(addTotals, EMPTY_TOTALS);
  const cell = (c: (typeof CELLS)[number], t: RollupTotals) => {
    const v = c.value(t);
    return (
      <td key={c.col} className="num" data-col={c.col} data-value={v ?? ''}>
        {c.money ? formatMoney(v) : formatCount(v)}
      </td>
    );
  };
  return (
    <figure className="chart" aria-labelledby="site-daily-title">
      <figcaption id="site-daily-title" className="visually-hidden">
        Revenue per day; the table below has every figure
      </figcaption>
      <SiteDailyChart days={days.map((d) => ({ day: d.day, revenueCents: d.totals.revenueCents }))} />
      <div className="table-scroll">
        <table data-testid="site-days-table">
          <caption className="visually-hidden">Figures per local day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {CELLS.map((c) => (
                <th key={c.col} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr key={d.day} data-testid={`day-row-${d.day}`}>
                <th scope="row">
                  <span className="muted">{formatWeekday(d.day)}</span> {formatDay(d.day)}
                </th>
                {CELLS.map((c) => cell(c, d.totals))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="day-total-row">
              <th scope="row">Total</th>
              {CELLS.map((c) => cell(c, totals))}
            </tr>
          </tfoot>
        </table>
      </div>
    </figure>
  );
}
