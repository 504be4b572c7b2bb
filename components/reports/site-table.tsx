import { CLOSED_SITE_TEXT, type ReportTotals, type SiteTotals } from '@/db/queries/reports';
import { figure, type Dataset, type FigureKey, type RollupTotals } from '@/lib/measures';
import { NO_COMPARISON_TEXT } from '@/lib/reports/comparison';
import { filtersToSearchParams, type ReportFilters, type SiteSortKey, type SortDirection } from '@/lib/reports/filters';
import { formatChange, formatFigure } from '@/lib/reports/format';
import { changeDirection, relativeChange } from '@/lib/reports/kpis';
import { ColumnChooser, type ChoosableColumn } from './column-chooser';
import { ScrollArea } from './ui';

type Row = RollupTotals & { previous: RollupTotals };

interface Column extends ChoosableColumn {
  key: Exclude<SiteSortKey, 'site' | 'database' | 'change'>;
  figure: FigureKey;
}

/** Revenue against the earlier period, when the row may be compared. */
const revenueChange = (r: Row, comparable: boolean) => (comparable ? relativeChange(r.revenueCents, r.previous.revenueCents) : null);

const col = (key: Column['key'], figureKey: FigureKey, label = figure(figureKey).label): Column => ({ key, figure: figureKey, label });

const FIGURES: Column[] = [
  col('revenue', 'revenueCents'),
  col('carsWashed', 'carsWashed'),
  col('revenuePerCar', 'revenuePerCar', 'Revenue / car'),
  col('newMemberships', 'newMemberships'),
  col('conversion', 'conversion'),
  col('laborCostPerCar', 'laborCostPerCar', 'Labor / car'),
  col('transactions', 'transactions'),
  col('averageTicket', 'averageTicket', 'Avg ticket'),
  col('membershipSales', 'membershipSales', 'Memberships sold'),
  col('redemptions', 'redemptions'),
  col('memberWashes', 'memberWashes'),
  col('retailWashes', 'retailWashes'),
  col('freeWashes', 'freeWashes'),
  col('eligibleWashes', 'eligibleWashes'),
  col('laborHours', 'laborHundredths'),
  col('laborCost', 'laborCostCents'),
  col('membershipRevenue', 'membershipSalesCents', 'Membership revenue'),
  col('refunds', 'refundsCents', 'Refunded'),
  col('voided', 'voided'),
];

/** The table's optional columns (the site and its change are always there). */
export const SITE_TABLE_COLUMNS: readonly ChoosableColumn[] = FIGURES.map(({ key, label }) => ({ key, label }));
/** Shown unless the URL chooses others: what fits 1280 px without scrolling. */
export const SITE_TABLE_DEFAULT_COLUMNS = ['revenue', 'carsWashed', 'revenuePerCar', 'newMemberships', 'conversion', 'laborCostPerCar', 'transactions'];

export const DEFAULT_SORT: { sort: SiteSortKey; dir: SortDirection } = { sort: 'revenue', dir: 'desc' };

const sortValue = (s: SiteTotals, key: SiteSortKey): number | string | null => {
  if (key === 'site') return `${s.siteName} ${s.code}`;
  if (key === 'database') return s.databaseName;
  if (key === 'change') return revenueChange(s, s.comparability.comparable);
  const c = FIGURES.find((f) => f.key === key);
  return c ? figure(c.figure).value(s) : null;
};

function compare(a: number | string | null, b: number | string | null): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

export function siteHref(site: { databaseKey: string; code: string }, filters: Pick<ReportFilters, 'range' | 'compare'>): string {
  return `/sites/${encodeURIComponent(site.databaseKey)}/${encodeURIComponent(site.code)}?${filtersToSearchParams({ range: filters.range, compare: filters.compare })}`;
}

/** The change cell: the change with its arrow, or why there is none (the KPI cards' words). */
function ChangeCell({ change, reason }: { change: number | null; reason: string | null }) {
  const direction = changeDirection(change);
  return (
    <td className={`num change ${direction === 'up' ? 'good' : direction === 'down' ? 'bad' : ''}`} data-col="change" data-label="Change" data-value={change ?? ''}>
      {reason !== null ? (
        <span className="muted why">
          <span className="visually-hidden">No comparison: </span>
          {reason}
        </span>
      ) : change === null ? (
        <span className="muted">—</span>
      ) : (
        <>
          <span aria-hidden="true">{direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}</span>
          {formatChange(change)}
        </>
      )}
    </td>
  );
}

/** Whether a row's figure reads data that is not all in for the range (marked beside the value). */
type PartialOf = (datasets: readonly Dataset[]) => boolean;

/**
 * Every site in scope with its figures and a totals row (the scope's totals, the KPI cards' own
 * figures and rule). Headers sort through the URL (`sort`, `dir`); optional columns through `cols`.
 * A figure whose data is still coming in for the range is marked "partial". Test hooks:
 * `site-row-<db>-<code>` rows, cells with `data-col` and `data-value`, `site-total-row`.
 */
export function SiteTable({
  totals,
  filters,
  visible,
  basePath = '/',
}: {
  totals: Pick<ReportTotals, 'sites' | 'current' | 'previous' | 'comparison' | 'comparisons'>;
  filters: ReportFilters;
  /** Optional columns to show (see SITE_TABLE_COLUMNS). */
  visible: readonly string[];
  basePath?: string;
}) {
  const { sites, comparison } = totals;
  if (sites.length === 0) return null;
  const columns = FIGURES.filter((c) => visible.includes(c.key));
  const sort = filters.sort ?? DEFAULT_SORT.sort;
  const numeric = sort !== 'site' && sort !== 'database';
  const dir = filters.dir ?? (filters.sort ? (numeric ? 'desc' : 'asc') : DEFAULT_SORT.dir);
  const sorted = [...sites].sort((a, b) => compare(sortValue(a, sort), sortValue(b, sort)) * (dir === 'asc' ? 1 : -1));
  const multipleDatabases = new Set(sites.map((s) => s.databaseKey)).size > 1;
  const query = filtersToSearchParams(filters);
  if (visible.join(',') !== SITE_TABLE_DEFAULT_COLUMNS.join(',')) query.set('cols', visible.join(','));

  const headerLink = (key: SiteSortKey, isNumeric: boolean) => {
    const nextDir: SortDirection = key === sort ? (dir === 'asc' ? 'desc' : 'asc') : isNumeric ? 'desc' : 'asc';
    const params = filtersToSearchParams(filters, { sort: key, dir: nextDir });
    if (query.has('cols')) params.set('cols', query.get('cols')!);
    return `${basePath}?${params}#sites`;
  };
  const header = (key: SiteSortKey, label: string, isNumeric: boolean) => (
    <th key={key} scope="col" className={isNumeric ? 'num' : undefined} aria-sort={key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      {/* Plain links: a client-side Link per cell costs more to render than it saves. */}
      <a href={headerLink(key, isNumeric)}>
        {label}
        <span aria-hidden="true">{key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </a>
    </th>
  );
  const cells = (r: Row, partialOf: PartialOf) =>
    columns.map((c) => {
      const f = figure(c.figure);
      const v = f.value(r);
      const partial = partialOf(f.datasets);
      return (
        <td key={c.key} className={`num${partial ? ' partial-value' : ''}`} data-col={c.key} data-label={c.label} data-value={v ?? ''} data-partial={partial}>
          {formatFigure(f.format, v)}
          {partial && <span className="partial-mark" title="Partial: not all in yet"><span className="visually-hidden"> (partial)</span>*</span>}
        </td>
      );
    });
  const incomplete = (reason: string | null) => reason === 'current-incomplete' || reason === 'syncing' || reason === 'future';
  const rowPartial = (s: SiteTotals): PartialOf => (datasets) => datasets.some((d) => incomplete(s.datasets[d]?.reason ?? null));
  const totalPartial: PartialOf = (datasets) => datasets.some((d) => incomplete(totals.comparisons[d].reason));
  const rowReason = (s: SiteTotals) =>
    s.comparability.comparable ? null : s.comparability.reason === 'closed' ? CLOSED_SITE_TEXT : NO_COMPARISON_TEXT[s.comparability.reason];
  const anyPartial = sorted.some((s) => columns.some((c) => rowPartial(s)(figure(c.figure).datasets)));

  return (
    <div className="stack-sm">
      <ColumnChooser action={basePath} columns={SITE_TABLE_COLUMNS} visible={visible} keep={query} anchor="sites" />
      <ScrollArea label="Figures by site" className="stackable">
        <table data-testid="site-table" className="site-table">
          <caption className="visually-hidden">
            Figures by site, sorted by {sort} ({dir === 'asc' ? 'ascending' : 'descending'}). Column headers change the order.
          </caption>
          <thead>
            <tr>
              {header('site', 'Site', false)}
              {header('change', 'Change', true)}
              {columns.map((c) => header(c.key, c.label, true))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={`${s.databaseKey}:${s.code}`} data-testid={`site-row-${s.databaseKey}-${s.code}`}>
                <th scope="row" data-col="site">
                  <a href={siteHref(s, filters)}>{s.siteName}</a> <span className="muted small">{s.code}</span>
                  {multipleDatabases && <span className="muted small db-tag"> · {s.databaseName}</span>}
                  {s.removed && <span className="muted small"> (closed)</span>}
                </th>
                <ChangeCell change={revenueChange(s, s.comparability.comparable)} reason={rowReason(s)} />
                {s.fetchedDays === 0 && s.transactions + s.voided + s.otherStatus === 0 ? (
                  <td colSpan={columns.length} className="muted" data-col="unsynced" data-label="Figures">
                    Not synced yet for this range
                  </td>
                ) : (
                  cells(s, rowPartial(s))
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="site-total-row">
              <th scope="row" data-col="site">
                Total ({sites.length.toLocaleString('en-US')} {sites.length === 1 ? 'site' : 'sites'})
              </th>
              <ChangeCell
                change={comparison.comparable ? relativeChange(totals.current.revenueCents, totals.previous.revenueCents) : null}
                reason={comparison.comparable ? null : NO_COMPARISON_TEXT[comparison.reason!]}
              />
              {cells({ ...totals.current, previous: totals.previous }, totalPartial)}
            </tr>
          </tfoot>
        </table>
      </ScrollArea>
      {anyPartial && <p className="small muted">* Partial: the data behind this figure is not all in for the range yet (a sync is still fetching it).</p>}
    </div>
  );
}
