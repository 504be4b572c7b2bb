/**
 * Employees and their clock entries. Each physical site has its own crew; IDs are
 * `siteId * 100 + n` (never 1 or 2, which the sandbox reserves as "not found").
 */
import { Rng, seedFrom } from '@/lib/simulator/random';
import { addDays, dayIndexOf, localToUtcMs, weekdayOf } from '@/lib/simulator/time';
import type { DatabaseSpec, SiteSpec, World } from '@/lib/simulator/world';
import { operatingTimezone } from '@/lib/simulator/world';
import { localeFor, personName, phoneNumber } from '@/lib/simulator/generator/names';

export interface SimEmployee {
  employeeId: number;
  siteCode: string;
  firstName: string;
  lastName: string;
  active: boolean;
  startDate: string;
  startDateChange: string | null;
  phone: string | null;
  email: string | null;
  adpId: string;
  regularRateCents: number;
  overtimeEligible: boolean;
  /** Bit n set = works on weekday n (0 = Sunday). */
  workdays: number;
  shiftStartMinutes: number;
  shiftMinutes: number;
}

export interface SimShift {
  employeeId: number;
  siteCode: string;
  day: string;
  clockInMs: number;
  clockOutMs: number;
  wasModified: boolean;
  modifiedMs: number | null;
  wasCreatedInBackOffice: boolean;
}

const crewCache = new Map<string, SimEmployee[]>();

export function siteEmployees(world: World, db: DatabaseSpec, site: SiteSpec): SimEmployee[] {
  if (site.isVirtual) return [];
  const key = `${world.seed}|${db.key}|${site.code}|${site.siteId}`;
  const cached = crewCache.get(key);
  if (cached) return cached;
  const rng = new Rng(seedFrom(world.seed, db.key, site.code, 'crew'));
  const locale = localeFor(operatingTimezone(site));
  const count = rng.int(7, 11);
  const crew: SimEmployee[] = [];
  for (let n = 1; n <= count; n++) {
    const { firstName, lastName } = personName(rng);
    const manager = n === 1;
    let workdays = 0;
    const days = manager ? 5 : rng.int(3, 5);
    const offset = rng.int(0, 6);
    for (let i = 0; i < days; i++) workdays |= 1 << ((offset + i) % 7);
    const startYear = rng.int(2016, 2025);
    crew.push({
      employeeId: site.siteId * 100 + n,
      siteCode: site.code,
      firstName,
      lastName,
      active: manager || rng.chance(0.88),
      startDate: `${startYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      startDateChange: rng.chance(0.2) ? `${startYear + 1}-0${rng.int(1, 9)}-15` : null,
      phone: rng.chance(0.85) ? phoneNumber(rng, locale.areaCodes) : null,
      email: rng.chance(0.6) ? `${firstName}.${lastName}@${db.key}.example.com`.toLowerCase() : null,
      adpId: `FZ${rng.digits(4)}${String.fromCharCode(65 + rng.int(0, 25))}${rng.digits(5)}`,
      regularRateCents: manager ? rng.int(2200, 2800) : rng.int(1500, 2000),
      overtimeEligible: !manager,
      workdays,
      shiftStartMinutes: manager ? 7 * 60 : rng.pick([6 * 60 + 30, 7 * 60, 10 * 60, 12 * 60, 13 * 60]),
      shiftMinutes: manager ? 9 * 60 : rng.int(5 * 60, 9 * 60),
    });
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

/** The shift an employee worked on a local day, if any (some cover another site of the database). */
export function shiftOn(world: World, db: DatabaseSpec, employee: SimEmployee, day: string): SimShift | null {
  if (!employee.active) return null;
  if ((employee.workdays & (1 << weekdayOf(day))) === 0) return null;
  const rng = new Rng(seedFrom(world.seed, db.key, employee.employeeId, day, 'shift'));
  if (rng.chance(0.08)) return null;
  const physical = db.sites.filter((s) => !s.isVirtual);
  const home = physical.find((s) => s.code === employee.siteCode);
  const site = rng.chance(0.08) && physical.length > 1 ? rng.pick(physical) : home;
  if (!site) return null;
  const start = employee.shiftStartMinutes + rng.int(-12, 12);
  const length = employee.shiftMinutes + rng.int(-30, 45);
  const clockInMs = localToUtcMs(operatingTimezone(site), day, start * 60 + rng.int(0, 59));
  const modified = rng.chance(0.05);
  return {
    employeeId: employee.employeeId,
    siteCode: site.code,
    day,
    clockInMs,
    clockOutMs: clockInMs + length * 60_000,
    wasModified: modified,
    modifiedMs: modified ? clockInMs + length * 60_000 + 3_600_000 : null,
    wasCreatedInBackOffice: modified && rng.chance(0.3),
  };
}

/** Shifts from `from` to `to` (inclusive local days). */
export function shiftsBetween(world: World, db: DatabaseSpec, employee: SimEmployee, from: string, to: string): SimShift[] {
  const out: SimShift[] = [];
  for (let d = from; dayIndexOf(d) <= dayIndexOf(to); d = addDays(d, 1)) {
    const s = shiftOn(world, db, employee, d);
    if (s) out.push(s);
  }
  return out;
}
