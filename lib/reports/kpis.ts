/**
 * The headline figures and their change against the earlier period, computed from rollup totals
 * (the measures of `lib/measures.ts`, plus ratios of them). Pure, so the page, tests and anything
 * else agree on the arithmetic.
 */
import { averageCents } from './csv';
import { measure, type MeasureFormat, type MeasureKey, type RollupTotals } from '@/lib/measures';

export { addTotals, EMPTY_TOTALS, type RollupTotals } from '@/lib/measures';

/** Average ticket in cents: revenue ÷ Completed non-redemptions (FACTS §0); null without sales. */
export function averageTicketCents(totals: Pick<RollupTotals, 'revenueCents' | 'salesCount'>): number | null {
  return averageCents(totals.revenueCents, totals.salesCount);
}

/**
 * Relative change from `previous` to `current` (0.25 = +25 %). Null when there is no base to
 * compare with (previous is zero or unknown): "+∞ %" helps nobody.
 */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current == null || previous == null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

export const KPI_IDS = ['revenue', 'transactions', 'average-ticket', 'membership-sales', 'membership-revenue', 'redemptions', 'voided'] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiSpec {
  id: KpiId;
  label: string;
  /** `money` values are cents. */
  format: MeasureFormat;
  /** What the figure means, in plain words (hover text and "How we count"). */
  definition: string;
  value: (t: RollupTotals) => number | null;
  /** Fewer is the good direction (voids). */
  lowerIsBetter?: boolean;
}

const fromMeasure = (id: KpiId, key: MeasureKey, extra: Partial<KpiSpec> = {}): KpiSpec => {
  const m = measure(key);
  return { id, label: m.label, format: m.format, definition: m.definition, value: (t) => t[key], ...extra };
};

export const KPI_SPECS: readonly KpiSpec[] = [
  fromMeasure('revenue', 'revenueCents'),
  fromMeasure('transactions', 'transactions'),
  {
    id: 'average-ticket',
    label: 'Average ticket',
    format: 'money',
    definition: 'Revenue divided by the Completed transactions that are not membership redemptions (a member’s wash is not a sale).',
    value: averageTicketCents,
  },
  fromMeasure('membership-sales', 'membershipSales'),
  fromMeasure('membership-revenue', 'membershipSalesCents'),
  fromMeasure('redemptions', 'redemptions'),
  fromMeasure('voided', 'voided', { lowerIsBetter: true }),
];

export interface Kpi extends Omit<KpiSpec, 'value'> {
  value: number | null;
  previous: number | null;
  /** Null when there is no change to show (not comparable, or nothing to compare with). */
  change: number | null;
}

/** The cards' figures; `comparable` comes from the one comparison rule (`comparison.ts`). */
export function buildKpis(current: RollupTotals, previous: RollupTotals, comparable: boolean): Kpi[] {
  return KPI_SPECS.map(({ value: pick, ...spec }) => {
    const value = pick(current);
    const before = pick(previous);
    return { ...spec, value, previous: before, change: comparable ? relativeChange(value, before) : null };
  });
}

/** The precision a change is shown with (0.1 %): the direction follows what the reader sees. */
export function changeDirection(change: number | null): 'up' | 'down' | 'flat' | null {
  if (change == null) return null;
  const shown = Math.round(change * 1000);
  return shown === 0 ? 'flat' : shown > 0 ? 'up' : 'down';
}
