'use client';

import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayState } from '@/lib/reports/comparison';
import { dayTickFormatter, formatDay, formatMoney, formatMoneyWhole } from '@/lib/reports/format';
import { colorAt, DATABASE_COLORS, SERIES_COLORS } from '../colors';
import { DayStateLegend, HatchPatterns, hatchFill, STATE_NOTE } from './partial';

export interface DailySeries {
  key: string;
  label: string;
  database: string;
}

interface Props {
  days: { day: string; state: DayState }[];
  series: DailySeries[];
  /** Cents, `values[s][d]` for series `s` on day `days[d]`; null where the day is not synced. */
  values: (number | null)[][];
}

/**
 * Daily revenue as stacked bars, by database (their stack is the consolidated total) or by site.
 * A day that is not complete (today, or one still being fetched) is hatched, a day not synced has
 * no bar: a short bar is never mistaken for a slow day. The grouping is a view choice, kept in the
 * component rather than the URL.
 */
export function DailyRevenueChart({ days, series, values }: Props) {
  const databases = useMemo(() => [...new Set(series.map((s) => s.database))], [series]);
  const [groupBy, setGroupBy] = useState<'database' | 'site'>(databases.length > 1 ? 'database' : 'site');
  const tick = useMemo(() => dayTickFormatter(days.map((d) => d.day)), [days]);

  const { rows, groups } = useMemo(() => {
    const groups =
      groupBy === 'site'
        ? series.map((s, i) => ({ key: `s${i}`, label: s.label, members: [i], color: colorAt(SERIES_COLORS, i) }))
        : databases.map((name, i) => ({
            key: `d${i}`,
            label: name,
            members: series.flatMap((s, j) => (s.database === name ? [j] : [])),
            color: colorAt(DATABASE_COLORS, i),
          }));
    return {
      groups,
      rows: days.map(({ day, state }, d) => {
        const row: Record<string, string | number | null> = { day, state };
        for (const g of groups) {
          const cells = g.members.map((m) => values[m]?.[d] ?? null);
          row[g.key] = cells.every((c) => c === null) ? null : cells.reduce<number>((sum, c) => sum + (c ?? 0), 0);
        }
        return row;
      }),
    };
  }, [groupBy, series, databases, days, values]);
  const states = new Set(days.map((d) => d.state));

  return (
    <div>
      <fieldset className="segmented">
        <legend className="visually-hidden">Stack the bars by</legend>
        {(['database', 'site'] as const).map((g) => (
          <label key={g}>
            <input type="radio" name="daily-group" value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
            By {g}
          </label>
        ))}
      </fieldset>
      <BarChart responsive style={{ width: '100%', height: 320 }} data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
        <HatchPatterns colors={groups.map((g) => g.color)} />
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={tick} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatMoneyWhole(v)} width={72} />
        <Tooltip
          formatter={(v) => formatMoney(Number(v))}
          labelFormatter={(d, payload) => {
            const state = payload?.[0]?.payload?.state as DayState | undefined;
            return `${formatDay(String(d))}${state && state !== 'complete' ? ` (${STATE_NOTE[state]})` : ''}`;
          }}
        />
        {groups.map((g) => (
          <Bar key={g.key} dataKey={g.key} name={g.label} stackId="revenue" fill={g.color} isAnimationActive={false} maxBarSize={48}>
            {rows.map((r) => (
              <Cell key={String(r.day)} fill={hatchFill(g.color, r.state as DayState)} stroke={g.color} />
            ))}
          </Bar>
        ))}
      </BarChart>
      <DayStateLegend series={groups.map((g) => ({ label: g.label, color: g.color }))} states={states} />
    </div>
  );
}
