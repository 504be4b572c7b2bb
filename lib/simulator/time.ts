/**
 * The simulator's own calendar and time-zone helpers, kept apart from Washboard's
 * (`lib/calendar.ts` over `lib/sonnys/dates.ts`) ON PURPOSE: the simulator is an independent
 * implementation of the vendor, so a test that compares the sync's local days with the
 * simulator's truth compares two implementations, and a bug in one does not hide in both.
 * Do not import Washboard's calendar here, nor this from Washboard. Same convention: the zone is
 * the last argument.
 *
 * Local days are computed with the platform's IANA database (Intl), so DST days have 23 or 25
 * hours exactly as a client converting with the same zone sees.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetMemo = new Map<string, number>();
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
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

/** True when the platform knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset (local minus UTC, ms) of `timeZone` at instant `ms`. US zones change on whole hours. */
export function tzOffsetMs(ms: number, timeZone: string): number {
  const hourKey = Math.floor(ms / HOUR_MS);
  const key = `${timeZone}|${hourKey}`;
  const memo = offsetMemo.get(key);
  if (memo !== undefined) return memo;
  const at = hourKey * HOUR_MS;
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - at;
  if (offsetMemo.size > 200_000) offsetMemo.clear();
  offsetMemo.set(key, offset);
  return offset;
}

/** UTC instant of a local wall-clock time (for a skipped DST hour, a nearby valid instant). */
export function localToUtcMs(day: string, secondsOfDay: number, timeZone: string): number {
  const naive = dayStartUtcNaive(day) + secondsOfDay * 1000;
  let guess = naive - tzOffsetMs(naive, timeZone);
  guess = naive - tzOffsetMs(guess, timeZone);
  return guess;
}

/** `YYYY-MM-DD` of instant `ms` in `timeZone`. */
export function localDayOf(ms: number, timeZone: string): string {
  return utcDayOf(ms + tzOffsetMs(ms, timeZone));
}

/** Seconds since local midnight of instant `ms` in `timeZone` (wall clock). */
export function localSecondsOfDay(ms: number, timeZone: string): number {
  const local = ms + tzOffsetMs(ms, timeZone);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
}

/** [start, end) in UTC ms of the local day `day` in `timeZone`. */
export function localDayRangeMs(day: string, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: localToUtcMs(day, 0, timeZone), endMs: localToUtcMs(addDays(day, 1), 0, timeZone) };
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDayString(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return utcDayOf(ms) === value;
}

function dayStartUtcNaive(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`Not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` string. */
export function dayIndexOf(day: string): number {
  return Math.round(dayStartUtcNaive(day) / DAY_MS);
}

export function dayFromIndex(index: number): string {
  return utcDayOf(index * DAY_MS);
}

export function addDays(day: string, n: number): string {
  return dayFromIndex(dayIndexOf(day) + n);
}

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 0 = Sunday. */
export function weekdayOf(day: string): number {
  return new Date(dayStartUtcNaive(day)).getUTCDay();
}

/** 0-based month number since year 0 (`2026-03` -> 2026*12+2). */
export function monthIndexOf(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

export function monthFirstDay(monthIndex: number): string {
  const y = Math.floor(monthIndex / 12);
  const m = (monthIndex % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

export function daysInMonth(monthIndex: number): number {
  return dayIndexOf(monthFirstDay(monthIndex + 1)) - dayIndexOf(monthFirstDay(monthIndex));
}

/** `2018-05-19T05:32:32.000Z` (the API's ISO form). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2018-05-19 05:32:32` (the API's "SQL" form, UTC). */
export function sqlUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Same calendar instant `months` earlier (UTC fields; day clamped by Date arithmetic). */
export function monthsBefore(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() - months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}
