/**
 * What the data really is, computed from the generator (never from API responses), under
 * Washboard's definitions (FACTS §0): local day in the site's zone (a default zone when the site
 * has none); transactions = Completed; revenue = Σ total over Completed non-redemptions (refunds
 * reduce it), in integer cents.
 */
import { addDays, dayIndexOf, isDayString, localDayRangeMs } from '@/lib/simulator/time';
import type { ControllableClock } from '@/lib/simulator/clock';
import type { DataStore } from '@/lib/simulator/generator/store';
import type { Visibility } from '@/lib/simulator/generator/visibility';
import { TX_STATUSES, type TxStatus, type VisibleTx } from '@/lib/simulator/generator/types';

export interface TruthQuery {
  /** Database key (e.g. `washu`). */
  database: string;
  /** Site code. */
  site: string;
  /** Local day `YYYY-MM-DD`. */
  day: string;
  /** Zone override; default: the site's `timezone`, else the simulator's default zone. */
  timezone?: string;
  /** Every transaction of the day as it will finally be (all uploads in, all later voids done). */
  final?: boolean;
  /** Data-clock instant to evaluate at. @default clock.now() */
  at?: number;
}

export interface DayTruth {
  database: string;
  site: string;
  day: string;
  timezone: string;
  /** First and last Unix second of the local day (inclusive), for querying the API. */
  startUtcSec: number;
  endUtcSec: number;
  /** Data-clock instant the figures are for; `null` for the final truth. */
  asOf: number | null;
  /** Every visible transaction, any status. */
  transactionCount: number;
  countByStatus: Record<TxStatus, number>;
  /** Completed transactions (Washboard's "transactions"). */
  completed: number;
  voided: number;
  /** Σ total of Completed non-redemptions, cents. */
  revenueCents: number;
  /** Completed non-redemptions (the average-ticket denominator). */
  paidCount: number;
  membershipSales: number;
  membershipSalesRevenueCents: number;
  redemptions: number;
  /** Completed with a negative total. */
  refunds: number;
  refundsCents: number;
}

export interface TruthTransaction {
  transId: string;
  date: string;
  status: TxStatus;
  totalCents: number;
  isRecurringPlanSale: boolean;
  isRecurringPlanRedemption: boolean;
}

export class Truth {
  constructor(
    private readonly store: DataStore,
    private readonly visibility: Visibility,
    private readonly clock: ControllableClock,
    /** Zone for sites whose `timezone` is null. */
    readonly defaultTimezone: string,
  ) {}

  /** The visible transactions behind {@link day}. */
  transactions(q: TruthQuery): TruthTransaction[] {
    return this.collect(q).rows.map(({ tx, status }) => ({
      transId: tx.transId,
      date: new Date(tx.dateMs).toISOString(),
      status,
      totalCents: tx.totalCents,
      isRecurringPlanSale: tx.isRecurringPlanSale,
      isRecurringPlanRedemption: tx.isRecurringPlanRedemption,
    }));
  }

  day(q: TruthQuery): DayTruth {
    const { rows, tz, startMs, endMs, at } = this.collect(q);
    const countByStatus = Object.fromEntries(TX_STATUSES.map((s) => [s, 0])) as Record<TxStatus, number>;
    const t: DayTruth = {
      database: q.database,
      site: q.site,
      day: q.day,
      timezone: tz,
      startUtcSec: Math.floor(startMs / 1000),
      endUtcSec: Math.floor(endMs / 1000) - 1,
      asOf: Number.isFinite(at) ? at : null,
      transactionCount: rows.length,
      countByStatus,
      completed: 0,
      voided: 0,
      revenueCents: 0,
      paidCount: 0,
      membershipSales: 0,
      membershipSalesRevenueCents: 0,
      redemptions: 0,
      refunds: 0,
      refundsCents: 0,
    };
    for (const { tx, status } of rows) {
      countByStatus[status] += 1;
      if (status === 'Voided') t.voided += 1;
      if (status !== 'Completed') continue;
      t.completed += 1;
      if (tx.isRecurringPlanRedemption) {
        t.redemptions += 1;
        continue;
      }
      t.revenueCents += tx.totalCents;
      t.paidCount += 1;
      if (tx.isRecurringPlanSale) {
        t.membershipSales += 1;
        t.membershipSalesRevenueCents += tx.totalCents;
      }
      if (tx.totalCents < 0) {
        t.refunds += 1;
        t.refundsCents += tx.totalCents;
      }
    }
    return t;
  }

  /** {@link day} for every day from `from` to `to` (inclusive). */
  days(q: Omit<TruthQuery, 'day'> & { from: string; to: string }): DayTruth[] {
    const out: DayTruth[] = [];
    for (let d = q.from; dayIndexOf(d) <= dayIndexOf(q.to); d = addDays(d, 1)) out.push(this.day({ ...q, day: d }));
    return out;
  }

  /** The site's zone as truth uses it. */
  timezoneOf(database: string, site: string): string {
    const db = this.store.database(database);
    return this.store.site(db, site).timezone ?? this.defaultTimezone;
  }

  private collect(q: TruthQuery): { rows: VisibleTx[]; tz: string; startMs: number; endMs: number; at: number } {
    if (!isDayString(q.day)) throw new Error(`truth: day must be YYYY-MM-DD, got ${q.day}`);
    const db = this.store.database(q.database);
    const site = this.store.site(db, q.site);
    const tz = q.timezone ?? site.timezone ?? this.defaultTimezone;
    const { startMs, endMs } = localDayRangeMs(q.day, tz);
    const at = q.final ? Infinity : (q.at ?? this.clock.now());
    const rows = this.visibility.query(db, [site.code], startMs, endMs - 1, at);
    return { rows, tz, startMs, endMs, at };
  }
}
