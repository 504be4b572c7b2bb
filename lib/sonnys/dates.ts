/**
 * Local calendar days ↔ the Unix-second ranges the API takes.
 *
 * Conventions, used by every helper here:
 * - A local day is `YYYY-MM-DD` in an IANA zone (FACTS §0: every "per day" figure uses the site's
 *   local day). Its instants run from its local midnight up to, not including, the next one; a
 *   day is 23 or 25 hours long when DST starts or ends.
 * - A {@link UnixRange} sent to the API is INCLUSIVE at both ends, in whole seconds: `endDate` is
 *   the last second wanted, i.e. the next day's start minus one. This follows the spec's own
 *   example for April 2022 (`startDate=1648785600&endDate=1651377599`, openapi.yml
 *   `/washbook/account/list`), so no record at the next midnight is fetched twice.
 * - A range's span is `endDate - startDate + 1` seconds; the API limits spans (31 days for
 *   transaction lists, FACTS §3 Q9; 24 hours for load-job, §2.5), and chunks never exceed them.
 * - The API rejects future timestamps (FACTS §3 Q10): clamp the end to now before sending.
 * - A zone is always the last argument, an instant is always epoch milliseconds (`Date.now()`).
 *
 * Offsets come from `Intl.DateTimeFormat`, so DST follows the runtime's tz database; no date library.
 */

/** `YYYY-MM-DD`. */
export type LocalDate = string;

/** Unix seconds, both ends inclusive. Field names match the API's query parameters. */
export interface UnixRange {
  startDate: number;
  endDate: number;
}

/** A chunk of a local-day range: the days it covers and the seconds to send. */
export interface DateChunk extends UnixRange {
  firstDay: LocalDate;
  lastDay: LocalDate;
}

export const DAY_SECONDS = 86_400;
/** Longest span `/transaction`, `/transaction/type/*` and `/transaction/version-2` accept (FACTS §3 Q9). */
export const TRANSACTION_LIST_MAX_SPAN_SECONDS = 31 * DAY_SECONDS;
/** Longest span `POST /transaction/load-job` accepts (FACTS §2.5). */
export const LOAD_JOB_MAX_SPAN_SECONDS = DAY_SECONDS;
/** Longest inclusive day count `/employee/{id}/clock-entries` accepts (FACTS §3 Q11). */
export const CLOCK_ENTRIES_MAX_DAYS = 14;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseLocalDate(day: LocalDate): [number, number, number] {
  const m = DATE_RE.exec(day);
  if (!m) throw new RangeError(`Expected a date as YYYY-MM-DD, got ${JSON.stringify(day)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`Not a calendar date: ${day}`);
  }
  return [y, mo, d];
}

function formatUtcDate(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDays(day: LocalDate, n: number): LocalDate {
  const [y, m, d] = parseLocalDate(day);
  return formatUtcDate(Date.UTC(y, m - 1, d + n));
}

/** Calendar days from `a` to `b` (b − a); 0 for the same day. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  const [y1, m1, d1] = parseLocalDate(a);
  const [y2, m2, d2] = parseLocalDate(b);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / (DAY_SECONDS * 1000));
}

/** True for an IANA zone name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// A pure memo of formatters (creating one is slow); holds no per-client state.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(utcMs: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of `timeZone` from UTC at `utcMs`, in ms (−5 h in Chicago summer → −18 000 000). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The local calendar date of an instant in `timeZone`: epoch milliseconds (as `Date.now()` gives,
 * like every other instant argument here), an ISO string or a Date.
 */
export function toLocalDate(instant: number | string | Date, timeZone: string): LocalDate {
  const ms = typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Unix seconds of the first instant of `day` in `timeZone` (local midnight, or later if DST skips it). */
export function startOfLocalDay(day: LocalDate, timeZone: string): number {
  const [y, m, d] = parseLocalDate(day);
  const wallMs = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess may differ from the offset at the answer across a DST change.
  let t = wallMs - zoneOffsetMs(wallMs, timeZone);
  t = wallMs - zoneOffsetMs(t, timeZone);
  // Where DST starts at midnight (e.g. America/Santiago) local midnight does not exist and the
  // result lands on the previous day: walk forward to the first instant that is on `day`.
  for (let i = 0; i < 16 && toLocalDate(t, timeZone) < day; i++) t += 15 * 60 * 1000;
  return Math.floor(t / 1000);
}

/** Seconds since local midnight shown by a wall clock in `timeZone` at an instant (0 to 86 399). */
export function localSecondsOfDay(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  return w.hour * 3600 + w.minute * 60 + w.second;
}

/**
 * The instant (epoch ms) a wall clock in `timeZone` shows `seconds` after midnight on `day`: "the
 * same time of day" on another day, DST included. A time the clock skips (spring forward) maps to
 * the instant the clock jumps past it; a time it shows twice (fall back) to the first.
 */
export function instantAtLocalTime(day: LocalDate, seconds: number, timeZone: string): number {
  const [y, m, d] = parseLocalDate(day);
  const wallMs = Date.UTC(y, m - 1, d) + seconds * 1000;
  const first = wallMs - zoneOffsetMs(wallMs - zoneOffsetMs(wallMs, timeZone), timeZone);
  // Two candidates around a change; the earlier one that the clock really shows wins.
  const before = wallMs - zoneOffsetMs(first - 3_600_000, timeZone);
  const after = wallMs - zoneOffsetMs(first + 3_600_000, timeZone);
  const shows = (t: number) => t + zoneOffsetMs(t, timeZone) === wallMs;
  const candidates = [before, first, after].filter(shows).sort((a, b) => a - b);
  if (candidates.length) return candidates[0]!;
  // Skipped: the first instant whose wall clock reads at or past the wanted time ends the gap.
  let lo = Math.min(before, first, after);
  let hi = Math.max(before, first, after);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid + zoneOffsetMs(mid, timeZone) >= wallMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Seconds from the start of `day` to the start of the next one: 86 400, or 82 800 / 90 000 on DST days. */
export function localDaySeconds(day: LocalDate, timeZone: string): number {
  return startOfLocalDay(addDays(day, 1), timeZone) - startOfLocalDay(day, timeZone);
}

/** The inclusive range covering local days `firstDay` through `lastDay`. */
export function localDayRange(firstDay: LocalDate, lastDay: LocalDate, timeZone: string): UnixRange {
  if (daysBetween(firstDay, lastDay) < 0) throw new RangeError(`lastDay ${lastDay} is before firstDay ${firstDay}`);
  return {
    startDate: startOfLocalDay(firstDay, timeZone),
    endDate: startOfLocalDay(addDays(lastDay, 1), timeZone) - 1,
  };
}

/** Seconds covered by an inclusive range. */
export function rangeSpan(range: UnixRange): number {
  return range.endDate - range.startDate + 1;
}

/** Splits an inclusive range into consecutive pieces of at most `maxSpanSeconds`. */
export function splitRange(range: UnixRange, maxSpanSeconds: number): UnixRange[] {
  if (maxSpanSeconds < 1) throw new RangeError('maxSpanSeconds must be ≥ 1');
  const out: UnixRange[] = [];
  for (let start = range.startDate; start <= range.endDate; start += maxSpanSeconds) {
    out.push({ startDate: start, endDate: Math.min(range.endDate, start + maxSpanSeconds - 1) });
  }
  return out;
}

/**
 * Ends the range at `nowMs` (the API rejects future timestamps, FACTS §3 Q10).
 * Returns null when the whole range is in the future.
 */
export function clampRange<T extends UnixRange>(range: T, nowMs: number = Date.now()): T | null {
  const now = Math.floor(nowMs / 1000);
  if (range.startDate > now) return null;
  return range.endDate > now ? { ...range, endDate: now } : range;
}

/**
 * Groups local days into consecutive chunks whose second-span stays within `maxSpanSeconds`,
 * each starting and ending on a local midnight so a sync can commit whole days. A single day
 * longer than the limit (the 25-hour day against load-job's 24 hours) is split by seconds.
 */
export function chunkLocalDays(firstDay: LocalDate, lastDay: LocalDate, timeZone: string, maxSpanSeconds: number): DateChunk[] {
  const total = daysBetween(firstDay, lastDay);
  if (total < 0) throw new RangeError(`lastDay ${lastDay} is before firstDay ${firstDay}`);
  const chunks: DateChunk[] = [];
  let chunkFirst = firstDay;
  let chunkStart = startOfLocalDay(firstDay, timeZone);
  for (let i = 0; i <= total; i++) {
    const day = addDays(firstDay, i);
    const dayEnd = startOfLocalDay(addDays(day, 1), timeZone) - 1;
    const dayStart = startOfLocalDay(day, timeZone);
    if (dayEnd - dayStart + 1 > maxSpanSeconds) {
      // Close whatever is open, then cut this one long day into pieces.
      if (chunkFirst !== day) chunks.push({ firstDay: chunkFirst, lastDay: addDays(day, -1), startDate: chunkStart, endDate: dayStart - 1 });
      for (const piece of splitRange({ startDate: dayStart, endDate: dayEnd }, maxSpanSeconds)) {
        chunks.push({ firstDay: day, lastDay: day, ...piece });
      }
      chunkFirst = addDays(day, 1);
      chunkStart = dayEnd + 1;
      continue;
    }
    if (dayEnd - chunkStart + 1 > maxSpanSeconds) {
      chunks.push({ firstDay: chunkFirst, lastDay: addDays(day, -1), startDate: chunkStart, endDate: dayStart - 1 });
      chunkFirst = day;
      chunkStart = dayStart;
    }
    if (i === total) chunks.push({ firstDay: chunkFirst, lastDay: day, startDate: chunkStart, endDate: dayEnd });
  }
  return chunks;
}

/** Chunks accepted by the transaction list endpoints, clamped to now; future chunks dropped. */
export function transactionListChunks(firstDay: LocalDate, lastDay: LocalDate, timeZone: string, nowMs: number = Date.now()): DateChunk[] {
  return clampChunks(chunkLocalDays(firstDay, lastDay, timeZone, TRANSACTION_LIST_MAX_SPAN_SECONDS), nowMs);
}

/** Chunks accepted by load-job (≤ 24 h; one per local day, two on a 25-hour day), clamped to now. */
export function loadJobChunks(firstDay: LocalDate, lastDay: LocalDate, timeZone: string, nowMs: number = Date.now()): DateChunk[] {
  return clampChunks(chunkLocalDays(firstDay, lastDay, timeZone, LOAD_JOB_MAX_SPAN_SECONDS), nowMs);
}

function clampChunks(chunks: DateChunk[], nowMs: number): DateChunk[] {
  return chunks.map((c) => clampRange(c, nowMs)).filter((c): c is DateChunk => c !== null);
}

/**
 * Inclusive day windows for `/employee/{id}/clock-entries`, which takes `YYYY-MM-DD` strings,
 * not seconds (FACTS §3 Q11): 31 days → 14 + 14 + 3. No time zone: the dates are sent verbatim.
 */
export function clockEntryChunks(
  firstDay: LocalDate,
  lastDay: LocalDate,
  maxDays: number = CLOCK_ENTRIES_MAX_DAYS,
): { startDate: LocalDate; endDate: LocalDate }[] {
  const total = daysBetween(firstDay, lastDay);
  if (total < 0) throw new RangeError(`lastDay ${lastDay} is before firstDay ${firstDay}`);
  const out: { startDate: LocalDate; endDate: LocalDate }[] = [];
  for (let i = 0; i <= total; i += maxDays) {
    out.push({ startDate: addDays(firstDay, i), endDate: addDays(firstDay, Math.min(total, i + maxDays - 1)) });
  }
  return out;
}
