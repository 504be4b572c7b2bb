import { listDailyTotals, listDayStatuses } from '@/db/queries/reports';
import { EMPTY_TOTALS, type RollupTotals } from '@/lib/measures';
import { DAY_STATE_LABELS } from '@/lib/reports/comparison';
import { formatCount, formatDay, formatMoney, formatTimeOfDay, formatWeekday } from '@/lib/reports/format';
import { addTotals, averageTicketCents } from '@/lib/reports/kpis';
import type { ReportScope } from '@/lib/reports/scope';
import { SiteDailyChart } from './charts';
import { ColumnChooser, type ChoosableColumn } from './column-chooser';
import { ScrollArea } from './ui';

interface Cell extends ChoosableColumn {
  money: boolean;
  value: (t: RollupTotals) => number | null;
}

const CELLS: Cell[] = [
  { key: 'transactions', label: 'Transactions', money: false, value: (t) => t.transactions },
  { key: 'revenue', label: 'Revenue', money: true, value: (t) => t.revenueCents },
  { key: 'averageTicket', label: 'Avg ticket', money: true, value: averageTicketCents },
  { key: 'membershipSales', label: 'Memberships sold', money: false, value: (t) => t.membershipSales },
  { key: 'redemptions', label: 'Redemptions', money: false, value: (t) => t.redemptions },
  { key: 'voided', label: 'Voided', money: false, value: (t) => t.voided },
  { key: 'membershipSalesRevenue', label: 'Membership revenue', money: true, value: (t) => t.membershipSalesCents },
  { key: 'refunds', label: 'Refunded', money: true, value: (t) => t.refundsCents },
  { key: 'otherStatus', label: 'Other status', money: false, value: (t) => t.otherStatus },
];

export const SITE_DAY_COLUMNS: readonly ChoosableColumn[] = CELLS.map(({ key, label }) => ({ key, label }));
export const SITE_DAY_DEFAULT_COLUMNS = ['transactions', 'revenue', 'averageTicket', 'membershipSales', 'redemptions', 'voided'];

/**
 * A site's days: a revenue chart over the table that holds every figure. Every day of the range has
 * a row with its state: complete, partial (fetched before it ended: figures as of that fetch),
 * syncing, not synced (unknown, never shown as zero) or in the future. Partial days are hatched in
 * the chart. A day opens its transactions. Test hooks: `day-row-<YYYY-MM-DD>` (with `data-state`
 * and `data-synced`), `day-total-row`, cells with `data-col` and `data-value`, `unsynced-days`.
 */
export async function SiteDaily({
  scope,
  today,
  timeZone,
  basePath,
  visible,
  keep,
}: {
  scope: ReportScope;
  today: string;
  timeZone: string;
  /** The site page's path (`/sites/db/code`), for day links and the column chooser. */
  basePath: string;
  visible: readonly string[];
  keep: URLSearchParams;
}) {
  const [rows, statuses] = await Promise.all([listDailyTotals({ scope }), listDayStatuses({ scope, today })]);
  const byDay = new Map(rows.map((r) => [r.localDay, r]));
  const days = statuses.days.map((s) => ({
    ...s,
    // Unknown, not zero: a day not synced, in the future, or being fetched with nothing in yet.
    totals: s.state === 'unsynced' || s.state === 'future' ? null : (byDay.get(s.day) ?? (s.state === 'syncing' ? null : EMPTY_TOTALS)),
  }));
  const missing = statuses.counts.unsynced;
  const future = statuses.counts.future;
  const notComplete = statuses.counts.partial + statuses.counts.syncing;
  const totals = rows.reduce<RollupTotals>(addTotals, EMPTY_TOTALS);
  const cells = CELLS.filter((c) => visible.includes(c.key));
  const query = new URLSearchParams(keep);
  if (visible.join(',') !== SITE_DAY_DEFAULT_COLUMNS.join(',')) query.set('cols', visible.join(','));
  const cell = (c: Cell, t: RollupTotals) => {
    const v = c.value(t);
    return (
      <td key={c.key} className="num" data-col={c.key} data-label={c.label} data-value={v ?? ''}>
        {c.money ? formatMoney(v) : formatCount(v)}
      </td>
    );
  };
  return (
    <figure className="chart" aria-labelledby="site-daily-title">
      <figcaption id="site-daily-title" className="visually-hidden">
        Revenue per day, partial days hatched; the table below has every figure
      </figcaption>
      <SiteDailyChart days={days.map((d) => ({ day: d.day, state: d.state, revenueCents: d.totals?.revenueCents ?? null }))} />
      {(missing > 0 || notComplete > 0 || future > 0) && (
        <p className="small muted" data-testid="unsynced-days">
          {[
            missing > 0 && `${formatCount(missing)} of ${formatCount(days.length)} days have not been synced yet: they read “not synced”, not zero`,
            notComplete > 0 && `${formatCount(notComplete)} ${notComplete === 1 ? 'day is' : 'days are'} partial (still filling in)`,
            future > 0 && `${formatCount(future)} ${future === 1 ? 'day is' : 'days are'} in the future`,
          ]
            .filter(Boolean)
            .join('; ')}
          . Totals cover what is synced.
        </p>
      )}
      <ColumnChooser action={basePath} columns={SITE_DAY_COLUMNS} visible={visible} keep={query} anchor="days-title" />
      <ScrollArea label="Figures per local day" className="stackable">
        <table data-testid="site-days-table">
          <caption className="visually-hidden">Figures per local day; a day opens its transactions</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">State</th>
              {cells.map((c) => (
                <th key={c.key} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map(({ day, state, asOfMs, totals: dayTotals }) => (
              <tr key={day} data-testid={`day-row-${day}`} data-state={state} data-synced={dayTotals !== null} className={`day-${state}`}>
                <th scope="row">
                  {dayTotals === null ? (
                    <>
                      <span className="muted">{formatWeekday(day)}</span> {formatDay(day)}
                    </>
                  ) : (
                    <a href={`${basePath}/days/${day}`}>
                      <span className="muted">{formatWeekday(day)}</span> {formatDay(day)}
                    </a>
                  )}
                </th>
                <td data-col="state" data-label="State" className={state === 'complete' ? 'muted' : 'state-flag'}>
                  {DAY_STATE_LABELS[state]}
                  {state === 'partial' && asOfMs !== null && <span className="muted small"> as of {formatTimeOfDay(asOfMs, timeZone)}</span>}
                </td>
                {dayTotals === null ? (
                  <td colSpan={cells.length} className="muted" data-label="Figures">
                    {state === 'future' ? 'Not yet' : state === 'syncing' ? 'Being synced now' : 'Not synced yet'}
                  </td>
                ) : (
                  cells.map((c) => cell(c, dayTotals))
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="day-total-row">
              <th scope="row">Total</th>
              <td data-label="State" />
              {cells.map((c) => cell(c, totals))}
            </tr>
          </tfoot>
        </table>
      </ScrollArea>
    </figure>
  );
}
