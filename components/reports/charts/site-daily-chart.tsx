'use client';

import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayState } from '@/lib/reports/comparison';
import { dayTickFormatter, formatDay, formatMoney, formatMoneyWhole } from '@/lib/reports/format';
import { DayStateLegend, HatchPatterns, hatchFill, STATE_NOTE } from './partial';

const COLOR = '#0b63ce';

/** Revenue per day; a day not synced yet (null) has no bar rather than a zero one; partial days are hatched. */
export function SiteDailyChart({ days }: { days: { day: string; state: DayState; revenueCents: number | null }[] }) {
  const tick = useMemo(() => dayTickFormatter(days.map((d) => d.day)), [days]);
  const states = new Set(days.map((d) => d.state));
  return (
    <div>
      <BarChart responsive style={{ width: '100%', height: 280 }} data={days} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
        <HatchPatterns colors={[COLOR]} />
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
        <Bar dataKey="revenueCents" name="Revenue" fill={COLOR} isAnimationActive={false} maxBarSize={48}>
          {days.map((d) => (
            <Cell key={d.day} fill={hatchFill(COLOR, d.state)} stroke={COLOR} />
          ))}
        </Bar>
      </BarChart>
      <DayStateLegend series={[{ label: 'Revenue', color: COLOR }]} states={states} />
    </div>
  );
}
