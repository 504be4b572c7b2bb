import { listDailyTotals, listSyncedDays } from '@/db/queries/reports';
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
 * Every day of the range has a row: zero when a sync fetched the day and nothing was sold, "not
 * synced" when no sync has fetched it yet (before the first backfill reached it, or older than the
 * API's six months when Washboard was set up), so a gap is never read as a day without sales.
 * Test hooks: `day-row-<YYYY-MM-DD>` (with `data-synced`), `day-total-row`, cells with `data-col`
 * and `data-value`, `unsynced-days`.
 */
export async function SiteDaily({ scope }: { scope: ReportScope }) {
  const [rows, syncedDays] = await Promise.all([listDailyTotals({ scope }), listSyncedDays({ scope })]);
  const byDay = new Map(rows.map((r) => [r.localDay, r]));
  const synced = new Set(syncedDays);
  const days = eachDay(scope.from, scope.to).map((day) => ({
    day,
    totals: byDay.get(day) ?? (synced.has(day) ? EMPTY_TOTALS : null),
  }));
  const unsynced = days.filter((d) => d.totals === null).length;
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
      <SiteDailyChart days={days.map((d) => ({ day: d.day, revenueCents: d.totals?.revenueCents ?? null }))} />
      {unsynced > 0 && (
        <p className="small muted" data-testid="unsynced-days">
          {unsynced === days.length ? 'No day of this range has been synced yet' : `${unsynced} of ${days.length} days have not been synced yet`}: they
          show as “not synced”, not as zero, and the totals cover the synced days only.
        </p>
      )}
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
            {[...days].reverse().map(({ day, totals: dayTotals }) => (
              <tr key={day} data-testid={`day-row-${day}`} data-synced={dayTotals !== null}>
                <th scope="row">
                  <span className="muted">{formatWeekday(day)}</span> {formatDay(day)}
                </th>
                {dayTotals === null ? (
                  <td colSpan={CELLS.length} className="muted">
                    Not synced yet
                  </td>
                ) : (
                  CELLS.map((c) => cell(c, dayTotals))
                )}
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
