/**
 * When a change against an earlier period may be shown, and what a day's figures are worth: one
 * rule, computed once with the totals and read by every card, table row and total (issue #10),
 * so they can never disagree.
 *
 * A site's local day is:
 * - `complete`: a sync fetched it after it had ended (`synced_at >= day_end_at`);
 * - `partial`: it was fetched before it ended (today, or a day last fetched late in the evening):
 *   its figures are true as of that fetch, and may still grow;
 * - `syncing`: a sync is fetching it right now (some pages in, the rest on their way);
 * - `unsynced`: no sync has fetched it yet (its figures are unknown, not zero);
 * - `future`: it has not begun.
 *
 * A change is shown only when, for every site in scope, every day of both periods is complete,
 * except the range's last day while it is still going on: then that day is compared like for
 * like, with the earlier period's last day up to the same local time of day as the fetch that
 * holds the current one. The same words explain every "no comparison".
 */
import { addDays, dayCount, dayEndMs, dayStartMs, instantAtLocalTime, localSecondsOfDay } from '@/lib/calendar';
import type { DayRange } from './range';

export type DayState = 'complete' | 'partial' | 'syncing' | 'unsynced' | 'future';

export const DAY_STATE_LABELS: Record<DayState, string> = {
  complete: 'Complete',
  partial: 'Partial',
  syncing: 'Syncing',
  unsynced: 'Not synced yet',
  future: 'In the future',
};

/** Why a change is not shown. */
export type NoComparisonReason = 'no-sites' | 'future' | 'syncing' | 'current-incomplete' | 'earlier-incomplete';

/** The words shown wherever a change is missing: on cards, in table cells and beside totals. */
export const NO_COMPARISON_TEXT: Record<NoComparisonReason, string> = {
  'no-sites': 'no sites to compare',
  future: 'range reaches into the future',
  syncing: 'sync in progress',
  'current-incomplete': 'days not complete yet',
  'earlier-incomplete': 'earlier period not synced',
};

/** What SQL knows about one site's coverage of the two periods, for one dataset. */
export interface SiteCoverageSummary {
  databaseKey: string;
  code: string;
  timezone: string;
  /** Complete days within the current range. */
  currentComplete: number;
  /** Complete days within the earlier period. */
  earlierComplete: number;
  /**
   * As of when the range's last day is fetched for this dataset (null: not, or not in a way that
   * can be compared like for like while the day goes on).
   */
  lastDaySyncedAt: number | null;
  /** A running sync has started fetching a day of either period. */
  syncing: boolean;
}

/** The earlier period's last day, cut at the same time of day as the current one's data. */
export interface LikeForLikeCut {
  /** The earlier period's last day. */
  day: string;
  /** Transactions before this instant (epoch ms) count. */
  beforeMs: number;
  /** The instant the current last day's figures are as of (its last fetch). */
  asOfMs: number;
}

export type SiteComparability =
  | { comparable: true; reason: null; cut: LikeForLikeCut | null }
  | { comparable: false; reason: NoComparisonReason; cut: null };

export interface Periods {
  current: DayRange;
  earlier: DayRange;
  now: number;
}


/** The comparison rule for one site (see the module comment). */
export function siteComparability(site: SiteCoverageSummary, { current, earlier, now }: Periods): SiteComparability {
  const no = (reason: NoComparisonReason): SiteComparability => ({ comparable: false, reason, cut: null });
  const lastStart = dayStartMs(current.to, site.timezone);
  const lastEnd = dayEndMs(current.to, site.timezone);
  if (lastStart > now) return no('future');
  if (site.syncing) return no('syncing');
  const ongoing = now < lastEnd;
  const currentDays = dayCount(current.from, current.to);
  const needed = ongoing ? currentDays - 1 : currentDays;
  const lastFetched = site.lastDaySyncedAt !== null && site.lastDaySyncedAt >= lastStart;
  if (site.currentComplete < needed || (ongoing && !lastFetched)) return no('current-incomplete');
  if (site.earlierComplete < dayCount(earlier.from, earlier.to)) return no('earlier-incomplete');
  if (!ongoing) return { comparable: true, reason: null, cut: null };
  const asOfMs = site.lastDaySyncedAt!;
  const beforeMs = instantAtLocalTime(earlier.to, localSecondsOfDay(asOfMs, site.timezone), site.timezone);
  return { comparable: true, reason: null, cut: { day: earlier.to, beforeMs, asOfMs } };
}

/** Reasons in the order a reader should hear them: the first one that applies is named. */
const REASON_ORDER: NoComparisonReason[] = ['future', 'syncing', 'current-incomplete', 'earlier-incomplete', 'no-sites'];

export interface ScopeComparability {
  comparable: boolean;
  reason: NoComparisonReason | null;
  /** The earliest "as of" among sites compared like for like, for the card's note. */
  asOfMs: number | null;
}

/** All sites together: comparable only when every one is (and there is at least one). */
export function scopeComparability(sites: readonly SiteComparability[]): ScopeComparability {
  if (sites.length === 0) return { comparable: false, reason: 'no-sites', asOfMs: null };
  const reasons = new Set(sites.flatMap((s) => (s.comparable ? [] : [s.reason])));
  if (reasons.size) return { comparable: false, reason: REASON_ORDER.find((r) => reasons.has(r))!, asOfMs: null };
  const cuts = sites.flatMap((s) => (s.cut ? [s.cut.asOfMs] : []));
  return { comparable: true, reason: null, asOfMs: cuts.length ? Math.min(...cuts) : null };
}

/** What SQL knows about one day across the sites in scope. */
export interface DayCoverage {
  day: string;
  /** Sites with the day fetched at all. */
  fetched: number;
  /** Sites with the day complete. */
  complete: number;
  /** Sites with a sync fetching the day right now. */
  syncing: number;
  /** The oldest fetch among them (the figures are at least as of this). */
  asOfMs: number | null;
}

/**
 * A day's state across `siteCount` sites: complete only when complete at every site; `future` is
 * judged in the reporting zone (where "today" is).
 */
export function dayState(coverage: DayCoverage | undefined, siteCount: number, options: { today: string }): DayState {
  if (coverage?.day !== undefined && coverage.day > options.today) return 'future';
  if (!coverage || coverage.fetched === 0) return coverage?.syncing ? 'syncing' : 'unsynced';
  if (coverage.syncing > 0) return 'syncing';
  if (siteCount > 0 && coverage.complete >= siteCount) return 'complete';
  return 'partial';
}

/** Every day of a range with its state, oldest first. */
export function dayStates(range: DayRange, coverage: readonly DayCoverage[], siteCount: number, today: string): { day: string; state: DayState; asOfMs: number | null }[] {
  const byDay = new Map(coverage.map((c) => [c.day, c]));
  const out: { day: string; state: DayState; asOfMs: number | null }[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    const c = byDay.get(day);
    out.push({ day, state: day > today ? 'future' : dayState(c, siteCount, { today }), asOfMs: c?.asOfMs ?? null });
  }
  return out;
}
