import { formatCount, formatMoney } from '@/lib/reports/format';
import { addTotals, averageTicketCents, EMPTY_TOTALS } from '@/lib/reports/kpis';
import type { SiteTotals } from '@/db/queries/reports';
import { RevenueBySiteChart } from './charts';
import { colorAt, DATABASE_COLORS } from './colors';
import { ScrollArea } from './ui';
import { RevenueBySiteData } from './revenue-by-site-data';

/** Revenue per site as bars coloured by database, with the numbers in a "Show data" table. */
export function RevenueBySite({ sites }: { sites: SiteTotals[] }) {
  if (sites.length === 0) return null;
  const databaseNames = [...new Set(sites.map((s) => s.databaseName))];
  const databases = databaseNames.map((name, i) => ({ name, color: colorAt(DATABASE_COLORS, i) }));
  const bars = sites
    .filter((s) => s.transactions + s.voided + s.otherStatus > 0)
    .sort((a, b) => b.revenueCents - a.revenueCents)
    .map((s) => ({
      id: `${s.databaseKey}:${s.code}`,
      // The colour says the database; the database name is repeated only for two sites of one name.
      label: sites.filter((o) => o.siteName === s.siteName).length > 1 ? `${s.siteName} · ${s.databaseName}` : s.siteName,
      database: s.databaseName,
      revenueCents: s.revenueCents,
    }));
  return (
    <figure className="chart" aria-labelledby="revenue-by-site-title">
      <figcaption id="revenue-by-site-title" className="visually-hidden">
        Revenue by site, largest first, coloured by database
      </figcaption>
      <RevenueBySiteChart bars={bars} databases={databases} />
      <RevenueBySiteData bars={bars} caption="Revenue by site" />
    </figure>
  );
}

/**
 * Each database side by side with the consolidated total. Test hooks: `database-row-<key>`,
 * `database-row-all`, cells with `data-col` and `data-value`.
 */
export function DatabaseSplit({ sites }: { sites: SiteTotals[] }) {
  if (sites.length === 0) return null;
  const groups = new Map<string, { name: string; sites: number; totals: typeof EMPTY_TOTALS }>();
  for (const s of sites) {
    const g = groups.get(s.databaseKey) ?? { name: s.databaseName, sites: 0, totals: EMPTY_TOTALS };
    groups.set(s.databaseKey, { name: g.name, sites: g.sites + 1, totals: addTotals(g.totals, s) });
  }
  const all = { name: 'All databases', sites: sites.length, totals: sites.reduce(addTotals, EMPTY_TOTALS) };
  const rows: [string, typeof all][] = [...groups.entries(), ['all', all]];
  return (
    <ScrollArea label="Figures by database" className="stackable">
      <table data-testid="database-table">
        <caption className="visually-hidden">Figures by database, and consolidated</caption>
        <thead>
          <tr>
            <th scope="col">Database</th>
            <th scope="col" className="num">Sites</th>
            <th scope="col" className="num">Transactions</th>
            <th scope="col" className="num">Revenue</th>
            <th scope="col" className="num">Avg ticket</th>
            <th scope="col" className="num">Memberships sold</th>
            <th scope="col" className="num">Redemptions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, g]) => (
            <tr key={key} data-testid={`database-row-${key}`} className={key === 'all' ? 'total-row' : undefined}>
              <th scope="row">{g.name}</th>
              <td className="num" data-col="sites" data-label="Sites" data-value={g.sites}>{formatCount(g.sites)}</td>
              <td className="num" data-col="transactions" data-label="Transactions" data-value={g.totals.transactions}>{formatCount(g.totals.transactions)}</td>
              <td className="num" data-col="revenue" data-label="Revenue" data-value={g.totals.revenueCents}>{formatMoney(g.totals.revenueCents)}</td>
              <td className="num" data-col="averageTicket" data-label="Avg ticket" data-value={averageTicketCents(g.totals) ?? ''}>
                {formatMoney(averageTicketCents(g.totals))}
              </td>
              <td className="num" data-col="membershipSales" data-label="Memberships sold" data-value={g.totals.membershipSales}>{formatCount(g.totals.membershipSales)}</td>
              <td className="num" data-col="redemptions" data-label="Redemptions" data-value={g.totals.redemptions}>{formatCount(g.totals.redemptions)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
