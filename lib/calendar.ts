/**
 * Washboard's one calendar module: local days (`YYYY-MM-DD`), and where they meet instants in an
 * IANA zone. The zone is always the last argument; instants are epoch milliseconds.
 *
 * The arithmetic itself is the SDK's (`lib/sonnys/dates.ts`, DST-tested there), re-exported here
 * unchanged. What only Washboard needs is added here rather than in the SDK, which stays a library
 * about the API: the days and months of report ranges, the instants Washboard stores for a day
 * (`site_coverage.day_end_at`), and the ingest's cached offsets. The simulator keeps an independent
 * copy on purpose (see `lib/simulator/time.ts`).
 *
 * Relative imports: `next.config.ts` loads `lib/env.ts`, which loads this, outside the `@/` alias.
 */
import { addDays, DAY_SECONDS, daysBetween, startOfLocalDay, zoneOffsetMs, type LocalDate } from './sonnys/dates';

export {
  addDays,
  DAY_SECONDS,
  daysBetween,
  instantAtLocalTime,
  isTimeZone,
  localDaySeconds,
  localSecondsOfDay,
  startOfLocalDay,
  toLocalDate,
  zoneOffsetMs,
  type LocalDate,
} from './sonnys/dates';

/** A calendar day's length in ms, for durations counted in days (a local day may be 23 or 25 hours). */
export const DAY_MS = DAY_SECONDS * 1000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a well-formed day that exists on the calendar (rejects 2026-02-30), from 1970 on. */
export function isCalendarDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Number of days from `from` to `to`, both included (1 for a single day). */
export function dayCount(from: LocalDate, to: LocalDate): number {
  return daysBetween(from, to) + 1;
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function startOfMonth(day: LocalDate): LocalDate {
  return `${day.slice(0, 7)}-01`;
}

export function endOfMonth(day: LocalDate): LocalDate {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return `${day.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/**
 * The first instant of `day` in `timeZone`, in epoch ms (`startOfLocalDay` gives the API's Unix
 * seconds). Where midnight does not exist (America/Santiago), the day begins at the transition.
 */
export function dayStartMs(day: LocalDate, timeZone: string): number {
  return startOfLocalDay(day, timeZone) * 1000;
}

/** The instant `day` ends in `timeZone` (the next day's first instant), in epoch ms: `day_end_at`. */
export function dayEndMs(day: LocalDate, timeZone: string): number {
  return dayStartMs(addDays(day, 1), timeZone);
}

// ---- The ingest hot path: one call per stored row ------------------------------------------------

const offsetCache = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * `zoneOffsetMs` cached per quarter hour: `formatToParts` is slow and allocates, and every zone's
 * offset changes only on a quarter hour (or coarser).
 */
function cachedOffsetMs(utcMs: number, timeZone: string): number {
  const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(bucket * QUARTER_HOUR_MS, timeZone);
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

export interface LocalParts {
  /** `YYYY-MM-DD` */
  day: LocalDate;
  /** 0-23 */
  hour: number;
  /** `HH:MM:SS` */
  time: string;
}

/** Local calendar day, hour and time of a UTC instant in `timeZone`. */
export function localParts(utcMs: number, timeZone: string): LocalParts {
  const local = new Date(utcMs + cachedOffsetMs(utcMs, timeZone));
  const iso = local.toISOString();
  return { day: iso.slice(0, 10), hour: local.getUTCHours(), time: iso.slice(11, 19) };
}
