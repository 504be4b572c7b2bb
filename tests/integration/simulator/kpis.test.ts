import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchKpis, MEASURES, type Coverage, type KpiResult } from './kpi-client';
import { harness, NOW, pageAll, type Harness } from './helpers';

/** Saturday to today (Tuesday), across the spring-forward Sunday. */
const DAYS = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];
const HOUR = 3_600_000;

function expectTruth(h: Harness, database: string, result: KpiResult, q: { final?: boolean } = {}): number {
  let checked = 0;
  for (const [key, m] of result.measures) {
    const [site, day] = key.split('|') as [string, string];
    const t = h.sim.truth.day({ database, site, day, ...q });
    for (const k of MEASURES) expect(m[k], `${database}/${key} ${k}`).toBe(t[k]);
    checked += 1;
  }
  return checked;
}

function addCoverage(a: Coverage, b: Coverage): Coverage {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof Coverage>) out[k] += b[k];
  return out;
}

/**
 * Issue 11: the wash list, the v2 flags, the detail or load-job `isRecurringSale` and the clock
 * entries, read over HTTP and classified by FACTS §0.1 in the test, give exactly truth's measures
 * for every site and local day of both databases.
 */
describe('car-wash KPIs from the API equal truth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ jobs: { workingMs: 0 } });
  });
  afterAll(() => h.sim.close());

  it('for every measure, site and day of both databases, verifying sales by detail (WashU) and load-job (Icon)', async () => {
    const washu = await fetchKpis(h, 'washu', DAYS, 'detail');
    const icon = await fetchKpis(h, 'icon', DAYS, 'load-job');
    expect(expectTruth(h, 'washu', washu) + expectTruth(h, 'icon', icon)).toBe(8 * DAYS.length);
    // Every edge case of the classifier went through it.
    const c = addCoverage(washu.coverage, icon.coverage);
    for (const k of Object.keys(c) as Array<keyof Coverage>) expect(c[k], k).toBeGreaterThan(0);
    // Today is partial: shifts are open and count with the hours so far.
    const jolietToday = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    expect(jolietToday.openShifts).toBeGreaterThan(0);
    expect(h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10', final: true }).laborHundredths).toBeGreaterThan(jolietToday.laborHundredths);
  });

  it('lists washes per site: header scoping, site= and the unscoped list agree, page by page', async () => {
    const t = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-09' });
    const q = `startDate=${t.startUtcSec}&endDate=${t.endUtcSec}`;
    const all = await pageAll(h, `/transaction/type/wash?${q}`, 'transactions');
    let union: string[] = [];
    for (const site of ['JOLIET', 'ROMEOVILLE', 'PLAINFIELD', 'SHOREWOOD']) {
      const byArg = (await pageAll(h, `/transaction/type/wash?${q}&site=${site}`, 'transactions', { limit: 37 })).map((r) => r.transId);
      const byHeader = (await pageAll(h, `/transaction/type/wash?${q}`, 'transactions', { site })).map((r) => r.transId);
      expect(byHeader).toEqual(byArg);
      union = union.concat(byArg);
    }
    expect(new Set(all.map((r) => r.transId))).toEqual(new Set(union));
    const truthIds = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-09' }).filter((r) => r.inWashList).map((r) => r.transId);
    expect((await pageAll(h, `/transaction/type/wash?${q}&site=JOLIET`, 'transactions')).map((r) => r.transId)).toEqual(truthIds);
  });
});

/**
 * Late data: a sale uploaded hours late, a wash and a new membership voided the next day, a clock
 * entry corrected in BackOffice, and shifts that close. Truth as of each instant equals what the
 * API then says, and the final truth equals the API once everything has happened.
 */
describe('car-wash KPIs before and after late data', () => {
  let h: Harness;
  const LATER = Date.parse('2026-03-10T22:30:00Z'); // 17:30 in Chicago
  beforeAll(async () => {
    h = await harness({
      jobs: { workingMs: 0 },
      // JOLIET stops uploading at 09:00 today; the backlog arrives at 15:00 (20:00Z).
      lateUploads: { outages: [{ database: 'washu', site: 'JOLIET', day: '2026-03-10', startHour: 9, hours: 6 }] },
    });
  });
  afterAll(() => h.sim.close());

  it('reflects each piece of late data as of its time, and in the final truth', async () => {
    const truth = h.sim.truth;
    // Yesterday at ROMEOVILLE: a paid retail wash and a genuine membership sale get voided an hour from now.
    const yesterday = truth.transactions({ database: 'washu', site: 'ROMEOVILLE', day: '2026-03-09' }).filter((t) => t.status === 'Completed');
    const wash = yesterday.find((t) => t.inWashList && !t.isRecurringPlanSale && !t.isRecurringPlanRedemption && t.totalCents > 0)!;
    const sale = yesterday.find((t) => t.isRecurringPlanSale && t.isRecurringSale)!;
    for (const t of [wash, sale]) h.sim.addLaterVoid({ database: 'washu', transId: t.transId, afterMinutes: (NOW - Date.parse(t.date)) / 60_000 + 60 });
    // Yesterday at MESA: a closed, unmodified entry gets 45 minutes shorter 30 minutes from now.
    const entry = truth.clockEntries({ database: 'icon', site: 'MESA', from: '2026-03-09', to: '2026-03-09', final: true }).find((e) => !e.wasModified)!;
    const clockOutMs = Date.parse(entry.clockOut!);
    h.sim.addClockEdit({ database: 'icon', employeeId: entry.employeeId, clockIn: entry.clockIn, clockOutMinutes: -45, afterMinutes: (NOW + 30 * 60_000 - clockOutMs) / 60_000 });
    const open = truth.clockEntries({ database: 'washu', from: '2026-03-10', to: '2026-03-10' }).filter((e) => e.open);
    expect(open.length).toBeGreaterThan(0);

    const before = { washu: await fetchKpis(h, 'washu', DAYS, 'detail'), icon: await fetchKpis(h, 'icon', DAYS, 'load-job') };
    expectTruth(h, 'washu', before.washu);
    expectTruth(h, 'icon', before.icon);
    const romeovilleBefore = truth.day({ database: 'washu', site: 'ROMEOVILLE', day: '2026-03-09' });
    const mesaBefore = truth.day({ database: 'icon', site: 'MESA', day: '2026-03-09' });
    const jolietBefore = truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });

    h.sim.clock.set(LATER);
    const after = { washu: await fetchKpis(h, 'washu', DAYS, 'detail'), icon: await fetchKpis(h, 'icon', DAYS, 'load-job') };
    expectTruth(h, 'washu', after.washu);
    expectTruth(h, 'icon', after.icon);

    // The voids: one retail wash and one new membership fewer yesterday, and nothing else changed there.
    const romeoville = truth.day({ database: 'washu', site: 'ROMEOVILLE', day: '2026-03-09' });
    expect(romeoville.retailWashes).toBe(romeovilleBefore.retailWashes - 1);
    expect(romeoville.newMemberships).toBe(romeovilleBefore.newMemberships - 1);
    expect(romeoville.laborHundredths).toBe(romeovilleBefore.laborHundredths);
    // The correction: 45 minutes fewer on that entry, as the API now reports it.
    const edited = truth.clockEntries({ database: 'icon', site: 'MESA', from: '2026-03-09', to: '2026-03-09', employeeId: entry.employeeId }).find((e) => e.clockIn === entry.clockIn)!;
    expect(edited).toMatchObject({ wasModified: true, clockOut: new Date(clockOutMs - 45 * 60_000).toISOString(), hundredths: entry.hundredths - 75 });
    const wire = (await h.call(`/employee/${entry.employeeId}/clock-entries?startDate=2026-03-09&endDate=2026-03-09`, { db: 'icon' })).body.data.weeks[0].clockEntries;
    expect(wire.find((e: { clockIn: string }) => e.clockIn === entry.clockIn)).toMatchObject({ clockOut: edited.clockOut, wasModified: true, modificationTimestamp: new Date(NOW + 30 * 60_000).toISOString() });
    expect(truth.day({ database: 'icon', site: 'MESA', day: '2026-03-09' }).laborHundredths).toBeLessThanOrEqual(mesaBefore.laborHundredths - 75);
    // The late upload: sales made before "now" that only arrived after it, a new membership among them.
    const seen = new Set(jolietBefore.map((t) => t.transId));
    const late = truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-10' }).filter((t) => Date.parse(t.date) <= NOW && !seen.has(t.transId));
    expect(late.length).toBeGreaterThan(50);
    expect(late.some((t) => t.isRecurringPlanSale && t.isRecurringSale && t.status === 'Completed')).toBe(true);
    // The shifts open this morning have closed.
    const closed = truth.clockEntries({ database: 'washu', from: '2026-03-10', to: '2026-03-10' });
    for (const o of open.filter((e) => e.apiDay === '2026-03-10')) {
      const now = closed.find((e) => e.employeeId === o.employeeId && e.clockIn === o.clockIn)!;
      if (Date.parse(now.clockOut ?? '9999') <= LATER) expect(now.hundredths).toBeGreaterThan(o.hundredths);
    }
    expect(closed.filter((e) => e.open).length).toBeLessThan(open.length);

    // Ten days on, every upload, void, correction and shift is in: the API equals the final truth.
    h.sim.clock.set(NOW + 10 * 24 * HOUR);
    expectTruth(h, 'washu', await fetchKpis(h, 'washu', DAYS, 'detail'), { final: true });
    expectTruth(h, 'icon', await fetchKpis(h, 'icon', DAYS, 'load-job'), { final: true });
  });
});
