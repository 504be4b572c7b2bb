import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, toLocalDate } from '@/lib/sonnys';
import { harness, NOW, type Harness, type Wire } from './helpers';

const HOUR = 3_600_000;

async function entries(h: Harness, db: string, id: number, from: string, to: string): Promise<{ weeks: Wire[]; entries: Wire[] }> {
  const r = await h.call(`/employee/${id}/clock-entries?startDate=${from}&endDate=${to}`, { db });
  expect(r.status, r.text).toBe(200);
  return { weeks: r.body.data.weeks, entries: r.body.data.weeks.flatMap((w: Wire) => w.clockEntries) };
}

describe('/employee/{id}/clock-entries', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.sim.close());

  it('reports the same split of regular and overtime hours for an entry whatever range is asked', async () => {
    const floater = h.sim.truth.employees('washu').find((e) => e.role === 'floater')!;
    const wide = await entries(h, 'washu', floater.employeeId, '2026-02-18', '2026-03-03');
    const shifted = await entries(h, 'washu', floater.employeeId, '2026-02-21', '2026-03-06');
    const overtime = wide.entries.filter((e) => e.overtimeHours > 0);
    expect(overtime.length).toBeGreaterThan(0);
    for (const e of wide.entries) {
      const day = toLocalDate(e.clockIn, 'America/Chicago'); // every WashU site is in Chicago
      const single = (await entries(h, 'washu', floater.employeeId, day, day)).entries.find((x) => x.clockIn === e.clockIn);
      expect(single).toEqual(e);
      const other = shifted.entries.find((x) => x.clockIn === e.clockIn);
      if (other) expect(other).toEqual(e);
    }
    // Buckets are 7 days from startDate; their totals add up the entries in them.
    expect(wide.weeks.map((w) => w.week)).toEqual(['2026-02-18 - 2026-02-24', '2026-02-25 - 2026-03-03']);
    for (const w of wide.weeks) {
      const cents = (k: string) => w.clockEntries.reduce((n: number, e: Wire) => n + Math.round(e[k] * 100), 0);
      expect(Math.round(w.weekTotalRegularHours * 100)).toBe(cents('regularHours'));
      expect(Math.round(w.weekTotalOverTimeHours * 100)).toBe(cents('overtimeHours'));
    }
  });

  it('shows an open shift with the hours so far, and the same entry closed later', async () => {
    const open = h.sim.truth.clockEntries({ database: 'washu', site: 'JOLIET', from: '2026-03-10', to: '2026-03-10' }).filter((e) => e.open);
    expect(open.length).toBeGreaterThan(0);
    const o = open[0]!;
    const now = (await entries(h, 'washu', o.employeeId, '2026-03-10', '2026-03-10')).entries.find((e) => e.clockIn === o.clockIn);
    expect(now.clockOut).toBeNull();
    expect(Math.round((now.regularHours + now.overtimeHours) * 100)).toBe(Math.round((NOW - Date.parse(o.clockIn)) / 36_000));
    const final = h.sim.truth.clockEntries({ database: 'washu', site: 'JOLIET', from: '2026-03-10', to: '2026-03-10', final: true }).find((e) => e.clockIn === o.clockIn)!;
    h.sim.clock.set(Date.parse(final.clockOut!));
    const closed = (await entries(h, 'washu', o.employeeId, '2026-03-10', '2026-03-10')).entries.find((e) => e.clockIn === o.clockIn);
    expect(closed.clockOut).toBe(final.clockOut);
    expect(Math.round((closed.regularHours + closed.overtimeHours) * 100)).toBe(final.hundredths);
  });

  it('reports a BackOffice correction from the time it is saved: the seed`s and one a test schedules', async () => {
    const fin = h.sim.truth.clockEntries({ database: 'icon', from: '2026-02-20', to: '2026-03-08', final: true });
    const corrected = fin.find((e) => e.wasModified && !e.wasCreatedInBackOffice)!;
    const saved = Date.parse(corrected.modificationTimestamp!);
    h.sim.clock.set(saved - 1000);
    const before = (await entries(h, 'icon', corrected.employeeId, corrected.apiDay, corrected.apiDay)).entries.find((e) => e.clockIn === corrected.clockIn);
    expect(before).toMatchObject({ wasModified: false, modificationTimestamp: null });
    expect(before.clockOut).not.toBe(corrected.clockOut);
    h.sim.clock.set(saved);
    const after = (await entries(h, 'icon', corrected.employeeId, corrected.apiDay, corrected.apiDay)).entries.find((e) => e.clockIn === corrected.clockIn);
    expect(after).toMatchObject({ wasModified: true, modificationTimestamp: corrected.modificationTimestamp, clockOut: corrected.clockOut });

    h.sim.clock.set(NOW);
    const plain = fin.find((e) => !e.wasModified && e.apiDay === '2026-03-08')!;
    h.sim.addClockEdit({ database: 'icon', employeeId: plain.employeeId, clockIn: plain.clockIn, clockOutMinutes: 30, afterMinutes: 26 * 60 });
    const at = Date.parse(plain.clockOut!) + 26 * HOUR;
    const read = async () => (await entries(h, 'icon', plain.employeeId, plain.apiDay, plain.apiDay)).entries.find((e) => e.clockIn === plain.clockIn);
    h.sim.clock.set(at - 1000);
    expect(await read()).toMatchObject({ clockOut: plain.clockOut, wasModified: false });
    h.sim.clock.set(at);
    expect(await read()).toMatchObject({ clockOut: new Date(Date.parse(plain.clockOut!) + 30 * 60_000).toISOString(), wasModified: true, modificationTimestamp: new Date(at).toISOString() });
  });

  it('returns every site an employee worked, with each entry on its own site, across zones', async () => {
    const floater = h.sim.truth.employees('icon').find((e) => e.role === 'floater')!;
    expect(floater.sites).toEqual(['DENVER', 'MESA']);
    const api = (await entries(h, 'icon', floater.employeeId, '2026-02-25', '2026-03-10')).entries;
    expect(new Set(api.map((e) => e.siteCode))).toEqual(new Set(['DENVER', 'MESA']));
    // truth.clockEntries holds the same entries, field for field, whichever site they belong to.
    const t = h.sim.truth.clockEntries({ database: 'icon', employeeId: floater.employeeId, from: '2026-02-25', to: '2026-03-10' });
    expect(t.map((e) => [e.clockIn, e.clockOut, e.siteCode, e.regularHours, e.overtimeHours])).toEqual(
      api.map((e) => [e.clockIn, e.clockOut, e.siteCode, e.regularHours, e.overtimeHours]),
    );
    // KAPOLEI reports no zone: its night cleaner's entries count on the next day in the default
    // zone (Chicago), not on the Hawaiian day the API's dates filter on.
    const night = h.sim.truth.clockEntries({ database: 'icon', site: 'KAPOLEI', from: '2026-03-01', to: '2026-03-09' }).filter((e) => e.day !== e.apiDay);
    expect(night.length).toBeGreaterThan(0);
    for (const e of night) {
      expect(e.day).toBe(addDays(e.apiDay, 1));
      const wire = (await entries(h, 'icon', e.employeeId, e.apiDay, e.apiDay)).entries.map((x) => x.clockIn);
      expect(wire).toContain(e.clockIn);
    }
  });
});
