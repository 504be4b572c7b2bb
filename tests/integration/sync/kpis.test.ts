/**
 * The car-wash KPIs (issue #11, FACTS §0.1) after a sync of the simulator equal its truth for every
 * measure, site and day, before and after late data (a late sale, a late void, a clock correction,
 * shifts that close); and the KPI requests stay near their lower bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toLocalDate } from '@/lib/calendar';
import { DIALECTS } from '../../support/postgres';
import { startHarness, type DialectHarness as Harness } from './helpers';

// Tuesday 2026-03-10, noon in Chicago: both databases trading, shifts open.
const T0 = Date.parse('2026-03-10T18:00:00Z');
const MINUTE = 60_000;
const KPIS = { SYNC_KPIS: 'on' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MEASURES = [
  'memberWashes',
  'planSaleWashes',
  'retailWashes',
  'freeWashes',
  'carsWashed',
  'eligibleWashes',
  'newMemberships',
  'laborEntries',
  'laborHundredths',
  'laborCostCents',
  'openShifts',
] as const;

/** Our rollup of a site-day, in truth's names. */
async function stored(harness: Harness, database: string, site: string, day: string): Promise<Record<(typeof MEASURES)[number], number>> {
  const r = await harness.db.sql.get<Record<(typeof MEASURES)[number], number> & { unclassified: number; unverified: number }>(
    `SELECT redemptions AS "memberWashes", plan_sale_washes AS "planSaleWashes", retail_washes AS "retailWashes", free_washes AS "freeWashes",
       redemptions + retail_washes + plan_sale_washes AS "carsWashed", retail_washes + plan_sale_washes - free_washes AS "eligibleWashes",
       new_memberships AS "newMemberships", labor_entries AS "laborEntries", labor_hundredths AS "laborHundredths",
       labor_cost_cents AS "laborCostCents", open_shifts AS "openShifts", unclassified_washes AS unclassified, unverified_plan_sales AS unverified
     FROM daily_rollups WHERE database_key = ? AND site_code = ? AND local_day = ?`,
    [database, site, day],
  );
  if (r) {
    // Every Completed row of a synced day is classified and every plan sale verified.
    expect({ day, site, unclassified: r.unclassified, unverified: r.unverified }).toEqual({ day, site, unclassified: 0, unverified: 0 });
  }
  return Object.fromEntries(MEASURES.map((m) => [m, r?.[m] ?? 0])) as Record<(typeof MEASURES)[number], number>;
}

/** Every measure of every site for the last `days` days equals the truth as of the data clock. */
async function expectTruth(harness: Harness, days: number, databases = ['washu', 'icon']) {
  let cars = 0;
  let members = 0;
  let labor = 0;
  for (const database of harness.sim.world.databases.filter((d) => databases.includes(d.key))) {
    for (const site of database.sites) {
      const today = toLocalDate(harness.sim.clock.now(), harness.sim.truth.timezoneOf(database.key, site.code));
      for (let i = 0; i < days; i++) {
        const day = addDays(today, -i);
        const t = harness.sim.truth.day({ database: database.key, site: site.code, day });
        const truth = Object.fromEntries(MEASURES.map((m) => [m, m === 'openShifts' ? t.openShifts : t[m]]));
        expect({ key: `${database.key}/${site.code}/${day}`, ...(await stored(harness, database.key, site.code, day)) }).toEqual({
          key: `${database.key}/${site.code}/${day}`,
          ...truth,
        });
        cars += t.carsWashed;
        members += t.newMemberships;
        labor += t.laborCostCents;
      }
    }
  }
  // The comparison means something: there is data behind every kind of measure.
  expect(cars).toBeGreaterThan(1000);
  expect(members).toBeGreaterThan(10);
  expect(labor).toBeGreaterThan(10_000);
}

describe.each(DIALECTS)('car-wash KPIs against the simulator on %s', (dialect) => {
  it('equal the truth for every measure, site and day, and again after late data', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } }, env: KPIS, sync: { backfillDays: 4 } });
    const today = toLocalDate(T0, 'America/Chicago');
    // Late data, arriving after the first sync: JOLIET offline 9:00-14:00 (its morning arrives at
    // 14:00, new memberships included), a sale voided at 12:30, and a shift corrected in BackOffice.
    h.sim.addOutage({ database: 'washu', site: 'JOLIET', day: today, startHour: 9, hours: 5 });
    const sale = h.sim.truth
      .transactions({ database: 'washu', site: 'ROMEOVILLE', day: today })
      .find((t) => t.status === 'Completed' && t.isRecurringPlanSale && t.isRecurringSale && Date.parse(t.date) < T0 - 60 * MINUTE);
    if (sale) h.sim.addLaterVoid({ database: 'washu', transId: sale.transId, afterMinutes: Math.ceil((T0 + 30 * MINUTE - Date.parse(sale.date)) / MINUTE) });
    const entry = h.sim.truth.clockEntries({ database: 'washu', from: addDays(today, -1), to: addDays(today, -1), final: true }).find((e) => !e.open && !e.wasModified);
    expect(entry).toBeDefined();
    h.sim.addClockEdit({ database: 'washu', employeeId: entry!.employeeId, clockIn: entry!.clockIn, clockOutMinutes: 45, afterMinutes: 60 * 6 });

    const first = await Promise.all((await h.runtime.manager.triggerAll('cli')).map((r) => r.done));
    expect(first.map((o) => o.status + (o.status === 'failed' ? o.message : ''))).toEqual(['succeeded', 'succeeded']);
    await expectTruth(h, 4);

    // Two hours later: the outage is over, the void and the correction are in, shifts have closed.
    h.sim.clock.advance(2 * 60 * MINUTE);
    const second = await Promise.all((await h.runtime.manager.triggerAll('scheduled')).map((r) => r.done));
    expect(second.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    await expectTruth(h, 4);
  });

  it('say which days are complete: today never, a finished day once everything it reads is in', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } }, env: KPIS, sync: { backfillDays: 4 } });
    await Promise.all((await h.runtime.manager.triggerAll('cli')).map((r) => r.done));
    const today = toLocalDate(T0, 'America/Chicago');
    const { flag } = h.db.dialect;
    const csv = await h.db.sql.all<{ day: string; sales: number; labor: number | null }>(
      `SELECT c.local_day AS day, ${flag('c.synced_at >= c.day_end_at')} AS sales, ${flag('c.labor_synced_at >= c.day_end_at')} AS labor
       FROM site_coverage c WHERE c.database_key = 'washu' AND c.site_code = 'JOLIET' ORDER BY c.local_day`,
    );
    const byDay = new Map(csv.map((r) => [r.day, r]));
    expect(byDay.get(today)).toMatchObject({ sales: 0 });
    expect(byDay.get(today)?.labor).not.toBe(1);
    // Two days back ended more than a day ago everywhere: its labor neighbours were all fetched after it.
    expect(byDay.get(addDays(today, -2))).toMatchObject({ sales: 1, labor: 1 });
  });
});
