'use client';

import { useState } from 'react';
import { formatMoney } from '@/lib/reports/format';
import type { SiteBar } from './charts/revenue-by-site-chart';

/**
 * The revenue-by-site chart's numbers, built in the browser when "Show data" is opened (as for the
 * daily chart): the bars already travel to the browser for the chart, so the table costs the
 * server nothing on the many visits that never open it. Test hook: `revenue-by-site-data`.
 */
export function RevenueBySiteData({ bars, caption }: { bars: SiteBar[]; caption: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="chart-data" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show data</summary>
      {open && (
        <div className="table-scroll">
          <table data-testid="revenue-by-site-data">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Database</th>
                <th scope="col" className="num">
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.label}</th>
                  <td>{b.database}</td>
                  <td className="num">{formatMoney(b.revenueCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
