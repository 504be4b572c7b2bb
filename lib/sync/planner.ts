/**
 * What a sync fetches: per site, the local days that are missing or may still change, merged into
 * the largest ranges `/transaction/version-2` accepts (31 days), most recent first.
 *
 * A day "may still change" when it is inside the trailing window (today and yesterday by default:
 * late uploads and late voids land there, issue #5), or when it was last fetched before it ended.
 * Past that, each day is fetched once more as it passes each recheck age (3 and 7 days after it
 * ended by default), unless its last fetch came after that age: a site whose controller was offline
 * for days, or a void entered days late, still reaches the dashboard without anyone re-syncing by hand.
 * It costs two more fetches of a day per site, a few requests a day against the hundreds the
 * trailing window takes. A recheck is due only in the two days after its age is reached, so an
 * install that was down, or history synced before rechecks existed, never turns into a re-fetch of
 * months.
 * Pure: no I/O, so the arithmetic is unit-tested directly.
 */
import { addDays, DAY_MS, dayEndMs, daysBetween, toLocalDate, type LocalDate } from '@/lib/calendar';
import { DEFAULT_PAGE_LIMIT, localDayRange, transactionListChunks } from '@/lib/sonnys';

export interface PlanSite {
  code: string;
  timezone: string;
  /** Typical v2 rows per day (all statuses), for page estimates; null when unknown. */
  rowsPerDay: number | null;
}

export interface PlanOptions {
  now: number;
  /** Days the first sync reaches back (today included). */
  backfillDays: number;
  /** The API refuses dates older than about 6 months: never plan before today − (horizonDays − 1). */
  horizonDays: number;
  /** Days at the end always refetched (today included). @default 2 */
  trailingDays?: number;
  /**
   * Ages (days after a day ended) at which a day is fetched once more, if its last fetch was
   * earlier than that. @default [3, 7]
   */
  recheckAfterDays?: readonly number[];
  /** Explicit inclusive local-day range: fetch it all, whatever is covered... */
  from?: LocalDate;
  to?: LocalDate;
  /**
   * ...except days fetched in full at or after this instant: when a run asked for a range is
   * interrupted, the next run finishes it without fetching its completed ranges again.
   */
  freshSince?: number;
}

export interface PlannedChunk {
  siteCode: string;
  fromDay: LocalDate;
  toDay: LocalDate;
  startUnix: number;
  endUnix: number;
  estimatedPages: number;
}

export const DEFAULT_RECHECK_AFTER_DAYS: readonly number[] = [3, 7];
/** How long a recheck stays due after its age is reached. */
const RECHECK_GRACE_MS = 2 * DAY_MS;

/** The days a new install's first screen shows (the overview's "Last 7 days"): synced before older history. */
export const FIRST_SCREEN_DAYS = 7;

/** Rows per day assumed for a site Washboard has not seen yet. */
export const DEFAULT_ROWS_PER_DAY = 350;
/** Rows per list page: the largest page the API serves, so a range spends the fewest requests. */
export const PAGE_SIZE = DEFAULT_PAGE_LIMIT;

/** site code → local day → epoch ms the day was last fetched in full. */
export type Coverage = Map<string, Map<LocalDate, number>>;

export function planSite(site: PlanSite, coverage: Map<LocalDate, number> | undefined, options: PlanOptions): PlannedChunk[] {
  const { now, backfillDays, horizonDays, trailingDays = 2, recheckAfterDays = DEFAULT_RECHECK_AFTER_DAYS } = options;
  const today = toLocalDate(now, site.timezone);
  const horizonStart = addDays(today, -(horizonDays - 1));
  const explicit = options.from !== undefined || options.to !== undefined;

  let first = explicit ? (options.from ?? horizonStart) : addDays(today, -(backfillDays - 1));
  let last = explicit ? (options.to ?? today) : today;
  if (first < horizonStart) first = horizonStart;
  if (last > today) last = today;
  if (first > last) return [];

  const trailingStart = addDays(today, -(trailingDays - 1));
  // Rechecks reach past a short backfill window: a day fetched once is rechecked whatever the window.
  const recheckSpan = recheckAfterDays.length ? Math.ceil(Math.max(...recheckAfterDays) + RECHECK_GRACE_MS / DAY_MS) + 1 : 0;
  const recheckFrom = addDays(today, -recheckSpan);
  const start = !explicit && recheckFrom < first ? (recheckFrom < horizonStart ? horizonStart : recheckFrom) : first;
  const needed: LocalDate[] = [];
  for (let day = start; day <= last; day = addDays(day, 1)) {
    const syncedAt = coverage?.get(day);
    if (explicit) {
      if (options.freshSince === undefined || syncedAt === undefined || syncedAt < options.freshSince) needed.push(day);
      continue;
    }
    if (day >= trailingStart) {
      needed.push(day);
      continue;
    }
    const dayEnd = dayEndMs(day, site.timezone);
    // Before the backfill window only rechecks apply, and only to days fetched before.
    if (day < first && (syncedAt === undefined || syncedAt < dayEnd)) continue;
    // Never fetched, or fetched before the day was over (it was partial then).
    if (syncedAt === undefined || syncedAt < dayEnd) {
      needed.push(day);
      continue;
    }
    // Past a recheck age since the last fetch: anything uploaded or voided late is in by now.
    const recheckDue = recheckAfterDays.some((age) => {
      const due = dayEnd + age * DAY_MS;
      return now >= due && now < due + RECHECK_GRACE_MS && syncedAt < due;
    });
    if (recheckDue) needed.push(day);
  }
  if (!needed.length) return [];

  // Contiguous runs of needed days.
  const runs: [LocalDate, LocalDate][] = [];
  for (const day of needed) {
    const current = runs.at(-1);
    if (current && daysBetween(current[1], day) === 1) current[1] = day;
    else runs.push([day, day]);
  }

  // When the history is long, fetch the trailing window and then the rest of the first screen (the
  // last week) as ranges of their own first, so a new install shows today and yesterday within a
  // minute and a whole week soon after, while older history fills in (issue 15). It costs at most
  // two extra requests per site; short ranges stay in one piece.
  const lastRun = runs.at(-1)!;
  if (!explicit && daysBetween(lastRun[0], lastRun[1]) + 1 > 31 && lastRun[1] === today) {
    runs.pop();
    const weekStart = addDays(today, -(FIRST_SCREEN_DAYS - 1));
    runs.push([lastRun[0], addDays(weekStart, -1)]);
    if (weekStart < trailingStart) runs.push([weekStart, addDays(trailingStart, -1)]);
    runs.push([trailingStart, today]);
  }

  const perDay = site.rowsPerDay ?? DEFAULT_ROWS_PER_DAY;
  const chunks: PlannedChunk[] = [];
  for (const [runFirst, runLast] of runs) {
    for (const c of transactionListChunks(runFirst, runLast, site.timezone, now)) {
      const days = daysBetween(c.firstDay, c.lastDay) + 1;
      chunks.push({
        siteCode: site.code,
        fromDay: c.firstDay,
        toDay: c.lastDay,
        startUnix: c.startDate,
        endUnix: c.endDate,
        // +1: a range whose rows are an exact multiple of the page size needs one empty page to end.
        estimatedPages: Math.max(1, Math.floor((days * perDay) / PAGE_SIZE) + 1),
      });
    }
  }
  return chunks;
}

/** Every site's chunks, most recent first (then by site), so the dashboard fills from today backwards. */
export function planSync(sites: PlanSite[], coverage: Coverage, options: PlanOptions): PlannedChunk[] {
  const all = sites.flatMap((s) => planSite(s, coverage.get(s.code), options));
  return all.sort((a, b) => (a.toDay === b.toDay ? a.siteCode.localeCompare(b.siteCode) : a.toDay < b.toDay ? 1 : -1));
}

/** The inclusive Unix range of local days, for callers that need one outside a plan. */
export { localDayRange };
