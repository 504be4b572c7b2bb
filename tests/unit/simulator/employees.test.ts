import { describe, expect, it } from 'vitest';
import { ClockBook } from '@/lib/simulator/generator/clock-book';
import { DEFAULT_GENERATOR_CONFIG } from '@/lib/simulator/generator/day';
import { databaseEmployees, entriesBetween, findEmployee, siteEmployees, type SimEmployee } from '@/lib/simulator/generator/employees';
import { addDays, localDayOf, weekdayOf } from '@/lib/simulator/time';
import { defaultWorld, operatingTimezone } from '@/lib/simulator/world';

const world = defaultWorld(1);
const washu = world.databases[0]!;
const icon = world.databases[1]!;
const HOUR = 3_600_000;
const config = DEFAULT_GENERATOR_CONFIG;

/** Eight weeks of February-March 2026 (the spring-forward week included). */
const FROM = '2026-02-01';
const TO = '2026-03-28';

const book = (cfg = config) => new ClockBook(world, cfg);

describe('crews', () => {
  it('give every physical site a manager, full-timers, part-timers and a night cleaner; IDs avoid the sandbox ones', () => {
    for (const db of world.databases) {
      for (const site of db.sites) {
        const crew = siteEmployees(world, db, site);
        if (site.isVirtual) {
          expect(crew).toEqual([]);
          continue;
        }
        const roles = new Set(crew.map((e) => e.role));
        for (const r of ['manager', 'fullTime', 'partTime', 'night']) expect(roles.has(r as SimEmployee['role']), `${site.code} ${r}`).toBe(true);
        for (const e of crew) {
          expect(e.employeeId).not.toBe(1);
          expect(e.employeeId).not.toBe(2);
          // Multiples of 40 cents: the overtime rate is whole cents and no entry costs half a cent.
          expect(e.regularRateCents % 40).toBe(0);
          expect(e.overtimeRateCents).toBe(e.regularRateCents * 1.5);
          expect(e.overtimeEligible).toBe(e.role !== 'manager');
        }
      }
    }
    const ids = databaseEmployees(world, washu).map((e) => e.employeeId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a floater in each database, in Icon across two time zones', () => {
    for (const db of [washu, icon]) {
      const floaters = databaseEmployees(world, db).filter((e) => e.role === 'floater');
      expect(floaters).toHaveLength(1);
      expect(floaters[0]!.sites.length).toBeGreaterThanOrEqual(2);
    }
    const f = databaseEmployees(world, icon).find((e) => e.role === 'floater')!;
    const zones = new Set(f.sites.map((c) => operatingTimezone(icon.sites.find((s) => s.code === c)!)));
    expect(zones).toEqual(new Set(['America/Denver', 'America/Phoenix']));
    // The WashU floater also splits a Saturday between two sites: two entries on one day.
    const w = databaseEmployees(world, washu).find((e) => e.role === 'floater')!;
    const saturdays = entriesBetween(world, washu, w, FROM, TO, config).filter((e) => weekdayOf(e.day) === 6);
    const sitesByDay = new Map<string, Set<string>>();
    for (const e of saturdays) sitesByDay.set(e.day, (sitesByDay.get(e.day) ?? new Set()).add(e.siteCode));
    expect([...sitesByDay.values()].some((sites) => sites.size === 2)).toBe(true);
  });

  it('clocks night shifts that cross local midnight, and never overlaps one person`s shifts', () => {
    let crossing = 0;
    for (const db of world.databases) {
      for (const e of databaseEmployees(world, db)) {
        const entries = entriesBetween(world, db, e, FROM, TO, config);
        for (let i = 0; i < entries.length; i++) {
          const x = entries[i]!;
          const tz = operatingTimezone(db.sites.find((s) => s.code === x.siteCode)!);
          expect(localDayOf(x.clockInMs, tz)).toBe(x.day);
          if (localDayOf(x.clockOutMs, tz) !== x.day) crossing += 1;
          const next = entries[i + 1];
          if (next) expect(next.clockInMs, `${e.employeeId} ${x.day}`).toBeGreaterThan(Math.max(x.clockOutMs, x.edit?.clockOutMs ?? 0));
        }
      }
    }
    expect(crossing).toBeGreaterThan(50);
  });

  it('is deterministic and independent of call order', () => {
    const e = findEmployee(world, washu, 102)!;
    const a = entriesBetween(world, washu, e, FROM, TO, config);
    entriesBetween(world, washu, findEmployee(world, washu, 205)!, FROM, TO, config);
    expect(entriesBetween(world, washu, e, FROM, TO, config)).toEqual(a);
    const other = entriesBetween(defaultWorld(2), washu, e, FROM, TO, config);
    expect(other).not.toEqual(a);
  });
});

describe('ClockBook: what the API reports', () => {
  const b = book();
  const final = Infinity;

  it('splits overtime per fixed Sunday-Saturday pay week, whatever range is asked', () => {
    let overtimeEntries = 0;
    const withOvertime = new Set<number>();
    for (const db of world.databases) {
      for (const e of databaseEmployees(world, db)) {
        const all = b.reported(db, e, FROM, TO, final);
        // The same entries asked one day at a time, and in 14-day windows starting mid-week.
        const oneByOne = new Map<string, (typeof all)[number]>();
        for (let d = FROM; d <= TO; d = addDays(d, 1)) for (const r of b.reported(db, e, d, d, final)) oneByOne.set(`${r.entry.clockInMs}`, r);
        const windows = new Map<string, (typeof all)[number]>();
        for (let d = addDays(FROM, 3); d <= TO; d = addDays(d, 14)) for (const r of b.reported(db, e, d, addDays(d, 13), final)) windows.set(`${r.entry.clockInMs}`, r);
        const home = operatingTimezone(db.sites.find((s) => s.code === e.siteCode)!);
        const weekTotals = new Map<string, { regular: number; overtime: number }>();
        for (const r of all) {
          expect(oneByOne.get(`${r.entry.clockInMs}`)).toEqual(r);
          const w = windows.get(`${r.entry.clockInMs}`);
          if (w) expect(w).toEqual(r);
          expect(r.regularHundredths + r.overtimeHundredths).toBe(r.hundredths);
          const day = localDayOf(r.entry.clockInMs, home);
          const week = addDays(day, -weekdayOf(day));
          const t = weekTotals.get(week) ?? { regular: 0, overtime: 0 };
          // Overtime only once the week's 40 hours are used up.
          if (r.overtimeHundredths > 0) expect(t.regular + r.regularHundredths).toBe(4000);
          t.regular += r.regularHundredths;
          t.overtime += r.overtimeHundredths;
          weekTotals.set(week, t);
          if (r.overtimeHundredths > 0) {
            overtimeEntries += 1;
            withOvertime.add(e.employeeId);
          }
        }
        for (const t of weekTotals.values()) {
          if (e.overtimeEligible) expect(t.regular).toBeLessThanOrEqual(4000);
          else expect(t.overtime).toBe(0);
        }
      }
    }
    expect(withOvertime.size).toBeGreaterThanOrEqual(6);
    expect(overtimeEntries).toBeGreaterThan(40);
  });

  it('reports an open shift with the hours so far, then the same entry closed', () => {
    const e = findEmployee(world, washu, 101)!; // the manager works 9 hours 5 days a week
    const entry = entriesBetween(world, washu, e, '2026-03-02', '2026-03-08', config).find((x) => !x.edit && !x.wasCreatedInBackOffice)!;
    const at = (ms: number) => b.reported(washu, e, entry.day, entry.day, ms).find((r) => r.entry.clockInMs === entry.clockInMs);
    expect(at(entry.clockInMs - 1000)).toBeUndefined();
    const mid = at(entry.clockInMs + 2 * HOUR + 30 * 60_000)!;
    expect(mid.clockOutMs).toBeNull();
    expect(mid.hundredths).toBe(250);
    const closed = at(entry.clockOutMs)!;
    expect(closed.clockOutMs).toBe(entry.clockOutMs);
    expect(closed.hundredths).toBe(Math.round((entry.clockOutMs - entry.clockInMs) / 36_000));
    expect(at(entry.clockOutMs + 48 * HOUR)).toEqual(closed);
  });

  it('shows a BackOffice correction from the moment it is saved', () => {
    let seen = 0;
    for (const e of databaseEmployees(world, icon)) {
      for (const entry of entriesBetween(world, icon, e, FROM, TO, config)) {
        if (!entry.edit) continue;
        seen += 1;
        expect(entry.edit.atMs - entry.clockOutMs).toBeGreaterThanOrEqual(12 * HOUR);
        expect(entry.edit.atMs - entry.clockOutMs).toBeLessThanOrEqual(40 * HOUR);
        const at = (ms: number) => b.reported(icon, e, entry.day, entry.day, ms).find((r) => r.entry.clockInMs === entry.clockInMs)!;
        const before = at(entry.edit.atMs - 1000);
        expect([before.clockOutMs, before.wasModified, before.modifiedMs]).toEqual([entry.clockOutMs, false, null]);
        const after = at(entry.edit.atMs);
        expect([after.clockOutMs, after.wasModified, after.modifiedMs]).toEqual([entry.edit.clockOutMs, true, entry.edit.atMs]);
        expect(after.hundredths).toBe(Math.round((entry.edit.clockOutMs - entry.clockInMs) / 36_000));
      }
    }
    expect(seen).toBeGreaterThan(5);
    // Entries created in BackOffice appear only once created.
    const created = databaseEmployees(world, washu).flatMap((e) => entriesBetween(world, washu, e, FROM, TO, config).map((x) => ({ e, x }))).filter(({ x }) => x.wasCreatedInBackOffice);
    expect(created.length).toBeGreaterThan(0);
    for (const { e, x } of created) {
      const at = (ms: number) => b.reported(washu, e, x.day, x.day, ms).find((r) => r.entry.clockInMs === x.clockInMs);
      expect(at(x.visibleFromMs - 1000)).toBeUndefined();
      expect(at(x.visibleFromMs)).toMatchObject({ wasModified: true, modifiedMs: x.visibleFromMs, clockOutMs: x.clockOutMs });
    }
  });

  it('takes explicit corrections, which move the overtime of the later entries of the week', () => {
    const own = book({ ...config, clockEditRate: 0, backOfficeEntryRate: 0 });
    const e = databaseEmployees(world, washu).find((x) => x.role === 'floater')!;
    // A week where the floater reaches overtime on the last entry.
    const week = own.reported(washu, e, '2026-03-01', '2026-03-07', final);
    const last = week[week.length - 1]!;
    expect(last.overtimeHundredths).toBeGreaterThan(0);
    const first = week[0]!;
    own.addEdit({ database: 'washu', employeeId: e.employeeId, clockIn: new Date(first.entry.clockInMs).toISOString(), clockOutMinutes: -120, afterMinutes: 24 * 60 });
    const saved = first.entry.clockOutMs + 24 * HOUR;
    const before = own.reported(washu, e, '2026-03-01', '2026-03-07', saved - 1000);
    const after = own.reported(washu, e, '2026-03-01', '2026-03-07', saved);
    expect(before[0]).toMatchObject({ hundredths: first.hundredths, wasModified: false });
    expect(after[0]).toMatchObject({ hundredths: first.hundredths - 200, wasModified: true, modifiedMs: saved });
    const ot = (rows: typeof week) => rows.reduce((n, r) => n + r.overtimeHundredths, 0);
    const beforeEnd = own.reported(washu, e, '2026-03-01', '2026-03-07', final);
    expect(ot(beforeEnd)).toBe(Math.max(0, ot(week) - 200));
    expect(() => own.addEdit({ database: 'washu', employeeId: e.employeeId, clockIn: '2026-03-02T00:00:00Z', clockOutMinutes: 10, afterMinutes: 5 })).toThrow(/no entry clocked in/);
    expect(() => own.addEdit({ database: 'washu', employeeId: 3, clockIn: 0, clockOutMinutes: 10, afterMinutes: 5 })).toThrow(/no employee 3/);
    expect(() => own.addEdit({ database: 'washu', employeeId: e.employeeId, clockIn: first.entry.clockInMs, clockOutMinutes: -24 * 60, afterMinutes: 5 })).toThrow(/after the clock-in/);
  });

  it('attributes to each site only the entries clocked there', () => {
    const f = databaseEmployees(world, icon).find((x) => x.role === 'floater')!;
    const start = Date.parse('2026-03-01T00:00:00Z');
    const end = Date.parse('2026-03-15T00:00:00Z');
    const mesa = b.reportedAtSite(icon, 'MESA', start, end, final).filter((r) => r.employee.employeeId === f.employeeId);
    const denver = b.reportedAtSite(icon, 'DENVER', start, end, final).filter((r) => r.employee.employeeId === f.employeeId);
    expect(mesa.length).toBeGreaterThan(0);
    expect(denver.length).toBeGreaterThan(0);
    expect(mesa.every((r) => r.entry.siteCode === 'MESA')).toBe(true);
    expect(b.reportedAtSite(icon, 'ICONWEB', start, end, final)).toEqual([]);
  });
});
