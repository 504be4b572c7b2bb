'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatHour } from '@/lib/reports/format';

export function BusiestHoursChart({ hours }: { hours: { hour: number; perDay: number }[] }) {
  return (
    <BarChart responsive style={{ width: '100%', height: 260 }} data={hours} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="hour" tickFormatter={(h: number) => formatHour(h)} interval="preserveStartEnd" minTickGap={12} />
      <YAxis width={48} allowDecimals />
      <Tooltip formatter={(v) => `${formatCount(Number(v))} a day`} labelFormatter={(h) => formatHour(Number(h))} />
      <Bar dataKey="perDay" name="Transactions per day" fill="#0b63ce" isAnimationActive={false} />
    </BarChart>
  );
}
