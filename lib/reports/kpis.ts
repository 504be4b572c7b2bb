/**
 * The headline figures (FACTS §0) and their change against the previous period, computed from
 * rollup totals. Pure, so the page, tests and anything else agree on the arithmetic.
 */
import type { DailyRollup } from '@/db/schema';
import { averageCents } from './csv';

/** Sums of daily rollup columns over a scope. */
export type RollupTotals = Pick<
  DailyRollup,
  | 'transactions'
  | 'revenueCents'
  | 'salesCount'
  | 'membershipSales'
  | 'membershipSalesCents'
  | 'redemptions'
  | 'redemptionValueCents'
  | 'refunds'
  | 'refundsCents'
  | 'voided'
  | 'otherStatus'
>;

export const ROLLUP_TOTAL_COLUMNS = {
  transactions: 'transactions',
  revenueCents: 'revenue_cents',
  salesCount: 'sales_count',
  membershipSales: 'membership_sales',
  membershipSalesCents: 'membership_sales_cents',
  redemptions: 'redemptions',
  redemptionValueCents: 'redemption_value_cents',
  refunds: 'refunds',
  refundsCents: 'refunds_cents',
  voided: 'voided',
  otherStatus: 'other_status',
} as const satisfies Record<keyof RollupTotals, string>;

/** `coalesce(sum(r.revenue_cents), 0) AS revenueCents, ...`: the SELECT list of {@link RollupTotals}. */
export function rollupTotalsSql(alias: string): string {
  return Object.entries(ROLLUP_TOTAL_COLUMNS)
    .map(([key, column]) => `coalesce(sum(${alias}.${column}), 0) AS ${key}`)
    .join(', ');
}

export const EMPTY_TOTALS: RollupTotals = {
  transactions: 0,
  revenueCents: 0,
  salesCount: 0,
  membershipSales: 0,
  membershipSalesCents: 0,
  redemptions: 0,
  redemptionValueCents: 0,
  refunds: 0,
  refundsCents: 0,
  voided: 0,
  otherStatus: 0,
};

export function addTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  const sum = { ...a };
  for (const key of Object.keys(ROLLUP_TOTAL_COLUMNS) as (keyof RollupTotals)[]) sum[key] = a[key] + b[key];
  return sum;
}

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

export const KPI_IDS = [
  'revenue',
  'transactions',
  'average-ticket',
  'membership-sales',
  'membership-revenue',
  'redemptions',
  'voided',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface Kpi {
  id: KpiId;
  label: string;
  /** `money` values are cents. */
  format: 'money' | 'count';
  value: number | null;
  previous: number | null;
  change: number | null;
}

export function buildKpis(current: RollupTotals, previous: RollupTotals): Kpi[] {
  const kpi = (id: KpiId, label: string, format: Kpi['format'], pick: (t: RollupTotals) => number | null): Kpi => {
    const value = pick(current);
    const before = pick(previous);
    return { id, label, format, value, previous: before, change: relativeChange(value, before) };
  };
  return [
    kpi('revenue', 'Revenue', 'money', (t) => t.revenueCents),
    kpi('transactions', 'Transactions', 'count', (t) => t.transactions),
    kpi('average-ticket', 'Average ticket', 'money', averageTicketCents),
    kpi('membership-sales', 'Membership sales', 'count', (t) => t.membershipSales),
    kpi('membership-revenue', 'Membership sales revenue', 'money', (t) => t.membershipSalesCents),
    kpi('redemptions', 'Member redemptions', 'count', (t) => t.redemptions),
    kpi('voided', 'Voided', 'count', (t) => t.voided),
  ];
}
