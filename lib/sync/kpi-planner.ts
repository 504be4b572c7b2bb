/**
 * What a sync fetches for the car-wash KPIs (FACTS §0.1, issue #11), besides the v2 ranges of
 * `planner.ts`:
 * - wash lists, for the days whose v2 rows this run fetches and for any day within the API's
 *   horizon that still has Completed rows without a wash flag (history synced before, a range cut
 *   short), merged into ranges of up to 31 days;
 * - verifications of plan sales, per site-day, for the same kinds of days;
 * - clock entries, database-wide, for the days whose labor is not settled: a day's entries are
 *   settled once they were fetched after the next day ended everywhere (the endpoint's day filter
 *   is in a zone it does not state, so a site's day needs its neighbours too); until then, and
 *   while a shift is open, they are fetched again at most every `laborRefreshMs`; and once more 3
 *   and 7 days after they settled (BackOffice edits hours late), as transactions are.
 *
 * Wash lists and verifications are planned generously and narrowed at run time to the days that
 * still need them, so a recheck that brought nothing new costs nothing. Pure: no I/O.
 */
import { addDays, DAY_MS, dayStartMs, daysBetween, toLocalDate, type LocalDate } from '@/lib/calendar';
import { CLOCK_ENTRIES_MAX_DAYS, transactionListChunks } from '@/lib/sonnys';
import { DEFAULT_RECHECK_AFTER_DAYS, DEFAULT_ROWS_PER_DAY, PAGE_SIZE, type PlannedChunk, type PlanSite } from './planner';

const RECHECK_GRACE_MS = 2 * DAY_MS;
/** Labor of days still changing (today, yesterday, open shifts) is fetched again at most this often. */
export const LABOR_REFRESH_MS = 60 * 60 * 1000;
/** Share of v2 rows that are washes, for page estimates (members, retail and plan-sale washes). */
const WASH_SHARE = 0.75;
/** Share of v2 rows that are plan sales, for verification estimates. */
const PLAN_SALE_SHARE = 0.03;

export interface KpiPlanInput {
  sites: readonly PlanSite[];
  now: number;
  /** Days the first sync reaches back (today included). */
  backfillDays: number;
  /** The API refuses dates older than about 6 months. */
  horizonDays: number;
  /** The database's zone (for labor's database-wide days). */
  defaultTimezone: string;
  /** The v2 ranges this run fetches: their days are classified and verified after them. */
  transactions: readonly Pick<PlannedChunk, 'siteCode' | 'fromDay' | 'toDay'>[];
  /** site → days with Completed rows not yet checked against the wash list. */
  unclassified: ReadonlyMap<string, readonly LocalDate[]>;
  /** site → days with Completed plan sales not yet verified. */
  unverified: ReadonlyMap<string, readonly LocalDate[]>;
  /** API day → when every employee's entries of it were last fetched. */
  laborCoverage: ReadonlyMap<LocalDate, number>;
  /** Days with a shift still open. */
  openShiftDays: ReadonlySet<LocalDate>;
  /** Employees `/employee` lists (one request each per labor window). */
  employees: number;
  /** Explicit inclusive range (CLI --from/--to): only these days. */
  from?: LocalDate;
  to?: LocalDate;
  laborRefreshMs?: number;
  recheckAfterDays?: readonly number[];
  /**
   * Also plan the backlog (days with rows not classified or verified that this run does not fetch,
   * and labor older than the trailing days). A person pressing Sync now waits for fresh numbers,
   * not for history: their run leaves the backlog to background runs. @default true
   */
  backlog?: boolean;
  /** Days at the end always refetched (today included), for the labor window without backlog. @default 2 */
  trailingDays?: number;
}

export type KpiKind = 'washes' | 'memberships' | 'labor';
export interface PlannedKpiChunk extends PlannedChunk {
  kind: KpiKind;
}

function runsOf(days: Iterable<LocalDate>): [LocalDate, LocalDate][] {
  const sorted = [...new Set(days)].sort();
  const runs: [LocalDate, LocalDate][] = [];
  for (const day of sorted) {
    const current = runs.at(-1);
    if (current && daysBetween(current[1], day) === 1) current[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

/** The days of a site a run may fetch KPI data for: within the horizon (and the explicit range). */
function window(site: PlanSite, input: KpiPlanInput): { first: LocalDate; last: LocalDate } {
  const today = toLocalDate(input.now, site.timezone);
  let first = addDays(today, -(input.horizonDays - 1));
  let last = today;
  if (input.from && input.from > first) first = input.from;
  if (input.to && input.to < last) last = input.to;
  return { first, last };
}

export function planKpis(input: KpiPlanInput): PlannedKpiChunk[] {
  const chunks: PlannedKpiChunk[] = [];
  for (const site of input.sites) {
    const { first, last } = window(site, input);
    if (first > last) continue;
    const fetched = new Set<LocalDate>();
    for (const t of input.transactions) {
      if (t.siteCode !== site.code) continue;
      for (let d = t.fromDay; d <= t.toDay; d = addDays(d, 1)) fetched.add(d);
    }
    const inWindow = (d: LocalDate) => d >= first && d <= last;
    const perDay = site.rowsPerDay ?? DEFAULT_ROWS_PER_DAY;

    const backlog = input.backlog ?? true;
    const washDays = [...fetched, ...(backlog ? (input.unclassified.get(site.code) ?? []) : [])].filter(inWindow);
    for (const [runFirst, runLast] of runsOf(washDays)) {
      for (const c of transactionListChunks(runFirst, runLast, site.timezone, input.now)) {
        const days = daysBetween(c.firstDay, c.lastDay) + 1;
        chunks.push({
          kind: 'washes',
          siteCode: site.code,
          fromDay: c.firstDay,
          toDay: c.lastDay,
          startUnix: c.startDate,
          endUnix: c.endDate,
          estimatedPages: Math.max(1, Math.floor((days * perDay * WASH_SHARE) / PAGE_SIZE) + 1),
        });
      }
    }

    const verifyDays = new Set([...fetched, ...(backlog ? (input.unverified.get(site.code) ?? []) : [])].filter(inWindow));
    // Either way of verifying a day costs about this (see work/memberships.ts).
    const perDayCost = Math.max(1, Math.min(Math.ceil(perDay * PLAN_SALE_SHARE), 2 * Math.ceil(perDay / PAGE_SIZE)));
    for (const day of [...verifyDays].sort()) {
      chunks.push({ kind: 'memberships', siteCode: site.code, fromDay: day, toDay: day, startUnix: 0, endUnix: 0, estimatedPages: perDayCost });
    }
  }
  chunks.push(...planLabor(input));
  return chunks;
}

/** The API days whose clock entries are due, in windows of up to 14 days (see the module comment). */
export function planLabor(input: KpiPlanInput): PlannedKpiChunk[] {
  const { now } = input;
  const refresh = input.laborRefreshMs ?? LABOR_REFRESH_MS;
  const rechecks = input.recheckAfterDays ?? DEFAULT_RECHECK_AFTER_DAYS;
  const zones = [...new Set([input.defaultTimezone, ...input.sites.map((s) => s.timezone)])];
  const today = toLocalDate(now, input.defaultTimezone);
  // A day past every site's today is not needed; one before the window is, as a neighbour.
  const latestToday = zones.map((z) => toLocalDate(now, z)).sort().at(-1)!;
  let first = input.from
    ? addDays(input.from, -1)
    : input.backlog === false
      ? addDays(today, -(input.trailingDays ?? 2))
      : addDays(today, -input.backfillDays);
  const last = input.to ? (addDays(input.to, 1) < latestToday ? addDays(input.to, 1) : latestToday) : latestToday;
  const horizon = addDays(today, -(input.horizonDays - 1));
  if (first < horizon) first = horizon;
  if (first > last) return [];

  const due: LocalDate[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    const synced = input.laborCoverage.get(d);
    // Settled once fetched after the next day ended in every zone.
    const settledAt = Math.max(...zones.map((z) => dayStartMs(addDays(d, 2), z)));
    const open = input.openShiftDays.has(d) || input.openShiftDays.has(addDays(d, -1)) || input.openShiftDays.has(addDays(d, 1));
    if (synced === undefined) {
      due.push(d);
    } else if (now < settledAt || open) {
      if (synced < now - refresh) due.push(d);
    } else if (synced < settledAt) {
      due.push(d);
    } else if (rechecks.some((age) => now >= settledAt + age * DAY_MS && now < settledAt + age * DAY_MS + RECHECK_GRACE_MS && synced < settledAt + age * DAY_MS)) {
      due.push(d);
    }
  }
  const chunks: PlannedKpiChunk[] = [];
  for (const [runFirst, runLast] of runsOf(due)) {
    for (let start = runFirst; start <= runLast; start = addDays(start, CLOCK_ENTRIES_MAX_DAYS)) {
      const end = addDays(start, CLOCK_ENTRIES_MAX_DAYS - 1) < runLast ? addDays(start, CLOCK_ENTRIES_MAX_DAYS - 1) : runLast;
      chunks.push({ kind: 'labor', siteCode: '', fromDay: start, toDay: end, startUnix: 0, endUnix: 0, estimatedPages: Math.max(1, input.employees) });
    }
  }
  return chunks;
}
