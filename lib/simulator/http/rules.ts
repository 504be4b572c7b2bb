/**
 * Date and paging rules of the API (openapi.yml parameters, FACTS §2.1, §2.2, §2.5, Q9-Q11).
 * Every limit is an option so tests can explore the [?] cases.
 */
import { dayIndexOf, localDayOf, localDayRangeMs, monthFirstDay, monthIndexOf, monthsBefore, addDays } from '@/lib/simulator/time';
import type { QueryReader } from '@/lib/simulator/http/query';

export interface RuleOptions {
  /** Oldest allowed start for Transaction*DateParameter, months before today. @default 6 */
  horizonMonths: number;
  /** Max endDate - startDate on transaction lists, days (FACTS Q9). @default 31 */
  transactionMaxRangeDays: number;
  /** Max range of a load-job, seconds ("within 24 hours"). @default 86400 */
  loadJobMaxRangeSec: number;
  /** The only accepted load-job `limit`. @default 100 */
  loadJobLimit: number;
  /** Max days in a clock-entries request, counting both ends (FACTS Q11 [?]). @default 14 */
  clockEntriesMaxDays: number;
  /** Max range (months) of recurring/washbook lists and modifications. @default 6 */
  accountListMaxMonths: number;
  /** Max range of `/recurring/account/details/list`, days ("1 month"). @default 31 */
  detailsListMaxRangeDays: number;
  /** Seconds an endDate may lie past the server's now before it counts as future. @default 0 */
  futureToleranceSec: number;
  /** A non-numeric timestamp: 422 PayloadValidationError or 400 InvalidPayloadRequestTimestampError [?]. @default 'validation' */
  invalidTimestampError: 'validation' | 'timestamp';
  /** `limit` when omitted [FACTS: undocumented]. @default 100 */
  defaultLimit: number;
  /** Sandbox `DEF` header: 403 NotAuthorizedSiteArgsError always, or only with a `site=` arg [?]. @default 'always' */
  sandboxDefTrigger: 'always' | 'withSiteArg';
}

export const DEFAULT_RULES: RuleOptions = {
  horizonMonths: 6,
  transactionMaxRangeDays: 31,
  loadJobMaxRangeSec: 86_400,
  loadJobLimit: 100,
  clockEntriesMaxDays: 14,
  accountListMaxMonths: 6,
  detailsListMaxRangeDays: 31,
  futureToleranceSec: 0,
  invalidTimestampError: 'validation',
  defaultLimit: 100,
  sandboxDefTrigger: 'always',
};

export interface UnixWindow {
  startSec: number;
  endSec: number;
}

export interface WindowRule {
  /** What to assume when dates are omitted. */
  defaults: 'today' | 'lastMonth';
  /** Enforce the 6-month horizon on both dates. */
  horizon: boolean;
  /** Max endDate - startDate, seconds. */
  maxRangeSec?: number;
  maxRangeText?: string;
  /** Reject dates past now. @default true */
  noFuture?: boolean;
}

/** Reads `startDate`/`endDate` (Unix seconds) and applies `rule`; messages go to `q`. */
export function readUnixWindow(q: QueryReader, nowMs: number, serverTz: string, rules: RuleOptions, rule: WindowRule): UnixWindow {
  const nowSec = Math.floor(nowMs / 1000);
  const start = q.unixSeconds('startDate');
  const end = q.unixSeconds('endDate');
  const today = localDayOf(nowMs, serverTz);
  const defaultStart =
    rule.defaults === 'today'
      ? Math.floor(localDayRangeMs(today, serverTz).startMs / 1000)
      : Math.floor(localDayRangeMs(monthFirstDay(monthIndexOf(today) - 1), serverTz).startMs / 1000);
  const startSec = start ?? (end !== undefined && rule.defaults === 'today' ? Math.min(defaultStart, end) : defaultStart);
  const endSec = end ?? nowSec;
  const future = nowSec + rules.futureToleranceSec;
  if (rule.noFuture !== false) {
    if (start !== undefined && start > future) q.fail('startDate', 'must not be in the future.');
    if (end !== undefined && end > future) q.fail('endDate', 'must not be in the future.');
  }
  if (rule.horizon) {
    const oldest = horizonStartSec(nowMs, serverTz, rules.horizonMonths);
    if (start !== undefined && start < oldest) q.fail('startDate', `must not be earlier than ${rules.horizonMonths} months before today.`);
    if (end !== undefined && end < oldest) q.fail('endDate', `must not be earlier than ${rules.horizonMonths} months before today.`);
  }
  if (start !== undefined || end !== undefined) {
    if (endSec < startSec) q.fail('endDate', 'must be greater than or equal to startDate.');
    else if (rule.maxRangeSec !== undefined && endSec - startSec > rule.maxRangeSec) {
      q.fail('endDate', `the date range must not exceed ${rule.maxRangeText ?? `${rule.maxRangeSec} seconds`}.`);
    }
  }
  return { startSec, endSec };
}

/** Start (Unix s) of the local day `months` before today: the oldest instant a start may name. */
export function horizonStartSec(nowMs: number, serverTz: string, months: number): number {
  const day = localDayOf(monthsBefore(nowMs, months), serverTz);
  return Math.floor(localDayRangeMs(day, serverTz).startMs / 1000);
}

/** Calendar-month range check for `YYYY-MM-DD`-or-seconds windows (`months` calendar months). */
export function exceedsMonths(startSec: number, endSec: number, months: number): boolean {
  return startSec < Math.floor(monthsBefore(endSec * 1000, months) / 1000);
}

/** Days from `from` to `to` counting both ends. */
export function inclusiveDays(from: string, to: string): number {
  return dayIndexOf(to) - dayIndexOf(from) + 1;
}

export { addDays };
