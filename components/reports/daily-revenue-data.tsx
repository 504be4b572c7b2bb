'use client';

import { useState } from 'react';
import { DAY_STATE_LABELS, type DayState } from '@/lib/reports/comparison';
import { formatDay, formatMoney } from '@/lib/reports/format';
import type { DailySeries } from './charts/daily-revenue-chart';

interface Props {
  days: { day: string; state: DayState }[];
  series: DailySeries[];
  /** Cents, `values[s][d]`; null where the day is not synced. */
  values: (number | null)[][];
  caption: string;
}

const sum = (cells: (number | null)[]) => (cells.every((c) => c === null) ? null : cells.reduce<number>((s, c) => s + (c ?? 0), 0));

/**
 * The daily chart's numbers (a day × site grid, with database and overall totals and each day's
 * state), built in the browser when "Show data" is opened: the grid is hundreds of cells that most
 * visits never open, and rendering them on the server for every request cost more than the rest of
 * the page.
 */
export function DailyRevenueData({ days, series, values, caption }: Props) {
  const [open, setOpen] = useState(false);
  const databases = [...new Set(series.map((s) => s.database))];
  const multipleDatabases = databases.length > 1;
  return (
    <details className="chart-data" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show data</summary>
      {open && (
        <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
          <table data-testid="daily-revenue-data">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">State</th>
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
              {days.map(({ day, state }, d) => (
                <tr key={day} data-state={state}>
                  <th scope="row">{formatDay(day)}</th>
                  <td className={state === 'complete' ? 'muted' : 'state-flag'}>{DAY_STATE_LABELS[state]}</td>
                  {values.map((v, s) => (
                    <td key={s} className="num">
                      {formatMoney(v[d] ?? null)}
                    </td>
                  ))}
                  {multipleDatabases &&
                    databases.map((name) => (
                      <td key={name} className="num">
                        {formatMoney(sum(values.map((v, s) => (series[s]?.database === name ? (v[d] ?? null) : null))))}
                      </td>
                    ))}
                  <td className="num">{formatMoney(sum(values.map((v) => v[d] ?? null)))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
