import { listDailyTotals, listDayStatuses } from '@/db/queries/reports';
import { EMPTY_TOTALS, figure, type FigureKey, type RollupTotals } from '@/lib/measures';
import { DAY_STATE_LABELS } from '@/lib/reports/comparison';
import { formatCount, formatDay, formatFigure, formatTimeOfDay, formatWeekday } from '@/lib/reports/format';
import { addTotals } from '@/lib/reports/kpis';
import type { ReportScope } from '@/lib/reports/scope';
import { SiteCarsChart, SiteDailyChart } from './charts';
import { ColumnChooser, type ChoosableColumn } from './column-chooser';
import { ScrollArea } from './ui';

interface Cell extends ChoosableColumn {
  figure: FigureKey;
}

const cell = (key: string, figureKey: FigureKey, label = figure(figureKey).label): Cell => ({ key, figure: figureKey, label });

const CELLS: Cell[] = [
  cell('transactions', 'transactions'),
  cell('revenue', 'revenueCents'),
  cell('carsWashed', 'carsWashed'),
  cell('newMemberships', 'newMemberships'),
  cell('conversion', 'conversion'),
  cell('laborCostPerCar', 'laborCostPerCar', 'Labor / car'),
  cell('averageTicket', 'averageTicket', 'Avg ticket'),
  cell('revenuePerCar', 'revenuePerCar', 'Revenue / car'),
  cell('memberWashes', 'memberWashes'),
  cell('retailWashes', 'retailWashes'),
  cell('planSaleWashes', 'planSaleWashes'),
  cell('freeWashes', 'freeWashes'),
  cell('eligibleWashes', 'eligibleWashes'),
  cell('laborHours', 'laborHundredths'),
  cell('laborCost', 'laborCostCents'),
  cell('carsPerLaborHour', 'carsPerLaborHour'),
  cell('membershipSales', 'membershipSales', 'Memberships sold'),
  cell('redemptions', 'redemptions'),
  cell('voided', 'voided'),
  cell('membershipSalesRevenue', 'membershipSalesCents', 'Membership revenue'),
  cell('refunds', 'refundsCents', 'Refunded'),
  cell('otherStatus', 'otherStatus'),
];

export const SITE_DAY_COLUMNS: readonly ChoosableColumn[] = CELLS.map(({ key, label }) => ({ key, label }));
export const SITE_DAY_DEFAULT_COLUMNS = ['transactions', 'revenue', 'carsWashed', 'newMemberships', 'conversion', 'laborCostPerCar'];

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
  const cellOf = (c: Cell, t: RollupTotals, whole: (typeof days)[number]['datasets'] | null) => {
    const f = figure(c.figure);
    const v = f.value(t);
    // A day's figure is partial while any data it reads is not in for that day.
    const partial = whole !== null && f.datasets.some((d) => !whole[d]);
    return (
      <td key={c.key} className={`num${partial ? ' partial-value' : ''}`} data-col={c.key} data-label={c.label} data-value={v ?? ''} data-partial={partial}>
        {formatFigure(f.format, v)}
        {partial && <span className="partial-mark"><span className="visually-hidden"> (partial)</span>*</span>}
      </td>
    );
  };
  const anyPartial = days.some((d) => d.totals !== null && cells.some((c) => figure(c.figure).datasets.some((k) => !d.datasets[k])));
  return (
    <figure className="chart" aria-labelledby="site-daily-title">
      <figcaption id="site-daily-title" className="visually-hidden">
        Revenue per day, partial days hatched; the table below has every figure
      </figcaption>
      <SiteDailyChart days={days.map((d) => ({ day: d.day, state: d.state, revenueCents: d.totals?.revenueCents ?? null }))} />
      <SiteCarsChart
        days={days.map((d) => {
          const t = d.totals;
          const washes = d.datasets.washes && d.state === 'complete';
          return {
            day: d.day,
            whole: washes,
            member: t ? t.redemptions : null,
            retail: t ? t.retailWashes : null,
            planSale: t ? t.planSaleWashes : null,
            conversion: t && washes && d.datasets.memberships ? figure('conversion').value(t) : null,
            laborPerCar: t && washes && d.datasets.labor ? figure('laborCostPerCar').value(t) : null,
          };
        })}
      />
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
      {anyPartial && (
        <p className="small muted" data-testid="partial-figures">
          * Partial: the wash list, the membership check or the clock entries of that day are not all in yet.
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
            {[...days].reverse().map(({ day, state, asOfMs, datasets, totals: dayTotals }) => (
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
                  cells.map((c) => cellOf(c, dayTotals, datasets))
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="day-total-row">
              <th scope="row">Total</th>
              <td data-label="State" />
              {cells.map((c) => cellOf(c, totals, null))}
            </tr>
          </tfoot>
        </table>
      </ScrollArea>
    </figure>
  );
}
