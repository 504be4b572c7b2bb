/**
 * Every figure Washboard reports, defined once (STYLE §9): its rule over a stored transaction (as
 * a JS predicate for the ingest's deltas and as SQL for rebuilding from raw rows, tested to agree),
 * its rollup column, its label, how it is shown and its CSV column. The rollup schema, the ingest,
 * the report queries, the KPI cards, the tables and the CSVs are all derived from this list.
 *
 * Definitions follow FACTS §0: a transaction counts when its status is Completed; revenue is Σ total
 * over Completed transactions that are not plan redemptions (a redemption's total is the wash's list
 * value, not money taken: FACTS Q14); refunds (negative totals) reduce revenue; money in integer cents.
 */

/** The fields of a stored transaction the rules read. */
export interface MeasuredTransaction {
  status: string;
  isPlanSale: boolean;
  isPlanRedemption: boolean;
  totalCents: number;
}

export type MeasureFormat = 'count' | 'money';

interface TransactionMeasureSpec {
  /** Field of {@link RollupTotals}. */
  key: string;
  /** Column of `daily_rollups` (and of `hourly_rollups` when `hourly`). */
  column: string;
  label: string;
  /** What it counts, in plain words (the "How we count" page and the hover text). */
  definition: string;
  /** Which rows count. */
  when: (t: MeasuredTransaction) => boolean;
  /** The same rule as SQL over the `transactions` table's columns. */
  whenSql: string;
  /** A counted row adds 1, or its total in cents. */
  adds: 'one' | 'total';
  format: MeasureFormat;
  /** Also rolled up per local hour (busiest hours). */
  hourly?: boolean;
  /** CSV column of the daily report. */
  csv: string;
}

const COMPLETED = "status = 'Completed'";
const completed = (t: MeasuredTransaction) => t.status === 'Completed';

export const TRANSACTION_MEASURES = [
  {
    key: 'transactions',
    column: 'transactions',
    label: 'Transactions',
    definition: 'Transactions with the status Completed.',
    when: completed,
    whenSql: COMPLETED,
    adds: 'one',
    format: 'count',
    hourly: true,
    csv: 'transactions',
  },
  {
    key: 'revenueCents',
    column: 'revenue_cents',
    label: 'Revenue',
    definition:
      'The sum of the totals of Completed transactions that are not membership redemptions (a redemption’s total is the wash’s list price, not money taken). Refunds reduce it.',
    when: (t) => completed(t) && !t.isPlanRedemption,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption`,
    adds: 'total',
    format: 'money',
    hourly: true,
    csv: 'revenue',
  },
  {
    key: 'salesCount',
    column: 'sales_count',
    label: 'Sales',
    definition: 'Completed transactions that are not membership redemptions: the average ticket’s divisor.',
    when: (t) => completed(t) && !t.isPlanRedemption,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption`,
    adds: 'one',
    format: 'count',
    csv: 'sales_count',
  },
  {
    key: 'membershipSales',
    column: 'membership_sales',
    label: 'Membership sales',
    definition: 'Completed transactions flagged as a membership (recurring plan) sale, upgrades and switches included.',
    when: (t) => completed(t) && t.isPlanSale,
    whenSql: `${COMPLETED} AND is_plan_sale`,
    adds: 'one',
    format: 'count',
    csv: 'membership_sales',
  },
  {
    key: 'membershipSalesCents',
    column: 'membership_sales_cents',
    label: 'Membership sales revenue',
    definition: 'The revenue of those membership sales.',
    when: (t) => completed(t) && t.isPlanSale && !t.isPlanRedemption,
    whenSql: `${COMPLETED} AND is_plan_sale AND NOT is_plan_redemption`,
    adds: 'total',
    format: 'money',
    csv: 'membership_sales_revenue',
  },
  {
    key: 'redemptions',
    column: 'redemptions',
    label: 'Member redemptions',
    definition: 'Completed transactions in which a member used their plan.',
    when: (t) => completed(t) && t.isPlanRedemption,
    whenSql: `${COMPLETED} AND is_plan_redemption`,
    adds: 'one',
    format: 'count',
    csv: 'redemptions',
  },
  {
    key: 'redemptionValueCents',
    column: 'redemption_value_cents',
    label: 'Redemption value',
    definition: 'The list value of the washes members redeemed: shown, never counted as revenue.',
    when: (t) => completed(t) && t.isPlanRedemption,
    whenSql: `${COMPLETED} AND is_plan_redemption`,
    adds: 'total',
    format: 'money',
    csv: 'redemption_value',
  },
  {
    key: 'refunds',
    column: 'refunds',
    label: 'Refunds',
    definition: 'Completed sales with a negative total.',
    when: (t) => completed(t) && !t.isPlanRedemption && t.totalCents < 0,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption AND total_cents < 0`,
    adds: 'one',
    format: 'count',
    csv: 'refunds',
  },
  {
    key: 'refundsCents',
    column: 'refunds_cents',
    label: 'Refunded',
    definition: 'The sum of those refunds (negative).',
    when: (t) => completed(t) && !t.isPlanRedemption && t.totalCents < 0,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption AND total_cents < 0`,
    adds: 'total',
    format: 'money',
    csv: 'refunds_amount',
  },
  {
    key: 'voided',
    column: 'voided',
    label: 'Voided',
    definition: 'Transactions with the status Voided (kept and counted, never revenue).',
    when: (t) => t.status === 'Voided',
    whenSql: "status = 'Voided'",
    adds: 'one',
    format: 'count',
    csv: 'voided',
  },
  {
    key: 'otherStatus',
    column: 'other_status',
    label: 'Other status',
    definition: 'Transactions with any status other than Completed and Voided (Incomplete, Suspended, Recalled, ...).',
    when: (t) => t.status !== 'Completed' && t.status !== 'Voided',
    whenSql: "status NOT IN ('Completed', 'Voided')",
    adds: 'one',
    format: 'count',
    csv: 'other_status',
  },
] as const satisfies readonly TransactionMeasureSpec[];

export type TransactionMeasure = (typeof TRANSACTION_MEASURES)[number];
export type MeasureKey = TransactionMeasure['key'];

/** Sums of the rollup columns over a scope: one number per measure. */
export type RollupTotals = Record<MeasureKey, number>;

export const MEASURE_KEYS = TRANSACTION_MEASURES.map((m) => m.key) as readonly MeasureKey[];

export const HOURLY_MEASURES = TRANSACTION_MEASURES.filter((m) => 'hourly' in m && m.hourly);

export function measure(key: MeasureKey): TransactionMeasure {
  return TRANSACTION_MEASURES.find((m) => m.key === key)!;
}

/** The SQL aggregate of a measure over raw `transactions` rows (a day rebuilt, part of a day compared). */
export function rawAggregateSql(m: Pick<TransactionMeasure, 'whenSql' | 'adds'>): string {
  return m.adds === 'one' ? `count(*) FILTER (WHERE ${m.whenSql})` : `coalesce(sum(total_cents) FILTER (WHERE ${m.whenSql}), 0)`;
}

/** What one transaction adds to a measure (0 when the rule does not count it). */
export function contribution(m: Pick<TransactionMeasure, 'when' | 'adds'>, t: MeasuredTransaction): number {
  return m.when(t) ? (m.adds === 'one' ? 1 : t.totalCents) : 0;
}

export const EMPTY_TOTALS: Readonly<RollupTotals> = Object.freeze(
  Object.fromEntries(MEASURE_KEYS.map((k) => [k, 0])) as RollupTotals,
);

export function addTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  const sum = { ...a };
  for (const key of MEASURE_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

export function subtractTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  const diff = { ...a };
  for (const key of MEASURE_KEYS) diff[key] = a[key] - b[key];
  return diff;
}

/** The measures' fields of a wider row (a query result with other columns). */
export function pickTotals(row: RollupTotals): RollupTotals {
  const totals = { ...EMPTY_TOTALS };
  for (const key of MEASURE_KEYS) totals[key] = row[key];
  return totals;
}

/** `coalesce(sum(r.revenue_cents), 0) AS revenueCents, ...`: the SELECT list of {@link RollupTotals} over rollups. */
export function rollupTotalsSql(alias: string): string {
  return TRANSACTION_MEASURES.map((m) => `coalesce(sum(${alias}.${m.column}), 0) AS ${m.key}`).join(', ');
}

/** The SELECT list of {@link RollupTotals} computed from raw `transactions` rows. */
export function rawTotalsSql(): string {
  return TRANSACTION_MEASURES.map((m) => `${rawAggregateSql(m)} AS ${m.key}`).join(', ');
}
