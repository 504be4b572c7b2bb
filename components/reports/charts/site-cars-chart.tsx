'use client';

import { useMemo } from 'react';
import { Bar, CartesianGrid, Cell, ComposedChart, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { dayTickFormatter, formatCount, formatDay, formatMoney, formatPercent } from '@/lib/reports/format';
import { HatchPatterns, hatchFill } from './partial';

export interface CarsDay {
  day: string;
  /** Every dataset behind the day's car-wash figures is in. */
  whole: boolean;
  member: number | null;
  retail: number | null;
  planSale: number | null;
  /** New memberships ÷ eligible washes; null when not whole or nothing eligible. */
  conversion: number | null;
  /** Cents; null when not whole or no car. */
  laborPerCar: number | null;
}

const SERIES = [
  { key: 'member', label: 'Member washes', color: '#0b63ce' },
  { key: 'retail', label: 'Retail washes', color: '#c2410c' },
  { key: 'planSale', label: 'Plan-sale washes', color: '#15803d' },
] as const;
const CONVERSION = '#7c3aed';
const LABOR = '#be123c';

/**
 * Cars washed per day, stacked member / retail / plan-sale, with the conversion rate as a line on
 * its own axis; below it labor cost per car. Days whose data is not all in are hatched and have no
 * ratio points (a ratio of a partial day would read low or high for no reason).
 */
export function SiteCarsChart({ days }: { days: CarsDay[] }) {
  const tick = useMemo(() => dayTickFormatter(days.map((d) => d.day)), [days]);
  const anyPartial = days.some((d) => !d.whole && (d.member ?? 0) + (d.retail ?? 0) + (d.planSale ?? 0) > 0);
  return (
    <div className="stack-sm">
      <h3 className="chart-title">Cars washed and conversion</h3>
      <ComposedChart responsive style={{ width: '100%', height: 280 }} data={days} margin={{ top: 8, right: 8, bottom: 4, left: 8 }} accessibilityLayer>
        <HatchPatterns colors={SERIES.map((s) => s.color)} />
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={tick} minTickGap={24} />
        <YAxis yAxisId="cars" width={48} allowDecimals={false} />
        <YAxis yAxisId="rate" orientation="right" width={48} tickFormatter={(v: number) => formatPercent(v)} />
        <Tooltip
          formatter={(v, name) => (name === 'Conversion rate' ? formatPercent(Number(v)) : formatCount(Number(v)))}
          labelFormatter={(d, payload) => `${formatDay(String(d))}${payload?.[0]?.payload?.whole === false ? ' (partial)' : ''}`}
        />
        {SERIES.map((s) => (
          <Bar key={s.key} yAxisId="cars" dataKey={s.key} name={s.label} stackId="cars" fill={s.color} isAnimationActive={false} maxBarSize={48}>
            {days.map((d) => (
              <Cell key={d.day} fill={hatchFill(s.color, d.whole ? 'complete' : 'partial')} stroke={s.color} />
            ))}
          </Bar>
        ))}
        <Line yAxisId="rate" dataKey="conversion" name="Conversion rate" stroke={CONVERSION} strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      </ComposedChart>
      <ul className="legend" aria-label="Chart key">
        {SERIES.map((s) => (
          <li key={s.key}>
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
        <li>
          <span className="swatch line" style={{ background: CONVERSION }} aria-hidden="true" />
          Conversion rate (right axis)
        </li>
        {anyPartial && (
          <li>
            <span className="swatch hatched" aria-hidden="true" />
            Hatched: car-wash data not all in for that day
          </li>
        )}
      </ul>
      <h3 className="chart-title">Labor cost per car</h3>
      <LineChart responsive style={{ width: '100%', height: 180 }} data={days} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={tick} minTickGap={24} />
        <YAxis width={56} tickFormatter={(v: number) => formatMoney(v)} />
        <Tooltip formatter={(v) => formatMoney(Number(v))} labelFormatter={(d) => formatDay(String(d))} />
        <Line dataKey="laborPerCar" name="Labor cost per car" stroke={LABOR} strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
