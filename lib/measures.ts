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
  /** In `/transaction/type/wash` for its site and day; null until that list has been read. */
  isWash: boolean | null;
  /** A plan sale whose detail says `isRecurringSale` (a new membership, not an upgrade); null until checked. */
  isNewMembership: boolean | null;
}

export type MeasureFormat = 'count' | 'money' | 'hours' | 'percent';

/**
 * Where a measure's data comes from, each fetched and completed on its own (FACTS §0.1): the v2
 * list (sales), the wash list, the plan-sale verification, and clock entries (labor). A figure is
 * complete for a day only when every dataset it reads is.
 */
export const DATASETS = ['sales', 'washes', 'memberships', 'labor'] as const;
export type Dataset = (typeof DATASETS)[number];

/**
 * When a dataset is complete for a site-day, as SQL over `site_coverage` (alias `c`) and the day's
 * `daily_rollups` row (alias `r`, possibly missing): sales once fetched after the day ended; washes
 * and memberships once, in addition, no Completed row is left unclassified or unverified; labor
 * once the entries around the day were fetched after it ended and no shift is still open.
 */
export function datasetCompleteSql(dataset: Dataset, c = 'c', r = 'r'): string {
  const sales = `coalesce(${c}.synced_at >= ${c}.day_end_at, FALSE)`;
  switch (dataset) {
    case 'sales':
      return sales;
    case 'washes':
      return `(${sales} AND coalesce(${r}.unclassified_washes, 0) = 0)`;
    case 'memberships':
      return `(${sales} AND coalesce(${r}.unverified_plan_sales, 0) = 0)`;
    case 'labor':
      return `(coalesce(${c}.labor_synced_at >= ${c}.day_end_at, FALSE) AND coalesce(${r}.open_shifts, 0) = 0)`;
  }
}

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
  /** The same rule as SQL over the `transactions` table's columns, portable (flags compared with TRUE, which SQLite reads as 1). */
  whenSql: string;
  /** A counted row adds 1, or its total in cents. */
  adds: 'one' | 'total';
  format: MeasureFormat;
  /** Also rolled up per local hour (busiest hours). */
  hourly?: boolean;
  /** CSV column of the daily report (none for bookkeeping counters). */
  csv: string | null;
  /** What must be fetched for the figure to be whole. */
  datasets: readonly Dataset[];
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
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
    datasets: ['sales'],
  },
  {
    key: 'planSaleWashes',
    column: 'plan_sale_washes',
    label: 'Plan-sale washes',
    definition: 'Completed membership sales that washed a car (they are in Sonny’s wash list).',
    when: (t) => completed(t) && !t.isPlanRedemption && t.isPlanSale && t.isWash === true,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption AND is_plan_sale AND is_wash = TRUE`,
    adds: 'one',
    format: 'count',
    csv: 'plan_sale_washes',
    datasets: ['sales', 'washes'],
  },
  {
    key: 'retailWashes',
    column: 'retail_washes',
    label: 'Retail washes',
    definition: 'Completed washes that are neither a member’s redemption nor a membership sale (free washes and refunds of washes included).',
    when: (t) => completed(t) && !t.isPlanRedemption && !t.isPlanSale && t.isWash === true,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption AND NOT is_plan_sale AND is_wash = TRUE`,
    adds: 'one',
    format: 'count',
    csv: 'retail_washes',
    datasets: ['sales', 'washes'],
  },
  {
    key: 'freeWashes',
    column: 'free_washes',
    label: 'Free washes',
    definition: 'Retail washes with a total of exactly $0 (complimentary washes).',
    when: (t) => completed(t) && !t.isPlanRedemption && !t.isPlanSale && t.isWash === true && t.totalCents === 0,
    whenSql: `${COMPLETED} AND NOT is_plan_redemption AND NOT is_plan_sale AND is_wash = TRUE AND total_cents = 0`,
    adds: 'one',
    format: 'count',
    csv: 'free_washes',
    datasets: ['sales', 'washes'],
  },
  {
    key: 'newMemberships',
    column: 'new_memberships',
    label: 'New memberships',
    definition:
      'Completed membership sales that Sonny’s transaction detail marks as a new sale (isRecurringSale): sign-ups and reactivations, not upgrades or plan switches.',
    when: (t) => completed(t) && t.isPlanSale && t.isNewMembership === true,
    whenSql: `${COMPLETED} AND is_plan_sale AND is_new_membership = TRUE`,
    adds: 'one',
    format: 'count',
    csv: 'new_memberships',
    datasets: ['sales', 'memberships'],
  },
  {
    key: 'unclassifiedWashes',
    column: 'unclassified_washes',
    label: 'Transactions not yet checked against the wash list',
    definition: 'Completed transactions whose wash flag is not known yet; while any remain, the day’s wash figures are incomplete.',
    when: (t) => completed(t) && t.isWash === null,
    whenSql: `${COMPLETED} AND is_wash IS NULL`,
    adds: 'one',
    format: 'count',
    csv: null,
    datasets: ['sales'],
  },
  {
    key: 'unverifiedPlanSales',
    column: 'unverified_plan_sales',
    label: 'Membership sales not yet verified',
    definition: 'Completed membership sales whose detail has not been checked yet; while any remain, the day’s new memberships are incomplete.',
    when: (t) => completed(t) && t.isPlanSale && t.isNewMembership === null,
    whenSql: `${COMPLETED} AND is_plan_sale AND is_new_membership IS NULL`,
    adds: 'one',
    format: 'count',
    csv: null,
    datasets: ['sales'],
  },
] as const satisfies readonly TransactionMeasureSpec[];

export type TransactionMeasure = (typeof TRANSACTION_MEASURES)[number];
export type TransactionMeasureKey = TransactionMeasure['key'];

/** A clock entry as the labor rollups read it (FACTS §0.1 "Labor"). */
export interface MeasuredClockEntry {
  /** regularHours + overtimeHours, in hundredths of an hour. */
  hundredths: number;
  /** round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)). */
  costCents: number;
  /** No clock-out yet. */
  open: boolean;
}

interface LaborMeasureSpec {
  key: string;
  column: string;
  label: string;
  definition: string;
  value: (e: MeasuredClockEntry) => number;
  format: MeasureFormat;
  csv: string | null;
  datasets: readonly Dataset[];
}

/**
 * Labor, per site and local day: each clock entry counts on the local day of its clock-in at its
 * own site (FACTS §0.1), an open shift with the hours Sonny's reports so far.
 */
export const LABOR_MEASURES = [
  {
    key: 'laborEntries',
    column: 'labor_entries',
    label: 'Clock entries',
    definition: 'Clock entries (shifts) that began on the day at the site.',
    value: () => 1,
    format: 'count',
    csv: null,
    datasets: ['labor'],
  },
  {
    key: 'laborHundredths',
    column: 'labor_hundredths',
    label: 'Labor hours',
    definition: 'Regular plus overtime hours of the shifts that began on the day at the site, as Sonny’s reports them (open shifts count their hours so far).',
    value: (e) => e.hundredths,
    format: 'hours',
    csv: 'labor_hours',
    datasets: ['labor'],
  },
  {
    key: 'laborCostCents',
    column: 'labor_cost_cents',
    label: 'Labor cost',
    definition: 'Each shift’s regular rate × regular hours plus overtime rate × overtime hours, rounded to the cent, summed.',
    value: (e) => e.costCents,
    format: 'money',
    csv: 'labor_cost',
    datasets: ['labor'],
  },
  {
    key: 'openShifts',
    column: 'open_shifts',
    label: 'Shifts still open',
    definition: 'Clock entries without a clock-out yet; while any remain, the day’s labor is incomplete.',
    value: (e) => (e.open ? 1 : 0),
    format: 'count',
    csv: null,
    datasets: ['labor'],
  },
] as const satisfies readonly LaborMeasureSpec[];

export type LaborMeasure = (typeof LABOR_MEASURES)[number];
export type MeasureKey = TransactionMeasureKey | LaborMeasure['key'];

/** Every rollup column: one number per measure. */
export const ROLLUP_MEASURES: readonly (TransactionMeasure | LaborMeasure)[] = [...TRANSACTION_MEASURES, ...LABOR_MEASURES];

/** Sums of the rollup columns over a scope: one number per measure. */
export type RollupTotals = Record<MeasureKey, number>;

export const MEASURE_KEYS = ROLLUP_MEASURES.map((m) => m.key) as readonly MeasureKey[];

export const HOURLY_MEASURES = TRANSACTION_MEASURES.filter((m) => 'hourly' in m && m.hourly);

export function measure(key: TransactionMeasureKey): TransactionMeasure {
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
  return ROLLUP_MEASURES.map((m) => `coalesce(sum(${alias}.${m.column}), 0) AS "${m.key}"`).join(', ');
}

/**
 * The SELECT list of {@link RollupTotals} computed from raw `transactions` rows. Labor is not in
 * those rows: it comes from clock entries, so it reads 0 here (callers that cut a day by time
 * take labor from the rollups, see `db/queries/reports.ts`).
 */
export function rawTotalsSql(): string {
  return [...TRANSACTION_MEASURES.map((m) => `${rawAggregateSql(m)} AS "${m.key}"`), ...LABOR_MEASURES.map((m) => `0 AS "${m.key}"`)].join(', ');
}

// ---- Figures: the measures and the ratios built from them ---------------------------------------

/** Integer division rounded half away from zero; null when there is nothing to divide by. */
export function ratioCents(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  const abs = Math.abs(numerator);
  const quotient = Math.floor(abs / denominator);
  const rounded = (abs - quotient * denominator) * 2 >= denominator ? quotient + 1 : quotient;
  return numerator < 0 ? -rounded : rounded;
}

export type FigureKey =
  | MeasureKey
  | 'averageTicket'
  | 'memberWashes'
  | 'carsWashed'
  | 'eligibleWashes'
  | 'conversion'
  | 'revenuePerCar'
  | 'laborCostPerCar'
  | 'carsPerLaborHour';

export interface Figure {
  key: FigureKey;
  label: string;
  definition: string;
  /** `money`: cents; `hours`: hundredths of an hour; `percent`: a ratio (0.05 = 5 %); `count`: a number (perhaps fractional). */
  format: MeasureFormat | 'ratio';
  datasets: readonly Dataset[];
  /** Its value over summed totals (ratios of the sums, never averages of daily ratios); null when undefined. */
  value: (t: RollupTotals) => number | null;
  /** CSV column of the daily report, when it has one. */
  csv: string | null;
  /** Fewer is the good direction. */
  lowerIsBetter?: boolean;
}

const cars = (t: RollupTotals) => t.redemptions + t.retailWashes + t.planSaleWashes;
const eligible = (t: RollupTotals) => t.retailWashes + t.planSaleWashes - t.freeWashes;

const DERIVED: Figure[] = [
  {
    key: 'averageTicket',
    label: 'Average ticket',
    definition: 'Revenue divided by the Completed transactions that are not membership redemptions (a member’s wash is not a sale).',
    format: 'money',
    datasets: ['sales'],
    value: (t) => ratioCents(t.revenueCents, t.salesCount),
    csv: 'average_ticket',
  },
  {
    key: 'memberWashes',
    label: 'Member washes',
    definition: 'Washes members redeemed on their plan (Completed redemptions).',
    format: 'count',
    datasets: ['sales'],
    value: (t) => t.redemptions,
    csv: 'member_washes',
  },
  {
    key: 'carsWashed',
    label: 'Cars washed',
    definition: 'Member washes plus retail washes plus membership sales that washed a car.',
    format: 'count',
    datasets: ['sales', 'washes'],
    value: cars,
    csv: 'cars_washed',
  },
  {
    key: 'eligibleWashes',
    label: 'Eligible washes',
    definition: 'Cars washed minus member washes and free washes: the paying non-members a site could convert.',
    format: 'count',
    datasets: ['sales', 'washes'],
    value: eligible,
    csv: 'eligible_washes',
  },
  {
    key: 'conversion',
    label: 'Conversion rate',
    definition: 'New memberships divided by eligible washes, over the whole period (not an average of daily rates).',
    format: 'percent',
    datasets: ['sales', 'washes', 'memberships'],
    value: (t) => (eligible(t) > 0 ? t.newMemberships / eligible(t) : null),
    csv: null,
  },
  {
    key: 'revenuePerCar',
    label: 'Revenue per car',
    definition: 'Revenue divided by cars washed.',
    format: 'money',
    datasets: ['sales', 'washes'],
    value: (t) => ratioCents(t.revenueCents, cars(t)),
    csv: null,
  },
  {
    key: 'laborCostPerCar',
    label: 'Labor cost per car',
    definition: 'Labor cost divided by cars washed.',
    format: 'money',
    datasets: ['sales', 'washes', 'labor'],
    value: (t) => ratioCents(t.laborCostCents, cars(t)),
    csv: null,
    lowerIsBetter: true,
  },
  {
    key: 'carsPerLaborHour',
    label: 'Cars per labor hour',
    definition: 'Cars washed divided by labor hours.',
    format: 'ratio',
    datasets: ['sales', 'washes', 'labor'],
    value: (t) => (t.laborHundredths > 0 ? Math.round((cars(t) * 1000) / t.laborHundredths) / 10 : null),
    csv: null,
  },
];

/** Every figure by key: the measures themselves and the ratios above. */
export const FIGURES: Record<FigureKey, Figure> = Object.fromEntries([
  ...ROLLUP_MEASURES.map((m): [FigureKey, Figure] => [
    m.key,
    { key: m.key, label: m.label, definition: m.definition, format: m.format, datasets: m.datasets, value: (t) => t[m.key], csv: m.csv },
  ]),
  ...DERIVED.map((f): [FigureKey, Figure] => [f.key, f]),
]) as Record<FigureKey, Figure>;
FIGURES.voided.lowerIsBetter = true;

export function figure(key: FigureKey): Figure {
  return FIGURES[key];
}
