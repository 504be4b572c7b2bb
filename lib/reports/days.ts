/**
 * Calendar days (`YYYY-MM-DD`) and the instants where they begin in a time zone.
 *
 * Day arithmetic is done on the calendar alone (UTC midnights), so a DST change never makes a day
 * 23 or 25 hours "long" here; time zones only matter where a day meets an instant (what day is it
 * now, when did a day end), and there we ask `Intl` for the zone's offset.
 */

import { isTimeZone, startOfLocalDay, toLocalDate, zoneOffsetMs as sdkZoneOffsetMs } from '@/lib/sonnys/dates';

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a well-formed day that exists on the calendar (rejects 2026-02-30). */
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

function toUtcMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return fromUtcMs(toUtcMs(day) + days * DAY_MS);
}

/** Number of days from `from` to `to`, both included (1 for a single day). */
export function dayCount(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS) + 1;
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = toUtcMs(from), end = toUtcMs(to); ms <= end; ms += DAY_MS) days.push(fromUtcMs(ms));
  return days;
}

export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function endOfMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return `${day.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

// Where a day meets an instant, the SDK's zone arithmetic (one implementation, DST-tested there).

/** The zone's offset from UTC at an instant, in ms (e.g. -6 h for Chicago in winter). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  return sdkZoneOffsetMs(timeZone, instantMs);
}

/** The local day in a zone at an instant. */
export function dayInZone(timeZone: string, instantMs: number): string {
  return toLocalDate(new Date(instantMs), timeZone);
}

/**
 * The first instant of a local day in a zone, in ms. Where midnight does not exist (zones that move
 * their clocks at 00:00, e.g. America/Santiago), the day begins at the transition.
 */
export function startOfDayInZone(timeZone: string, day: string): number {
  return startOfLocalDay(day, timeZone) * 1000;
}

/** The instant a local day ends (the next day's start). */
export function endOfDayInZone(timeZone: string, day: string): number {
  return startOfDayInZone(timeZone, addDays(day, 1));
}

export { isTimeZone };
