/**
 * What the API reports about clock entries at a data-clock instant (FACTS §2.3, §4.6):
 * - an entry appears at clock-in (or when a manager creates it in BackOffice);
 * - an open shift (clock-out still ahead) has no `clockOut` and the hours accrued so far;
 * - a BackOffice correction replaces the clock-out from the moment it is saved (`wasModified`,
 *   `modificationTimestamp`);
 * - overtime is weekly: hours past 40 in a fixed pay week (Sunday to Saturday in the home site's
 *   zone, every site counted), in clock-in order. The split is a property of the entry, the same
 *   whatever range a request asks for; a correction to an earlier entry of the week moves the
 *   split of the later ones, as BackOffice's weekly overtime does.
 * Hours are whole hundredths; truth and the endpoint both read them from here.
 */
import { addDays, dayIndexOf, localDayOf, weekdayOf } from '@/lib/simulator/time';
import type { DatabaseSpec, World } from '@/lib/simulator/world';
import { operatingTimezone, SERVER_TIMEZONE } from '@/lib/simulator/world';
import {
  databaseEmployees,
  entriesBetween,
  entriesOn,
  findEmployee,
  type ClockEdit,
  type ClockGenConfig,
  type SimClockEntry,
  type SimEmployee,
} from '@/lib/simulator/generator/employees';

/** A BackOffice correction of one entry's clock-out, scheduled by a test. */
export interface ClockEditSpec {
  database: string;
  employeeId: number;
  /** The entry's `clockIn` as the API reports it (ISO), or epoch ms: it identifies the entry. */
  clockIn: string | number;
  /** Minutes added to the clock-out as first recorded (negative shortens the shift). */
  clockOutMinutes: number;
  /** When the manager saves it: minutes after the clock-out as first recorded (>= 0). */
  afterMinutes: number;
}

/** One entry as the API reports it at some instant. */
export interface ReportedEntry {
  entry: SimClockEntry;
  employee: SimEmployee;
  /** `null` while the shift is open. */
  clockOutMs: number | null;
  hundredths: number;
  regularHundredths: number;
  overtimeHundredths: number;
  wasModified: boolean;
  modifiedMs: number | null;
}

/** Weekly overtime threshold, hundredths of an hour. */
const WEEK_REGULAR_HUNDREDTHS = 40 * 100;

/** Hundredths of an hour between two instants (whole seconds), rounded half up. */
export function hundredthsBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / 36_000);
}

export class ClockBook {
  private readonly explicitEdits = new Map<string, ClockEdit>();
  private readonly weeks = new Map<string, SimClockEntry[]>();

  constructor(
    private readonly world: World,
    private readonly config: ClockGenConfig,
    /** Max pay weeks kept in memory. */
    private readonly capacity = 4096,
  ) {}

  addEdit(spec: ClockEditSpec): void {
    const db = this.database(spec.database);
    const employee = findEmployee(this.world, db, spec.employeeId);
    if (!employee) throw new Error(`addClockEdit: no employee ${spec.employeeId} in ${spec.database}`);
    const clockInMs = typeof spec.clockIn === 'number' ? spec.clockIn : Date.parse(spec.clockIn);
    if (!Number.isFinite(clockInMs)) throw new Error(`addClockEdit: clockIn is not a time: ${String(spec.clockIn)}`);
    const entry = this.findEntry(db, employee, clockInMs);
    if (!entry) throw new Error(`addClockEdit: employee ${spec.employeeId} has no entry clocked in at ${new Date(clockInMs).toISOString()}`);
    if (!(spec.afterMinutes >= 0)) throw new Error('addClockEdit: afterMinutes must be 0 or more');
    const clockOutMs = entry.clockOutMs + Math.round(spec.clockOutMinutes) * 60_000;
    if (clockOutMs <= entry.clockInMs) throw new Error('addClockEdit: the edited clock-out must come after the clock-in');
    this.explicitEdits.set(this.editKey(db, entry), { atMs: entry.clockOutMs + Math.round(spec.afterMinutes * 60) * 1000, clockOutMs });
  }

  /**
   * Entries of `employee` whose local day (at the site worked) is in [from, to], as reported at
   * `atMs` (`Infinity`: the final state, every shift closed and every correction made).
   */
  reported(db: DatabaseSpec, employee: SimEmployee, from: string, to: string, atMs: number): ReportedEntry[] {
    const wanted = entriesBetween(this.world, db, employee, from, to, this.config);
    const weekStarts = [...new Set(wanted.map((e) => this.payWeekOf(db, employee, e.clockInMs)))];
    const out: ReportedEntry[] = [];
    for (const week of weekStarts) {
      for (const r of this.reportWeek(db, employee, week, atMs)) {
        if (dayIndexOf(r.entry.day) >= dayIndexOf(from) && dayIndexOf(r.entry.day) <= dayIndexOf(to)) out.push(r);
      }
    }
    return out.sort((a, b) => a.entry.clockInMs - b.entry.clockInMs);
  }

  /** Every employee's entries at `siteCode` clocked in within [startMs, endMs), as reported at `atMs`. */
  reportedAtSite(db: DatabaseSpec, siteCode: string, startMs: number, endMs: number, atMs: number): ReportedEntry[] {
    const site = db.sites.find((s) => s.code === siteCode);
    if (!site || site.isVirtual) return [];
    const tz = operatingTimezone(site);
    // Any zone's day overlaps the operating zone's day before, of, and after it.
    const from = addDays(localDayOf(startMs, tz), -1);
    const to = addDays(localDayOf(endMs - 1, tz), 1);
    const out: ReportedEntry[] = [];
    for (const employee of databaseEmployees(this.world, db)) {
      if (!employee.sites.includes(siteCode)) continue;
      for (const r of this.reported(db, employee, from, to, atMs)) {
        if (r.entry.siteCode === siteCode && r.entry.clockInMs >= startMs && r.entry.clockInMs < endMs) out.push(r);
      }
    }
    return out.sort((a, b) => a.entry.clockInMs - b.entry.clockInMs || a.employee.employeeId - b.employee.employeeId);
  }

  private reportWeek(db: DatabaseSpec, employee: SimEmployee, weekStart: string, atMs: number): ReportedEntry[] {
    let cumulative = 0;
    const out: ReportedEntry[] = [];
    for (const entry of this.payWeek(db, employee, weekStart)) {
      if (entry.clockInMs > atMs || entry.visibleFromMs > atMs) continue;
      const edit = this.explicitEdits.get(this.editKey(db, entry)) ?? entry.edit;
      const edited = edit !== null && edit.atMs <= atMs;
      const out0 = edited ? edit.clockOutMs : entry.clockOutMs;
      const open = out0 > atMs;
      const hundredths = hundredthsBetween(entry.clockInMs, open ? atMs : out0);
      const regular = employee.overtimeEligible ? Math.min(hundredths, Math.max(0, WEEK_REGULAR_HUNDREDTHS - cumulative)) : hundredths;
      cumulative += hundredths;
      out.push({
        entry,
        employee,
        clockOutMs: open ? null : out0,
        hundredths,
        regularHundredths: regular,
        overtimeHundredths: hundredths - regular,
        wasModified: edited || entry.wasCreatedInBackOffice,
        modifiedMs: edited ? edit.atMs : entry.wasCreatedInBackOffice ? entry.visibleFromMs : null,
      });
    }
    return out;
  }

  /** Sunday (`YYYY-MM-DD`) starting the pay week of an instant, in the home site's zone. */
  private payWeekOf(db: DatabaseSpec, employee: SimEmployee, ms: number): string {
    const home = db.sites.find((s) => s.code === employee.siteCode);
    const day = localDayOf(ms, home ? operatingTimezone(home) : SERVER_TIMEZONE);
    return addDays(day, -weekdayOf(day));
  }

  /** Entries of one pay week in clock-in order (a shift worked in another zone may sit a day off). */
  private payWeek(db: DatabaseSpec, employee: SimEmployee, weekStart: string): SimClockEntry[] {
    const key = `${db.key}|${employee.employeeId}|${weekStart}`;
    const hit = this.weeks.get(key);
    if (hit) return hit;
    const entries = entriesBetween(this.world, db, employee, addDays(weekStart, -1), addDays(weekStart, 7), this.config).filter(
      (e) => this.payWeekOf(db, employee, e.clockInMs) === weekStart,
    );
    this.weeks.set(key, entries);
    if (this.weeks.size > this.capacity) {
      const oldest = this.weeks.keys().next().value;
      if (oldest !== undefined) this.weeks.delete(oldest);
    }
    return entries;
  }

  private findEntry(db: DatabaseSpec, employee: SimEmployee, clockInMs: number): SimClockEntry | null {
    // The entry's local day is within a day of its UTC day whatever the zone.
    const utcDay = new Date(clockInMs).toISOString().slice(0, 10);
    for (const day of [addDays(utcDay, -1), utcDay, addDays(utcDay, 1)]) {
      const hit = entriesOn(this.world, db, employee, day, this.config).find((e) => e.clockInMs === clockInMs);
      if (hit) return hit;
    }
    return null;
  }

  private editKey(db: DatabaseSpec, entry: SimClockEntry): string {
    return `${db.key}|${entry.employeeId}|${entry.clockInMs}`;
  }

  private database(key: string): DatabaseSpec {
    const db = this.world.databases.find((d) => d.key === key);
    if (!db) throw new Error(`Unknown database ${key}`);
    return db;
  }
}
