'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatDayShort, formatMoney, formatMoneyWhole } from '@/lib/reports/format';

/** Revenue per day; a day not synced yet (null) has no bar rather than a zero one. */
export function SiteDailyChart({ days }: { days: { day: string; revenueCents: number | null }[] }) {
  return (
    <BarChart responsive style={{ width: '100%', height: 280 }} data={days} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="day" tickFormatter={(d: string) => formatDayShort(d)} minTickGap={24} />
      <YAxis tickFormatter={(v: number) => formatMoneyWhole(v)} width={72} />
      <Tooltip formatter={(v) => formatMoney(Number(v))} labelFormatter={(d) => formatDay(String(d))} />
      <Bar dataKey="revenueCents" name="Revenue" fill="#0b63ce" isAnimationActive={false} />
    </BarChart>
  );
}
