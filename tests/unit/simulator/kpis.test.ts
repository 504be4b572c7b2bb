import { beforeAll, describe, expect, it } from 'vitest';
import { ControllableClock } from '@/lib/simulator/clock';
import { ClockBook } from '@/lib/simulator/generator/clock-book';
import { DEFAULT_GENERATOR_CONFIG, generateDay } from '@/lib/simulator/generator/day';
import { DataStore } from '@/lib/simulator/generator/store';
import type { SimTransaction } from '@/lib/simulator/generator/types';
import { Visibility } from '@/lib/simulator/generator/visibility';
import { addDays } from '@/lib/simulator/time';
import { Truth, type DayTruth } from '@/lib/simulator/truth';
import { defaultWorld, type DatabaseSpec, type SiteSpec } from '@/lib/simulator/world';

const world = defaultWorld(1);
const NOW = Date.parse('2026-03-10T18:00:00Z');
const FROM = '2026-01-08';
const DAYS = 60;
const TO = addDays(FROM, DAYS - 1);

function truthOf(seed = 1): Truth {
  const w = defaultWorld(seed);
  const store = new DataStore(w, DEFAULT_GENERATOR_CONFIG, 1024);
  return new Truth(store, new Visibility(store), new ClockBook(w, store.config), new ControllableClock({ start: NOW, frozen: true }), 'America/Chicago');
}

function sum(days: readonly DayTruth[], key: keyof DayTruth): number {
  return days.reduce((n, d) => n + (d[key] as number), 0);
}

/**
 * The demo world over 60 days looks like a real express wash (issue 11): members are 40-70% of
 * cars, 3-10% of eligible washes convert, labor costs $2-5 per car at each site, and free washes,
 * merchandise and membership billing exist without counting as cars.
 */
describe('demo proportions over 60 days (final truth)', () => {
  let perSite: Array<{ db: DatabaseSpec; site: SiteSpec; days: DayTruth[] }> = [];
  beforeAll(() => {
    const truth = truthOf();
    perSite = world.databases.flatMap((db) =>
      db.sites.map((site) => ({ db, site, days: truth.days({ database: db.key, site: site.code, from: FROM, to: TO, final: true }) })),
    );
  });

  it('members, conversion, labor per car and free washes are realistic at every physical site', () => {
    for (const { db, site, days } of perSite.filter((s) => !s.site.isVirtual)) {
      const label = `${db.key}/${site.code}`;
      const cars = sum(days, 'carsWashed');
      expect(cars / DAYS, label).toBeGreaterThan(150);
      const members = sum(days, 'memberWashes') / cars;
      expect(members, label).toBeGreaterThanOrEqual(0.4);
      expect(members, label).toBeLessThanOrEqual(0.7);
      const conversion = sum(days, 'newMemberships') / sum(days, 'eligibleWashes');
      expect(conversion, label).toBeGreaterThanOrEqual(0.03);
      expect(conversion, label).toBeLessThanOrEqual(0.1);
      const laborPerCar = sum(days, 'laborCostCents') / 100 / cars;
      expect(laborPerCar, label).toBeGreaterThanOrEqual(2);
      expect(laborPerCar, label).toBeLessThanOrEqual(5);
      const free = sum(days, 'freeWashes');
      expect(free, label).toBeGreaterThan(DAYS);
      expect(free / cars, label).toBeLessThan(0.03);
      // Every day has washes and labor; plan-sale washes and upgrades happen.
      expect(days.every((d) => d.carsWashed > 0 && d.laborEntries > 0), label).toBe(true);
      expect(sum(days, 'planSaleWashes'), label).toBeGreaterThan(DAYS);
      for (const d of days) {
        expect(d.carsWashed).toBe(d.memberWashes + d.planSaleWashes + d.retailWashes);
        expect(d.eligibleWashes).toBe(d.carsWashed - d.memberWashes - d.freeWashes);
        expect(d.laborHours).toBe(d.laborHundredths / 100);
        expect(d.openShifts).toBe(0);
      }
    }
  });

  it('the virtual site sells memberships online but washes no cars and has no labor', () => {
    const web = perSite.find((s) => s.site.isVirtual)!;
    expect(sum(web.days, 'carsWashed')).toBe(0);
    expect(sum(web.days, 'laborEntries')).toBe(0);
    expect(sum(web.days, 'newMemberships')).toBeGreaterThan(DAYS * 3);
  });

  it('is deterministic', () => {
    const again = truthOf().days({ database: 'icon', site: 'KAPOLEI', from: FROM, to: addDays(FROM, 6), final: true });
    expect(again).toEqual(perSite.find((s) => s.site.code === 'KAPOLEI')!.days.slice(0, 7));
    const other = truthOf(2).days({ database: 'icon', site: 'KAPOLEI', from: FROM, to: addDays(FROM, 6), final: true });
    expect(other.map((d) => d.carsWashed)).not.toEqual(again.map((d) => d.carsWashed));
  });
});

/**
 * Every edge case the Washboard classifier has to get right (FACTS §0.1, §4.3) exists in the data,
 * and truth classifies it by the rule.
 */
describe('wash list and flags: the classifier`s edge cases', () => {
  let txs: SimTransaction[] = [];
  beforeAll(() => {
    txs = world.databases.flatMap((db) =>
      db.sites.flatMap((site) => Array.from({ length: 14 }, (_, i) => generateDay(world, db, site, addDays('2026-02-01', i), DEFAULT_GENERATOR_CONFIG).transactions)),
    ).flat();
  });
  const inWash = (t: SimTransaction) => t.itemTypes.includes('wash');
  const count = (p: (t: SimTransaction) => boolean) => txs.filter(p).length;

  it('has them all', () => {
    // A refund in the wash list (a retail wash with a negative total).
    expect(count((t) => t.totalCents < 0 && inWash(t) && t.status === 'Completed')).toBeGreaterThan(0);
    // Free washes ($0 retail washes).
    expect(count((t) => t.totalCents === 0 && inWash(t) && !t.isRecurringPlanSale && !t.isRecurringPlanRedemption)).toBeGreaterThan(0);
    // Redemptions in the wash list too (both wash and recurring, FACTS Q17), and some only in recurring.
    const redemptions = txs.filter((t) => t.isRecurringPlanRedemption);
    const both = redemptions.filter((t) => inWash(t) && t.itemTypes.includes('recurring')).length;
    expect(both / redemptions.length).toBeGreaterThan(0.5);
    expect(both / redemptions.length).toBeLessThan(0.9);
    expect(redemptions.every((t) => t.itemTypes.includes('recurring'))).toBe(true);
    // Plan sales with and without a wash; every online one without.
    const planSales = txs.filter((t) => t.kind === 'planSale');
    expect(planSales.some(inWash)).toBe(true);
    expect(planSales.filter((t) => t.device !== 'ECOMMERCE').some((t) => !inWash(t))).toBe(true);
    expect(planSales.filter((t) => t.device === 'ECOMMERCE').every((t) => !inWash(t))).toBe(true);
    // Upgrades: plan sale in v2, not a new membership in the detail; some include a wash.
    const upgrades = txs.filter((t) => t.kind === 'planUpgrade');
    expect(upgrades.every((t) => t.isRecurringPlanSale && !t.isRecurringSale)).toBe(true);
    expect(upgrades.some(inWash)).toBe(true);
    expect(planSales.every((t) => t.isRecurringPlanSale && t.isRecurringSale)).toBe(true);
    // Voided washes, and washes voided later.
    expect(count((t) => t.status === 'Voided' && inWash(t))).toBeGreaterThan(0);
    expect(count((t) => t.laterVoidAtMs !== null && inWash(t))).toBeGreaterThan(0);
    // Merchandise, membership billing, prepaid and gift-card sales are never washes.
    for (const kind of ['merchandise', 'recurringPayment', 'prepaidSale', 'giftcardSale', 'washbookSale']) {
      const of = txs.filter((t) => t.kind === kind);
      expect(of.length, kind).toBeGreaterThan(0);
      expect(of.some(inWash), kind).toBe(false);
    }
  });

  it('truth counts each case by the rule', () => {
    const truth = truthOf();
    const day = '2026-02-03';
    const t = truth.day({ database: 'washu', site: 'JOLIET', day, final: true });
    const rows = truth.transactions({ database: 'washu', site: 'JOLIET', day, final: true }).filter((r) => r.status === 'Completed');
    const member = rows.filter((r) => r.isRecurringPlanRedemption).length;
    const plan = rows.filter((r) => !r.isRecurringPlanRedemption && r.isRecurringPlanSale && r.inWashList).length;
    const retail = rows.filter((r) => !r.isRecurringPlanRedemption && !r.isRecurringPlanSale && r.inWashList);
    expect([t.memberWashes, t.planSaleWashes, t.retailWashes, t.freeWashes]).toEqual([member, plan, retail.length, retail.filter((r) => r.totalCents === 0).length]);
    expect(t.newMemberships).toBe(rows.filter((r) => r.isRecurringPlanSale && r.isRecurringSale).length);
    // A redemption outside the wash list still counts as a member wash.
    expect(rows.some((r) => r.isRecurringPlanRedemption && !r.inWashList)).toBe(true);
    expect(member).toBeGreaterThan(rows.filter((r) => r.isRecurringPlanRedemption && r.inWashList).length);
  });
});
