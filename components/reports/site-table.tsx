import type { SiteTotals } from '@/db/queries/reports';
import { filtersToSearchParams, type ReportFilters, type SiteSortKey, type SortDirection } from '@/lib/reports/filters';
import { formatChange, formatCount, formatMoney } from '@/lib/reports/format';
import { addTotals, averageTicketCents, EMPTY_TOTALS, relativeChange } from '@/lib/reports/kpis';

type Column = {
  key: SiteSortKey;
  label: string;
  numeric: boolean;
  /** `comparable`: whether the previous period can be compared with (ReportTotals.comparable). */
  value: (s: SiteTotals, comparable: boolean) => number | string | null;
};

/** Revenue against the previous period, or null when there is nothing to compare with. */
function revenueChange(s: SiteTotals, comparable: boolean): number | null {
  return comparable ? relativeChange(s.revenueCents, s.previousRevenueCents) : null;
}

const COLUMNS: Column[] = [
  { key: 'site', label: 'Site', numeric: false, value: (s) => `${s.siteName} ${s.code}` },
  { key: 'database', label: 'Database', numeric: false, value: (s) => s.databaseName },
  { key: 'transactions', label: 'Transactions', numeric: true, value: (s) => s.transactions },
  { key: 'revenue', label: 'Revenue', numeric: true, value: (s) => s.revenueCents },
  { key: 'change', label: 'Change', numeric: true, value: revenueChange },
  { key: 'averageTicket', label: 'Avg ticket', numeric: true, value: averageTicketCents },
  { key: 'membershipSales', label: 'Memberships sold', numeric: true, value: (s) => s.membershipSales },
  { key: 'redemptions', label: 'Redemptions', numeric: true, value: (s) => s.redemptions },
  { key: 'voided', label: 'Voided', numeric: true, value: (s) => s.voided },
];

export const DEFAULT_SORT: { sort: SiteSortKey; dir: SortDirection } = { sort: 'revenue', dir: 'desc' };

function compare(a: number | string | null, b: number | string | null): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

export function siteHref(site: { databaseKey: string; code: string }, filters: Pick<ReportFilters, 'range'>): string {
  return `/sites/${encodeURIComponent(site.databaseKey)}/${encodeURIComponent(site.code)}?${filtersToSearchParams({ range: filters.range })}`;
}

/**
 * Every site in scope with its figures and a totals row; column headers sort through the URL
 * (`sort`, `dir`), so a sorted view is a link like any other. Test hooks: `site-row-<db>-<code>`
 * rows, cells with `data-col` and `data-value` (cents or counts), `site-total-row`.
 */
export function SiteTable({
  sites,
  filters,
  comparable,
  basePath = '/',
}: {
  sites: SiteTotals[];
  filters: ReportFilters;
  /** Whether the previous period can be compared with; when not, the change column says so. */
  comparable: boolean;
  basePath?: string;
}) {
  if (sites.length === 0) return null;
  const sort = filters.sort ?? DEFAULT_SORT.sort;
  const dir = filters.dir ?? (filters.sort ? (COLUMNS.find((c) => c.key === sort)!.numeric ? 'desc' : 'asc') : DEFAULT_SORT.dir);
  const column = COLUMNS.find((c) => c.key === sort)!;
  const sorted = [...sites].sort((a, b) => compare(column.value(a, comparable), column.value(b, comparable)) * (dir === 'asc' ? 1 : -1));
  const totals = sites.reduce(addTotals, EMPTY_TOTALS);
  const previousRevenue = sites.reduce((s, r) => s + r.previousRevenueCents, 0);

  const headerLink = (c: Column) => {
    const nextDir: SortDirection = c.key === sort ? (dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
    return `${basePath}?${filtersToSearchParams(filters, { sort: c.key, dir: nextDir })}#sites`;
  };

  return (
    <div className="table-scroll">
      <table data-testid="site-table">
        <caption className="visually-hidden">
          Figures by site, sorted by {column.label.toLowerCase()} ({dir === 'asc' ? 'ascending' : 'descending'}). Column headers change the
          order.
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                aria-sort={c.key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {/* Plain links: a client-side Link per cell costs more to render than it saves. */}
                <a href={headerLink(c)}>
                  {c.label}
                  <span aria-hidden="true">{c.key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                </a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((s) => {
            const change = revenueChange(s, comparable);
            const average = averageTicketCents(s);
            return (
              <tr key={`${s.databaseKey}:${s.code}`} data-testid={`site-row-${s.databaseKey}-${s.code}`}>
                <th scope="row" data-col="site">
                  <a href={siteHref(s, filters)}>
                    {s.siteName} <span className="muted">{s.code}</span>
                  </a>
                  {s.removed && <span className="muted small"> (closed)</span>}
                </th>
                <td data-col="database">{s.databaseName}</td>
                <td className="num" data-col="transactions" data-value={s.transactions}>
                  {formatCount(s.transactions)}
                </td>
                <td className="num" data-col="revenue" data-value={s.revenueCents}>
                  {formatMoney(s.revenueCents)}
                </td>
                <td className="num" data-col="change" data-value={change ?? ''}>
                  {formatChange(change)}
                </td>
                <td className="num" data-col="averageTicket" data-value={average ?? ''}>
                  {formatMoney(average)}
                </td>
                <td className="num" data-col="membershipSales" data-value={s.membershipSales}>
                  {formatCount(s.membershipSales)}
                </td>
                <td className="num" data-col="redemptions" data-value={s.redemptions}>
                  {formatCount(s.redemptions)}
                </td>
                <td className="num" data-col="voided" data-value={s.voided}>
                  {formatCount(s.voided)}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-testid="site-total-row">
            <th scope="row" data-col="site">
              Total ({formatCount(sites.length)} {sites.length === 1 ? 'site' : 'sites'})
            </th>
            <td data-col="database" />
            <td className="num" data-col="transactions" data-value={totals.transactions}>
              {formatCount(totals.transactions)}
            </td>
            <td className="num" data-col="revenue" data-value={totals.revenueCents}>
              {formatMoney(totals.revenueCents)}
            </td>
            <td className="num" data-col="change">
              {formatChange(comparable ? relativeChange(totals.revenueCents, previousRevenue) : null)}
            </td>
            <td className="num" data-col="averageTicket" data-value={averageTicketCents(totals) ?? ''}>
              {formatMoney(averageTicketCents(totals))}
            </td>
            <td className="num" data-col="membershipSales" data-value={totals.membershipSales}>
              {formatCount(totals.membershipSales)}
            </td>
            <td className="num" data-col="redemptions" data-value={totals.redemptions}>
              {formatCount(totals.redemptions)}
            </td>
            <td className="num" data-col="voided" data-value={totals.voided}>
              {formatCount(totals.voided)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
