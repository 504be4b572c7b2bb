'use client';

import type { DayState } from '@/lib/reports/comparison';

/** How a day that is not complete reads in a tooltip and in the legend. */
export const STATE_NOTE: Record<DayState, string> = {
  complete: 'complete',
  partial: 'partial: still filling in',
  syncing: 'being synced now',
  unsynced: 'not synced yet',
  future: 'in the future',
};

const patternId = (color: string) => `hatch-${color.replace(/[^a-z0-9]/gi, '')}`;

/**
 * Diagonal hatching in each series colour, for bars of days that are not complete. Ids derive from
 * the colour, so two charts on a page define identical patterns rather than clashing ones.
 */
export function HatchPatterns({ colors }: { colors: readonly string[] }) {
  return (
    <defs>
      {[...new Set(colors)].map((color) => (
        <pattern key={color} id={patternId(color)} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect width="6" height="6" fill={color} fillOpacity="0.18" />
          <line x1="0" y1="0" x2="0" y2="6" stroke={color} strokeWidth="3" />
        </pattern>
      ))}
    </defs>
  );
}

/** A bar's fill: solid for a complete day, hatched otherwise. */
export function hatchFill(color: string, state: DayState): string {
  return state === 'complete' ? color : `url(#${patternId(color)})`;
}

/**
 * The chart's key as HTML (readable, wraps on a phone): the series, then what hatching and gaps
 * mean when the range has such days. Test hook: `day-state-legend`.
 */
export function DayStateLegend({ series, states }: { series: { label: string; color: string }[]; states: ReadonlySet<DayState> }) {
  const hatched = states.has('partial') || states.has('syncing');
  const gaps = states.has('unsynced') || states.has('future');
  return (
    <ul className="legend" aria-label="Chart key" data-testid="day-state-legend">
      {series.map((s) => (
        <li key={s.label}>
          <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
      {hatched && (
        <li data-testid="legend-partial">
          <span className="swatch hatched" aria-hidden="true" />
          Hatched: partial day, still filling in
        </li>
      )}
      {gaps && (
        <li data-testid="legend-gap">
          <span className="swatch empty" aria-hidden="true" />
          No bar: {states.has('unsynced') ? 'not synced yet' : 'in the future'}
        </li>
      )}
    </ul>
  );
}
