/**
 * The headline figures and their change against the earlier period, computed from rollup totals
 * (the figures of `lib/measures.ts`: measures and ratios of their sums). Pure, so the page, tests
 * and anything else agree on the arithmetic.
 */
import { figure, type Dataset, type FigureKey, type RollupTotals } from '@/lib/measures';
import { averageCents } from './csv';

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

/** The cards, by test id, in the order shown: car-wash figures first (FACTS §0.1), then sales. */
const CARDS: readonly [string, FigureKey][] = [
  ['revenue', 'revenueCents'],
  ['cars-washed', 'carsWashed'],
  ['revenue-per-car', 'revenuePerCar'],
  ['new-memberships', 'newMemberships'],
  ['conversion', 'conversion'],
  ['labor-cost-per-car', 'laborCostPerCar'],
  ['transactions', 'transactions'],
  ['average-ticket', 'averageTicket'],
  ['membership-sales', 'membershipSales'],
  ['membership-revenue', 'membershipSalesCents'],
  ['redemptions', 'redemptions'],
  ['voided', 'voided'],
];

export const KPI_IDS = CARDS.map(([id]) => id);
export type KpiId = string;

export interface Kpi {
  id: KpiId;
  key: FigureKey;
  label: string;
  format: ReturnType<typeof figure>['format'];
  definition: string;
  datasets: readonly Dataset[];
  lowerIsBetter: boolean;
  value: number | null;
  previous: number | null;
  /** Null when there is no change to show (not comparable, or nothing to compare with). */
  change: number | null;
}

/**
 * The cards' figures. `comparable(datasets)` is the one comparison rule (`comparison.ts`) for
 * the data a card reads: a card compares only when everything it reads is complete.
 */
export function buildKpis(current: RollupTotals, previous: RollupTotals, comparable: boolean | ((datasets: readonly Dataset[]) => boolean)): Kpi[] {
  const canCompare = typeof comparable === 'boolean' ? () => comparable : comparable;
  return CARDS.map(([id, key]) => {
    const f = figure(key);
    const value = f.value(current);
    const before = f.value(previous);
    return {
      id,
      key,
      label: f.label,
      format: f.format,
      definition: f.definition,
      datasets: f.datasets,
      lowerIsBetter: !!f.lowerIsBetter,
      value,
      previous: before,
      change: canCompare(f.datasets) ? relativeChange(value, before) : null,
    };
  });
}

/** The precision a change is shown with (0.1 %): the direction follows what the reader sees. */
export function changeDirection(change: number | null): 'up' | 'down' | 'flat' | null {
  if (change == null) return null;
  const shown = Math.round(change * 1000);
  return shown === 0 ? 'flat' : shown > 0 ? 'up' : 'down';
}
