import { CLOSED_SITE_TEXT, type ReportTotals, type SiteTotals } from '@/db/queries/reports';
import type { RollupTotals } from '@/lib/measures';
import { NO_COMPARISON_TEXT } from '@/lib/reports/comparison';
import { filtersToSearchParams, type ReportFilters, type SiteSortKey, type SortDirection } from '@/lib/reports/filters';
import { formatChange, formatCount, formatMoney } from '@/lib/reports/format';
import { averageTicketCents, changeDirection, relativeChange } from '@/lib/reports/kpis';
import { ColumnChooser, type ChoosableColumn } from './column-chooser';
import { ScrollArea } from './ui';

type Row = RollupTotals & { previous: RollupTotals };

interface Column extends ChoosableColumn {
  key: SiteSortKey | 'membershipRevenue' | 'refunds';
  money: boolean;
  /** The figure for a row (cents or a count). */
  value: (r: Row) => number | null;
}

/** Revenue against the earlier period, when the row may be compared. */
const revenueChange = (r: Row, comparable: boolean) => (comparable ? relativeChange(r.revenueCents, r.previous.revenueCents) : null);

const FIGURES: Column[] = [
  { key: 'revenue', label: 'Revenue', money: true, value: (r) => r.revenueCents },
  { key: 'transactions', label: 'Transactions', money: false, value: (r) => r.transactions },
  { key: 'averageTicket', label: 'Avg ticket', money: true, value: averageTicketCents },
  { key: 'membershipSales', label: 'Memberships sold', money: false, value: (r) => r.membershipSales },
  { key: 'redemptions', label: 'Redemptions', money: false, value: (r) => r.redemptions },
  { key: 'membershipRevenue', label: 'Membership revenue', money: true, value: (r) => r.membershipSalesCents },
  { key: 'refunds', label: 'Refunded', money: true, value: (r) => r.refundsCents },
  { key: 'voided', label: 'Voided', money: false, value: (r) => r.voided },
];

/** The table's optional columns (the site and its change are always there). */
export const SITE_TABLE_COLUMNS: readonly ChoosableColumn[] = FIGURES.map(({ key, label }) => ({ key, label }));
/** Shown unless the URL chooses others: what fits 1280 px without scrolling. */
export const SITE_TABLE_DEFAULT_COLUMNS = ['revenue', 'transactions', 'averageTicket', 'membershipSales', 'redemptions', 'voided'];

export const DEFAULT_SORT: { sort: SiteSortKey; dir: SortDirection } = { sort: 'revenue', dir: 'desc' };

const SORTABLE: Record<SiteSortKey, (s: SiteTotals) => number | string | null> = {
  site: (s) => `${s.siteName} ${s.code}`,
  database: (s) => s.databaseName,
  transactions: (s) => s.transactions,
  revenue: (s) => s.revenueCents,
  averageTicket: averageTicketCents,
  membershipSales: (s) => s.membershipSales,
  redemptions: (s) => s.redemptions,
  voided: (s) => s.voided,
  change: (s) => revenueChange(s, s.comparability.comparable),
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

/**
 * Every site in scope with its figures and a totals row (the scope's totals, the KPI cards' own
 * figures and rule). Headers sort through the URL (`sort`, `dir`); optional columns through `cols`.
 * Test hooks: `site-row-<db>-<code>` rows, cells with `data-col` and `data-value` (cents or counts),
 * `site-total-row`.
 */
export function SiteTable({
  totals,
  filters,
  visible,
  basePath = '/',
}: {
  totals: Pick<ReportTotals, 'sites' | 'current' | 'previous' | 'comparison'>;
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
  const sorted = [...sites].sort((a, b) => compare(SORTABLE[sort](a), SORTABLE[sort](b)) * (dir === 'asc' ? 1 : -1));
  const multipleDatabases = new Set(sites.map((s) => s.databaseKey)).size > 1;
  const query = filtersToSearchParams(filters);
  if (visible.join(',') !== SITE_TABLE_DEFAULT_COLUMNS.join(',')) query.set('cols', visible.join(','));

  const headerLink = (key: SiteSortKey, isNumeric: boolean) => {
    const nextDir: SortDirection = key === sort ? (dir === 'asc' ? 'desc' : 'asc') : isNumeric ? 'desc' : 'asc';
    const params = filtersToSearchParams(filters, { sort: key, dir: nextDir });
    if (query.has('cols')) params.set('cols', query.get('cols')!);
    return `${basePath}?${params}#sites`;
  };
  const header = (key: SiteSortKey | string, label: string, isNumeric: boolean) => {
    const sortable = key in SORTABLE;
    return (
      <th key={key} scope="col" className={isNumeric ? 'num' : undefined} aria-sort={key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        {sortable ? (
          // Plain links: a client-side Link per cell costs more to render than it saves.
          <a href={headerLink(key as SiteSortKey, isNumeric)}>
            {label}
            <span aria-hidden="true">{key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
          </a>
        ) : (
          label
        )}
      </th>
    );
  };
  const cells = (r: Row) =>
    columns.map((c) => {
      const v = c.value(r);
      return (
        <td key={c.key} className="num" data-col={c.key} data-label={c.label} data-value={v ?? ''}>
          {c.money ? formatMoney(v) : formatCount(v)}
        </td>
      );
    });
  const rowReason = (s: SiteTotals) =>
    s.comparability.comparable ? null : s.comparability.reason === 'closed' ? CLOSED_SITE_TEXT : NO_COMPARISON_TEXT[s.comparability.reason];

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
                  cells(s)
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="site-total-row">
              <th scope="row" data-col="site">
                Total ({formatCount(sites.length)} {sites.length === 1 ? 'site' : 'sites'})
              </th>
              <ChangeCell
                change={comparison.comparable ? relativeChange(totals.current.revenueCents, totals.previous.revenueCents) : null}
                reason={comparison.comparable ? null : NO_COMPARISON_TEXT[comparison.reason!]}
              />
              {cells({ ...totals.current, previous: totals.previous })}
            </tr>
          </tfoot>
        </table>
      </ScrollArea>
    </div>
  );
}
