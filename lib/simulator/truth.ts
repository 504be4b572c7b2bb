/**
 * What the data really is, computed from the generator (never from API responses), under
 * Washboard's definitions (FACTS §0 and §0.1): local day in the site's zone (a default zone when
 * the site has none); transactions = Completed; revenue = Σ total over Completed non-redemptions
 * (refunds reduce it), in integer cents; car-wash KPIs from the v2 flags, the wash list
 * (`/transaction/type/wash`) and the detail's `isRecurringSale`; labor from the clock entries as
 * the API reports them, each on the local day of its clock-in at its own site.
 */
import { addDays, dayIndexOf, isDayString, localDayOf, localDayRangeMs } from '@/lib/simulator/time';
import type { ControllableClock } from '@/lib/simulator/clock';
import type { ClockBook, ReportedEntry } from '@/lib/simulator/generator/clock-book';
import { databaseEmployees, type EmployeeRole } from '@/lib/simulator/generator/employees';
import type { DataStore } from '@/lib/simulator/generator/store';
import type { Visibility } from '@/lib/simulator/generator/visibility';
import { TX_STATUSES, type SimTransaction, type TxStatus, type VisibleTx } from '@/lib/simulator/generator/types';

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
  /** Completed redemptions (`isRecurringPlanRedemption`), in the wash list or not. */
  memberWashes: number;
  /** Completed plan sales (`isRecurringPlanSale`, upgrades included) that are in the wash list. */
  planSaleWashes: number;
  /** Completed transactions with neither flag that are in the wash list (refunds and $0 included). */
  retailWashes: number;
  /** Retail washes with a total of exactly 0. */
  freeWashes: number;
  /** memberWashes + planSaleWashes + retailWashes. */
  carsWashed: number;
  /** carsWashed - memberWashes - freeWashes. */
  eligibleWashes: number;
  /** Completed plan sales whose detail has `isRecurringSale` (genuine sign-ups, not upgrades). */
  newMemberships: number;
  /** Clock entries at this site whose clock-in falls on this local day. */
  laborEntries: number;
  /** Σ regularHours + overtimeHours as the API reports them, in hundredths of an hour. */
  laborHundredths: number;
  /** laborHundredths / 100. */
  laborHours: number;
  /** Σ per entry round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)), cents. */
  laborCostCents: number;
  /** Of laborEntries, those still open (no clockOut, hours accrued to asOf); 0 when final. */
  openShifts: number;
}

export interface TruthTransaction {
  transId: string;
  date: string;
  status: TxStatus;
  totalCents: number;
  isRecurringPlanSale: boolean;
  isRecurringPlanRedemption: boolean;
  /** `isRecurringSale` of the detail and load-job data (false for upgrades). */
  isRecurringSale: boolean;
  /** Returned by `/transaction/type/wash`. */
  inWashList: boolean;
}

/** Clock entries attributed to local days [from, to] (clock-in, at the entry's own site). */
export interface TruthClockQuery {
  database: string;
  /** Only entries at this site. @default every physical site */
  site?: string;
  /** Only this employee's entries. @default everyone */
  employeeId?: number;
  from: string;
  to: string;
  /** Zone override for every site; default: each site's `timezone`, else truth's default zone. */
  timezone?: string;
  /** The final state: every shift closed, every BackOffice correction made. */
  final?: boolean;
  /** Data-clock instant. @default clock.now() */
  at?: number;
}

/** A clock entry as the API reports it at the truth's instant, plus what truth derives from it. */
export interface TruthClockEntry {
  employeeId: number;
  /** Site worked (the entry's `siteCode`). */
  siteCode: string;
  /** The employee's home site (its zone fixes the Sunday-Saturday pay week). */
  homeSite: string;
  /** Local day of clockIn at siteCode, in truth's zone for that site: where its labor counts. */
  day: string;
  /** Local day of clockIn in the site's real (operating) zone: what the endpoint's dates filter on. */
  apiDay: string;
  clockIn: string;
  /** `null` while open. */
  clockOut: string | null;
  open: boolean;
  regularRateCents: number;
  overtimeRateCents: number;
  overtimeEligible: boolean;
  /** As on the wire (hours, two decimals at most). */
  regularHours: number;
  overtimeHours: number;
  /** regularHours + overtimeHours, hundredths. */
  hundredths: number;
  costCents: number;
  wasModified: boolean;
  modificationTimestamp: string | null;
  wasCreatedInBackOffice: boolean;
}

export interface TruthEmployee {
  employeeId: number;
  firstName: string;
  lastName: string;
  homeSite: string;
  /** Every site the employee may clock in at (schedule and covers). */
  sites: string[];
  role: EmployeeRole;
  active: boolean;
  overtimeEligible: boolean;
  regularRateCents: number;
  overtimeRateCents: number;
}

/** An entry's labor cost in cents. Rates are multiples of 4 cents, so this is never a half cent. */
function costCents(r: ReportedEntry): number {
  return Math.round((r.employee.regularRateCents * r.regularHundredths + r.employee.overtimeRateCents * r.overtimeHundredths) / 100);
}

function emptyDay(q: TruthQuery, tz: string, startMs: number, endMs: number, at: number): DayTruth {
  return {
    database: q.database,
    site: q.site,
    day: q.day,
    timezone: tz,
    startUtcSec: Math.floor(startMs / 1000),
    endUtcSec: Math.floor(endMs / 1000) - 1,
    asOf: Number.isFinite(at) ? at : null,
    transactionCount: 0,
    countByStatus: Object.fromEntries(TX_STATUSES.map((s) => [s, 0])) as Record<TxStatus, number>,
    completed: 0,
    voided: 0,
    revenueCents: 0,
    paidCount: 0,
    membershipSales: 0,
    membershipSalesRevenueCents: 0,
    redemptions: 0,
    refunds: 0,
    refundsCents: 0,
    memberWashes: 0,
    planSaleWashes: 0,
    retailWashes: 0,
    freeWashes: 0,
    carsWashed: 0,
    eligibleWashes: 0,
    newMemberships: 0,
    laborEntries: 0,
    laborHundredths: 0,
    laborHours: 0,
    laborCostCents: 0,
    openShifts: 0,
  };
}

/** Adds one visible transaction to the day's sales figures (FACTS §0) and washes (§0.1). */
function countTransaction(t: DayTruth, tx: SimTransaction, status: TxStatus): void {
  t.countByStatus[status] += 1;
  if (status === 'Voided') t.voided += 1;
  if (status !== 'Completed') return;
  t.completed += 1;
  const wash = washClass(tx);
  if (wash === 'member') t.memberWashes += 1;
  if (wash === 'planSale') t.planSaleWashes += 1;
  if (wash === 'retail' || wash === 'free') t.retailWashes += 1;
  if (wash === 'free') t.freeWashes += 1;
  if (tx.isRecurringPlanSale && tx.isRecurringSale) t.newMemberships += 1;
  if (tx.isRecurringPlanRedemption) {
    t.redemptions += 1;
    return;
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

function toTruthEntry(r: ReportedEntry, tz: string): TruthClockEntry {
  return {
    employeeId: r.employee.employeeId,
    siteCode: r.entry.siteCode,
    homeSite: r.employee.siteCode,
    day: localDayOf(r.entry.clockInMs, tz),
    apiDay: r.entry.day,
    clockIn: new Date(r.entry.clockInMs).toISOString(),
    clockOut: r.clockOutMs === null ? null : new Date(r.clockOutMs).toISOString(),
    open: r.clockOutMs === null,
    regularRateCents: r.employee.regularRateCents,
    overtimeRateCents: r.employee.overtimeRateCents,
    overtimeEligible: r.employee.overtimeEligible,
    regularHours: r.regularHundredths / 100,
    overtimeHours: r.overtimeHundredths / 100,
    hundredths: r.hundredths,
    costCents: costCents(r),
    wasModified: r.wasModified,
    modificationTimestamp: r.modifiedMs === null ? null : new Date(r.modifiedMs).toISOString(),
    wasCreatedInBackOffice: r.entry.wasCreatedInBackOffice,
  };
}

type WashClass = 'member' | 'planSale' | 'retail' | 'free' | null;

/** FACTS §0.1 / §4.3, for a Completed transaction: which kind of wash it is, if any. */
function washClass(tx: SimTransaction): WashClass {
  const listed = tx.itemTypes.includes('wash');
  if (tx.isRecurringPlanRedemption) return 'member';
  if (tx.isRecurringPlanSale) return listed ? 'planSale' : null;
  if (!listed) return null;
  return tx.totalCents === 0 ? 'free' : 'retail';
}

export class Truth {
  constructor(
    private readonly store: DataStore,
    private readonly visibility: Visibility,
    private readonly clockBook: ClockBook,
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
      isRecurringSale: tx.isRecurringSale,
      inWashList: tx.itemTypes.includes('wash'),
    }));
  }

  day(q: TruthQuery): DayTruth {
    const { rows, tz, startMs, endMs, at } = this.collect(q);
    const t = emptyDay(q, tz, startMs, endMs, at);
    t.transactionCount = rows.length;
    for (const { tx, status } of rows) countTransaction(t, tx, status);
    t.carsWashed = t.memberWashes + t.planSaleWashes + t.retailWashes;
    t.eligibleWashes = t.carsWashed - t.memberWashes - t.freeWashes;
    for (const r of this.clockBook.reportedAtSite(this.store.database(q.database), q.site, startMs, endMs, at)) {
      t.laborEntries += 1;
      t.laborHundredths += r.hundredths;
      t.laborCostCents += costCents(r);
      if (r.clockOutMs === null) t.openShifts += 1;
    }
    t.laborHours = t.laborHundredths / 100;
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

  /** Clock entries behind {@link day}'s labor, for any sites and days, in clock-in order. */
  clockEntries(q: TruthClockQuery): TruthClockEntry[] {
    for (const d of [q.from, q.to]) if (!isDayString(d)) throw new Error(`truth: days must be YYYY-MM-DD, got ${d}`);
    const db = this.store.database(q.database);
    const sites = q.site ? [this.store.site(db, q.site)] : db.sites.filter((s) => !s.isVirtual);
    const at = q.final ? Infinity : (q.at ?? this.clock.now());
    const out: TruthClockEntry[] = [];
    for (const site of sites) {
      const tz = q.timezone ?? site.timezone ?? this.defaultTimezone;
      const startMs = localDayRangeMs(q.from, tz).startMs;
      const endMs = localDayRangeMs(q.to, tz).endMs;
      for (const r of this.clockBook.reportedAtSite(db, site.code, startMs, endMs, at)) {
        if (q.employeeId !== undefined && r.employee.employeeId !== q.employeeId) continue;
        out.push(toTruthEntry(r, tz));
      }
    }
    return out.sort((a, b) => a.clockIn.localeCompare(b.clockIn) || a.employeeId - b.employeeId);
  }

  /** Every employee of a database (the `/employee` list, with what truth knows about each). */
  employees(database: string): TruthEmployee[] {
    const db = this.store.database(database);
    return databaseEmployees(this.store.world, db).map((e) => ({
      employeeId: e.employeeId,
      firstName: e.firstName,
      lastName: e.lastName,
      homeSite: e.siteCode,
      sites: [...e.sites],
      role: e.role,
      active: e.active,
      overtimeEligible: e.overtimeEligible,
      regularRateCents: e.regularRateCents,
      overtimeRateCents: e.overtimeRateCents,
    }));
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
