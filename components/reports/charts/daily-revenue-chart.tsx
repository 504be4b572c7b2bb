'use client';

import { useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatDayShort, formatMoney, formatMoneyWhole } from '@/lib/reports/format';
import { colorAt, DATABASE_COLORS, SERIES_COLORS } from '../colors';

export interface DailySeries {
  key: string;
  label: string;
  database: string;
}

interface Props {
  days: string[];
  series: DailySeries[];
  /** Cents, `values[s][d]` for series `s` on day `days[d]`. */
  values: number[][];
}

/**
 * Daily revenue as stacked areas: by database (their stack is the consolidated total) or by site.
 * The grouping is a view choice, kept in the component rather than the URL.
 */
export function DailyRevenueChart({ days, series, values }: Props) {
  const databases = useMemo(() => [...new Set(series.map((s) => s.database))], [series]);
  const [groupBy, setGroupBy] = useState<'database' | 'site'>(databases.length > 1 ? 'database' : 'site');

  const { rows, keys } = useMemo(() => {
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
      keys: groups,
      rows: days.map((day, d) => {
        const row: Record<string, string | number> = { day };
        for (const g of groups) row[g.key] = g.members.reduce((sum, m) => sum + (values[m]?.[d] ?? 0), 0);
        return row;
      }),
    };
  }, [groupBy, series, databases, days, values]);

  return (
    <div>
      <fieldset className="segmented">
        <legend className="visually-hidden">Stack the areas by</legend>
        {(['database', 'site'] as const).map((g) => (
          <label key={g}>
            <input type="radio" name="daily-group" value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
            By {g}
          </label>
        ))}
      </fieldset>
      <AreaChart responsive style={{ width: '100%', height: 320 }} data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => formatDayShort(d)} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatMoneyWhole(v)} width={72} />
        <Tooltip formatter={(v) => formatMoney(Number(v))} labelFormatter={(d) => formatDay(String(d))} />
        <Legend />
        {keys.map((k) => (
          <Area
            key={k.key}
            type="monotone"
            dataKey={k.key}
            name={k.label}
            stackId="revenue"
            stroke={k.color}
            fill={k.color}
            fillOpacity={0.35}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    </div>
  );
}
