'use client';

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney, formatMoneyWhole } from '@/lib/reports/format';

export interface SiteBar {
  id: string;
  label: string;
  database: string;
  revenueCents: number;
}

/** Horizontal bars (site names stay readable at phone width), coloured by database. */
export function RevenueBySiteChart({ bars, databases }: { bars: SiteBar[]; databases: { name: string; color: string }[] }) {
  const color = new Map(databases.map((d) => [d.name, d.color]));
  const height = 60 + bars.length * 34;
  // Wide enough for the longest name on one line (about 6.5 px a character at 12 px), within reason.
  const labelWidth = Math.min(220, Math.max(90, Math.ceil(Math.max(...bars.map((b) => b.label.length)) * 6.5) + 12));
  return (
    <>
      {databases.length > 1 && (
        <ul className="legend" aria-label="Colours">
          {databases.map((d) => (
            <li key={d.name}>
              <span className="swatch" style={{ background: d.color }} aria-hidden="true" />
              {d.name}
            </li>
          ))}
        </ul>
      )}
      <BarChart
      responsive
      style={{ width: '100%', height }}
      data={bars}
      layout="vertical"
      margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
      accessibilityLayer
    >
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" tickFormatter={(v: number) => formatMoneyWhole(v)} />
      <YAxis type="category" dataKey="label" width={labelWidth} tick={{ fontSize: 12 }} interval={0} />
      <Tooltip formatter={(v) => formatMoney(Number(v))} labelFormatter={(l) => String(l)} />
      <Bar dataKey="revenueCents" name="Revenue" isAnimationActive={false}>
        {bars.map((b) => (
          <Cell key={b.id} fill={color.get(b.database) ?? '#0b63ce'} />
        ))}
      </Bar>
      </BarChart>
    </>
  );
}
