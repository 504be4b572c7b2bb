'use client';

import { useState } from 'react';
import { formatDay, formatMoney } from '@/lib/reports/format';
import type { DailySeries } from './charts/daily-revenue-chart';

interface Props {
  days: string[];
  series: DailySeries[];
  /** Cents, `values[s][d]`. */
  values: number[][];
  caption: string;
}

/**
 * The daily chart's numbers (a day × site grid, with database and overall totals), built in the
 * browser when "Show data" is opened: the grid is hundreds of cells that most visits never open,
 * and rendering them on the server for every request cost more than the rest of the page.
 */
export function DailyRevenueData({ days, series, values, caption }: Props) {
  const [open, setOpen] = useState(false);
  const databases = [...new Set(series.map((s) => s.database))];
  const multipleDatabases = databases.length > 1;
  return (
    <details className="chart-data" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show data</summary>
      {open && (
        <div className="table-scroll">
          <table data-testid="daily-revenue-data">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
                {multipleDatabases &&
                  databases.map((d) => (
                    <th key={d} scope="col" className="num">
                      {d} total
                    </th>
                  ))}
                <th scope="col" className="num">
                  All
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, d) => (
                <tr key={day}>
                  <th scope="row">{formatDay(day)}</th>
                  {values.map((v, s) => (
                    <td key={s} className="num">
                      {formatMoney(v[d] ?? 0)}
                    </td>
                  ))}
                  {multipleDatabases &&
                    databases.map((name) => (
                      <td key={name} className="num">
                        {formatMoney(values.reduce((sum, v, s) => sum + (series[s]?.database === name ? (v[d] ?? 0) : 0), 0))}
                      </td>
                    ))}
                  <td className="num">{formatMoney(values.reduce((sum, v) => sum + (v[d] ?? 0), 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
