/**
 * Employees and the clock entries they make. Each physical site has its own crew (IDs
 * `siteId * 100 + n`, never 1 or 2, which the sandbox reserves as "not found"): a salaried-style
 * manager, two full-timers who run into weekly overtime, part-timers, and a night cleaner whose
 * shift crosses local midnight. The first physical site of a database with several also employs a
 * floater (`siteId * 100 + 90`) who works a second site every week, in another time zone in Icon,
 * with a split Saturday when the two sites share a zone. Crew sometimes cover a shift at another
 * site of the same zone.
 *
 * Entries here are as first clocked; {@link ClockBook} (clock-book.ts) turns them into what the API
 * reports at an instant: open shifts, BackOffice corrections, the weekly overtime split.
 */
import { Rng, seedFrom } from '@/lib/simulator/random';
import { addDays, dayIndexOf, localToUtcMs, weekdayOf } from '@/lib/simulator/time';
import type { DatabaseSpec, SiteSpec, World } from '@/lib/simulator/world';
import { operatingTimezone } from '@/lib/simulator/world';
import { localeFor, personName, phoneNumber } from '@/lib/simulator/generator/names';

export type EmployeeRole = 'manager' | 'fullTime' | 'partTime' | 'night' | 'floater';

/** One weekly shift: on `weekday` (0 = Sunday) at `siteCode`, starting at local minute `startMinutes`. */
export interface ShiftSlot {
  weekday: number;
  siteCode: string;
  startMinutes: number;
  minutes: number;
}

export interface SimEmployee {
  employeeId: number;
  /** Home site: the pay week runs Sunday to Saturday in its operating zone. */
  siteCode: string;
  role: EmployeeRole;
  firstName: string;
  lastName: string;
  active: boolean;
  startDate: string;
  startDateChange: string | null;
  phone: string | null;
  email: string | null;
  adpId: string;
  /**
   * A multiple of 40 cents, so the overtime rate (1.5x) is whole cents and an entry's cost
   * (regularRate x regularHours + overtimeRate x overtimeHours, in hundredths of hours) never
   * falls on half a cent: any client's rounding agrees with truth's.
   */
  regularRateCents: number;
  overtimeRateCents: number;
  overtimeEligible: boolean;
  schedule: ShiftSlot[];
  /** Sites where a shift of this employee may happen (schedule and covers), sorted. */
  sites: string[];
}

/** A clock entry as first recorded at the time clock (or created in BackOffice). */
export interface SimClockEntry {
  employeeId: number;
  siteCode: string;
  /** Local day of `clockInMs` in the site's operating zone: the API's date filter. */
  day: string;
  clockInMs: number;
  /** As first recorded; a BackOffice edit may change it later. */
  clockOutMs: number;
  /** When the entry reaches the API: at clock-in, or when a manager creates it in BackOffice. */
  visibleFromMs: number;
  wasCreatedInBackOffice: boolean;
  /** The seed's BackOffice correction, if any (tests add more with `sim.addClockEdit`). */
  edit: ClockEdit | null;
}

export interface ClockEdit {
  /** When the correction is saved in BackOffice. */
  atMs: number;
  clockOutMs: number;
}

export interface ClockGenConfig {
  /** Share of clock entries corrected in BackOffice after the shift. @default 0.04 */
  clockEditRate: number;
  /** Delay of a correction after the original clock-out, hours. @default [12, 40] */
  clockEditHours: readonly [number, number];
  /** Share of entries a manager creates in BackOffice (they appear some hours after the shift). @default 0.015 */
  backOfficeEntryRate: number;
}

export const DEFAULT_CLOCK_CONFIG: ClockGenConfig = {
  clockEditRate: 0.04,
  clockEditHours: [12, 40],
  backOfficeEntryRate: 0.015,
};

/** Minutes a correction moves the clock-out (forgotten clock-outs, late punches). */
const EDIT_MINUTES = [-45, -30, -20, 15, 30, 60] as const;
const ABSENCE_RATE = 0.08;
const COVER_RATE = 0.08;
const FLOATER_N = 90;

const crewCache = new Map<string, SimEmployee[]>();

function physicalSites(db: DatabaseSpec): SiteSpec[] {
  return db.sites.filter((s) => !s.isVirtual);
}

/** `n` consecutive weekdays from `first`. */
function weekdays(first: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (first + i) % 7);
}

function rate(rng: Rng, minCents: number, steps: number): number {
  return minCents + 40 * rng.int(0, steps);
}

function crewSchedule(rng: Rng, role: EmployeeRole, site: SiteSpec): { schedule: ShiftSlot[]; rateCents: number } {
  const [open, close] = site.hours ?? [7, 20];
  const slot = (days: number[], startMinutes: number, minutes: number): ShiftSlot[] =>
    days.map((weekday) => ({ weekday, siteCode: site.code, startMinutes, minutes }));
  switch (role) {
    case 'manager':
      return { schedule: slot(weekdays(rng.int(0, 6), 5), open * 60, 9 * 60), rateCents: rate(rng, 2400, 15) };
    case 'fullTime': {
      // Five long days a week: 42-47 hours, so weekly overtime is the rule, not the exception.
      const opener = rng.chance(0.5);
      const minutes = rng.int(8 * 60 + 30, 9 * 60 + 30);
      const start = opener ? open * 60 - 30 : close * 60 + 30 - minutes;
      return { schedule: slot(weekdays(rng.int(0, 6), 5), start, minutes), rateCents: rate(rng, 1720, 12) };
    }
    case 'night':
      // Tunnel cleaning after close: clocks in late evening, out after local midnight.
      return { schedule: slot(weekdays(rng.int(0, 6), 3), Math.max(close + 1, 21) * 60 + 30, rng.int(4 * 60, 5 * 60)), rateCents: rate(rng, 1680, 8) };
    default: {
      const start = rng.pick([open * 60 - 30, open * 60, 10 * 60, 12 * 60, 13 * 60]);
      return { schedule: slot(weekdays(rng.int(0, 6), rng.int(3, 4)), start, rng.int(5 * 60, 8 * 60)), rateCents: rate(rng, 1600, 12) };
    }
  }
}

/**
 * The floater's week, about 49 hours: three days at home, two at the second site, and on Saturday
 * a morning at home and an afternoon at the second site when both keep the same clock (else a
 * full day at home).
 */
function floaterSchedule(home: SiteSpec, second: SiteSpec): ShiftSlot[] {
  const at = (site: SiteSpec, weekday: number, startMinutes: number, minutes: number): ShiftSlot => ({ weekday, siteCode: site.code, startMinutes, minutes });
  const sameZone = operatingTimezone(home) === operatingTimezone(second);
  return [
    at(home, 1, 8 * 60, 8 * 60 + 30),
    at(home, 2, 8 * 60, 8 * 60 + 30),
    at(second, 3, 9 * 60, 8 * 60 + 30),
    at(second, 4, 9 * 60, 8 * 60 + 30),
    at(home, 5, 8 * 60, 8 * 60 + 30),
    // Lunch and the drive between: the morning ends by 12:27 at the latest, the afternoon starts after 12:48.
    ...(sameZone ? [at(home, 6, 7 * 60, 4 * 60 + 30), at(second, 6, 13 * 60, 4 * 60)] : [at(home, 6, 8 * 60, 7 * 60)]),
  ];
}

function coverSites(db: DatabaseSpec, site: SiteSpec): SiteSpec[] {
  return physicalSites(db).filter((s) => s.code !== site.code && operatingTimezone(s) === operatingTimezone(site));
}

function roleOf(n: number, count: number): EmployeeRole {
  if (n === 1) return 'manager';
  if (n <= 3) return 'fullTime';
  if (n === count) return 'night';
  return 'partTime';
}

function makeEmployee(rng: Rng, db: DatabaseSpec, site: SiteSpec, employeeId: number, role: EmployeeRole, schedule: ShiftSlot[], rateCents: number): SimEmployee {
  const locale = localeFor(operatingTimezone(site));
  const { firstName, lastName } = personName(rng);
  const startYear = rng.int(2016, 2025);
  const covers = role === 'partTime' || role === 'fullTime' ? coverSites(db, site).map((s) => s.code) : [];
  const overtimeEligible = role !== 'manager';
  return {
    employeeId,
    siteCode: site.code,
    role,
    firstName,
    lastName,
    active: role === 'manager' || role === 'floater' || rng.chance(0.88),
    startDate: `${startYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    startDateChange: rng.chance(0.2) ? `${startYear + 1}-0${rng.int(1, 9)}-15` : null,
    phone: rng.chance(0.85) ? phoneNumber(rng, locale.areaCodes) : null,
    email: rng.chance(0.6) ? `${firstName}.${lastName}@${db.key}.example.com`.toLowerCase() : null,
    adpId: `FZ${rng.digits(4)}${String.fromCharCode(65 + rng.int(0, 25))}${rng.digits(5)}`,
    regularRateCents: rateCents,
    overtimeRateCents: (rateCents * 3) / 2,
    overtimeEligible,
    schedule,
    sites: [...new Set([...schedule.map((s) => s.siteCode), ...covers])].sort(),
  };
}

export function siteEmployees(world: World, db: DatabaseSpec, site: SiteSpec): SimEmployee[] {
  if (site.isVirtual) return [];
  const key = `${world.seed}|${db.key}|${site.code}|${site.siteId}`;
  const cached = crewCache.get(key);
  if (cached) return cached;
  const rng = new Rng(seedFrom(world.seed, db.key, site.code, 'crew'));
  const count = rng.int(7, 11);
  const crew: SimEmployee[] = [];
  for (let n = 1; n <= count; n++) {
    const role = roleOf(n, count);
    const { schedule, rateCents } = crewSchedule(rng, role, site);
    crew.push(makeEmployee(rng, db, site, site.siteId * 100 + n, role, schedule, rateCents));
  }
  const physical = physicalSites(db);
  if (physical.length > 1 && physical[0] === site) {
    const second = physical[1]!;
    crew.push(makeEmployee(rng, db, site, site.siteId * 100 + FLOATER_N, 'floater', floaterSchedule(site, second), rate(rng, 2200, 10)));
  }
  crewCache.set(key, crew);
  return crew;
}

export function databaseEmployees(world: World, db: DatabaseSpec): SimEmployee[] {
  return db.sites.flatMap((s) => siteEmployees(world, db, s));
}

export function findEmployee(world: World, db: DatabaseSpec, id: number): SimEmployee | null {
  return databaseEmployees(world, db).find((e) => e.employeeId === id) ?? null;
}

/**
 * The entries an employee clocked in on `day` (local day at the site worked), as first recorded.
 * Every random number is drawn whatever the configured rates, so rates never reshuffle the data.
 */
export function entriesOn(world: World, db: DatabaseSpec, employee: SimEmployee, day: string, config: ClockGenConfig): SimClockEntry[] {
  if (!employee.active) return [];
  const slots = employee.schedule.filter((s) => s.weekday === weekdayOf(day));
  if (slots.length === 0) return [];
  const rng = new Rng(seedFrom(world.seed, db.key, employee.employeeId, day, 'shift'));
  if (rng.chance(ABSENCE_RATE)) return [];
  const out: SimClockEntry[] = [];
  for (const slot of slots) {
    let site = db.sites.find((s) => s.code === slot.siteCode);
    const coverRoll = rng.next();
    const covers = employee.sites.filter((c) => c !== slot.siteCode && !employee.schedule.some((s) => s.siteCode === c));
    const coverPick = covers[Math.floor(rng.next() * covers.length)];
    if (coverRoll < COVER_RATE && coverPick) site = db.sites.find((s) => s.code === coverPick);
    if (!site) continue;
    const start = slot.startMinutes + rng.int(-12, 12);
    const length = slot.minutes + rng.int(-30, 45);
    const clockInMs = localToUtcMs(day, start * 60 + rng.int(0, 59), operatingTimezone(site));
    const clockOutMs = clockInMs + length * 60_000;
    const createdRoll = rng.next();
    const createdAfterMin = rng.int(60, 360);
    const editRoll = rng.next();
    const editAfterMin = rng.int(config.clockEditHours[0] * 60, config.clockEditHours[1] * 60);
    const editMinutes = rng.pick(EDIT_MINUTES);
    const created = createdRoll < config.backOfficeEntryRate;
    out.push({
      employeeId: employee.employeeId,
      siteCode: site.code,
      day,
      clockInMs,
      clockOutMs,
      visibleFromMs: created ? clockOutMs + createdAfterMin * 60_000 : clockInMs,
      wasCreatedInBackOffice: created,
      edit: !created && editRoll < config.clockEditRate ? { atMs: clockOutMs + editAfterMin * 60_000, clockOutMs: clockOutMs + editMinutes * 60_000 } : null,
    });
  }
  return out;
}

/** Entries clocked from `from` to `to` (inclusive local days), in clock-in order. */
export function entriesBetween(world: World, db: DatabaseSpec, employee: SimEmployee, from: string, to: string, config: ClockGenConfig): SimClockEntry[] {
  const out: SimClockEntry[] = [];
  for (let d = from; dayIndexOf(d) <= dayIndexOf(to); d = addDays(d, 1)) out.push(...entriesOn(world, db, employee, d, config));
  return out.sort((a, b) => a.clockInMs - b.clockInMs);
}
