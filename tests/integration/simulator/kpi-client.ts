/**
 * A small client of the simulator that computes the car-wash KPIs from API responses alone,
 * following FACTS §0.1 as a Washboard sync would: v2 for status and flags, the wash list for
 * "a car was washed", the detail (or load-job data) for `isRecurringSale`, and every employee's
 * clock entries attributed to the local day of clock-in at the entry's site. Zone arithmetic
 * comes from the SDK, not the simulator, and responses are parsed with the SDK's schemas.
 */
import {
  ClockEntriesResponseSchema,
  JobDataResponseSchema,
  TransactionResponseSchema,
  addDays,
  localDayRange,
  toLocalDate,
} from '@/lib/sonnys';
import { pageAll, type Harness, type Wire } from './helpers';

export const DEFAULT_ZONE = 'America/Chicago';

export interface Measures {
  memberWashes: number;
  planSaleWashes: number;
  retailWashes: number;
  freeWashes: number;
  carsWashed: number;
  eligibleWashes: number;
  newMemberships: number;
  laborEntries: number;
  laborHundredths: number;
  laborCostCents: number;
  openShifts: number;
}

export const MEASURES: ReadonlyArray<keyof Measures> = [
  'memberWashes', 'planSaleWashes', 'retailWashes', 'freeWashes', 'carsWashed', 'eligibleWashes',
  'newMemberships', 'laborEntries', 'laborHundredths', 'laborCostCents', 'openShifts',
];

/** How often each classifier rule fired, so a test can check the edge cases reached it. */
export interface Coverage {
  redemptionsOutsideWashList: number;
  planSalesWithoutWash: number;
  upgrades: number;
  refundWashes: number;
  freeWashes: number;
  notWashes: number;
  nonCompletedWashes: number;
  openShifts: number;
  modifiedEntries: number;
  /** Clock-out on a later local day than clock-in. */
  midnightShifts: number;
  /** Entries at a site that reports no time zone (attributed in the default zone). */
  defaultZoneEntries: number;
  overtimeEntries: number;
  multiSiteEmployees: number;
}

const empty = (): Measures => ({
  memberWashes: 0, planSaleWashes: 0, retailWashes: 0, freeWashes: 0, carsWashed: 0, eligibleWashes: 0,
  newMemberships: 0, laborEntries: 0, laborHundredths: 0, laborCostCents: 0, openShifts: 0,
});

export type Verify = 'detail' | 'load-job';

export interface KpiResult {
  /** Keyed `${site}|${day}`. */
  measures: Map<string, Measures>;
  coverage: Coverage;
  requests: number;
}

/** Measures for every site of `database` and every local day of `days` (consecutive). */
export async function fetchKpis(h: Harness, database: string, days: readonly string[], verify: Verify): Promise<KpiResult> {
  let requests = 0;
  const call = async (path: string, method?: string): Promise<Wire> => {
    requests += 1;
    const r = await h.call(path, { db: database, method });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  const list = async (path: string, key: string): Promise<Wire[]> => {
    const rows = await pageAll(h, path, key, { db: database });
    requests += Math.floor(rows.length / 100) + 1;
    return rows;
  };
  const coverage: Coverage = {
    redemptionsOutsideWashList: 0, planSalesWithoutWash: 0, upgrades: 0, refundWashes: 0, freeWashes: 0, notWashes: 0,
    nonCompletedWashes: 0, openShifts: 0, modifiedEntries: 0, midnightShifts: 0, defaultZoneEntries: 0, overtimeEntries: 0,
    multiSiteEmployees: 0,
  };
  const measures = new Map<string, Measures>();
  const sites: Wire[] = (await call('/site/list')).data.sites;
  const zoneOf = new Map<string, string>(sites.map((s) => [s.code, s.timezone ?? DEFAULT_ZONE]));
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const nowSec = Math.floor(h.sim.clock.now() / 1000);

  for (const site of sites) {
    const zone = zoneOf.get(site.code)!;
    for (const d of days) measures.set(`${site.code}|${d}`, empty());
    const range = localDayRange(first, last, zone);
    const end = Math.min(range.endDate, nowSec);
    if (end < range.startDate) continue;
    const q = `site=${site.code}&startDate=${range.startDate}&endDate=${end}`;
    const v2 = await list(`/transaction/version-2?${q}`, 'transactions');
    const washIds = new Set((await list(`/transaction/type/wash?${q}`, 'transactions')).map((t) => t.transId as string));
    for (const t of v2) if (t.transactionStatus !== 'Completed' && washIds.has(t.transId)) coverage.nonCompletedWashes += 1;
    const completed = v2.filter((t) => t.transactionStatus === 'Completed');
    const genuine = await verifySales(completed.filter((t) => t.isRecurringPlanSale), { site: site.code, zone, days, verify, nowSec }, call);
    for (const t of completed) {
      const m = measures.get(`${site.code}|${toLocalDate(t.date, zone)}`);
      if (!m) continue;
      const listed = washIds.has(t.transId);
      const total = Math.round(t.total * 100);
      if (t.isRecurringPlanRedemption) {
        m.memberWashes += 1;
        if (!listed) coverage.redemptionsOutsideWashList += 1;
      } else if (t.isRecurringPlanSale) {
        if (listed) m.planSaleWashes += 1;
        else coverage.planSalesWithoutWash += 1;
      } else if (listed) {
        m.retailWashes += 1;
        if (total === 0) {
          m.freeWashes += 1;
          coverage.freeWashes += 1;
        }
        if (total < 0) coverage.refundWashes += 1;
      } else {
        coverage.notWashes += 1;
      }
      if (t.isRecurringPlanSale) {
        if (genuine.get(t.transId)) m.newMemberships += 1;
        else coverage.upgrades += 1;
      }
    }
  }

  // Labor: every employee, entries of every site (no site filter, FACTS Q12); the API's dates are
  // the sites' own, so a day either side covers every zone's local day.
  const employees = await list('/employee', 'employees');
  for (const e of employees) {
    const body = ClockEntriesResponseSchema.parse(await call(`/employee/${e.employeeId}/clock-entries?startDate=${addDays(first, -1)}&endDate=${addDays(last, 1)}`));
    const sitesWorked = new Set<string>();
    for (const entry of body.data.weeks.flatMap((w) => w.clockEntries)) {
      const zone = zoneOf.get(entry.siteCode) ?? DEFAULT_ZONE;
      const day = toLocalDate(entry.clockIn!, zone);
      const m = measures.get(`${entry.siteCode}|${day}`);
      if (!m) continue;
      sitesWorked.add(entry.siteCode);
      m.laborEntries += 1;
      m.laborHundredths += Math.round((entry.regularHours + entry.overtimeHours) * 100);
      // FACTS §0.1, literally: round(100 × (regularRate × regularHours + overtimeRate × overtimeHours)).
      m.laborCostCents += Math.round(100 * (entry.regularRate * entry.regularHours + entry.overtimeRate * entry.overtimeHours));
      if (entry.clockOut === null) {
        m.openShifts += 1;
        coverage.openShifts += 1;
      }
      if (entry.wasModified) coverage.modifiedEntries += 1;
      if (entry.overtimeHours > 0) coverage.overtimeEntries += 1;
      if (entry.clockOut !== null && toLocalDate(entry.clockOut, zone) !== day) coverage.midnightShifts += 1;
      if (!sites.find((s) => s.code === entry.siteCode)?.timezone) coverage.defaultZoneEntries += 1;
    }
    if (sitesWorked.size > 1) coverage.multiSiteEmployees += 1;
  }
  for (const m of measures.values()) {
    m.carsWashed = m.memberWashes + m.planSaleWashes + m.retailWashes;
    m.eligibleWashes = m.carsWashed - m.memberWashes - m.freeWashes;
  }
  return { measures, coverage, requests };
}

/** transId -> isRecurringSale for the plan-sale candidates, from details or load-job data. */
async function verifySales(
  candidates: Wire[],
  { site, zone, days, verify, nowSec }: { site: string; zone: string; days: readonly string[]; verify: Verify; nowSec: number },
  call: (path: string, method?: string) => Promise<Wire>,
): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (candidates.length === 0) return out;
  if (verify === 'detail') {
    for (const c of candidates) out.set(c.transId, TransactionResponseSchema.parse(await call(`/transaction/${c.transId}`)).data.isRecurringSale);
    return out;
  }
  for (const day of days) {
    const r = localDayRange(day, day, zone);
    if (r.startDate > nowSec) continue;
    for (let page = 1, pages = 1; page <= pages; page++) {
      const q = `site=${site}&startDate=${r.startDate}&endDate=${Math.min(r.endDate, nowSec)}&limit=100&offset=${page}`;
      const hash = (await call(`/transaction/load-job?${q}`, 'POST')).data.hash as string;
      const job = JobDataResponseSchema.parse(await call(`/transaction/get-job-data?hash=${hash}`)).data;
      if (job.status !== 'pass') throw new Error(`job ${hash} is ${job.status}`);
      pages = Math.ceil((job.total ?? 0) / 100);
      for (const t of job.data) out.set(t.id, t.isRecurringSale);
    }
  }
  return out;
}
