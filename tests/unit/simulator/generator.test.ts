import { describe, expect, it } from 'vitest';
import { catalogItem, priceAt } from '@/lib/simulator/catalog';
import { DEFAULT_GENERATOR_CONFIG, generateDay } from '@/lib/simulator/generator/day';
import { DataStore } from '@/lib/simulator/generator/store';
import { defaultWorld, summarizeWorld } from '@/lib/simulator/world';
import { addDays } from '@/lib/simulator/time';

const world = defaultWorld(1);
const washu = world.databases[0]!;
const icon = world.databases[1]!;

describe('defaultWorld', () => {
  it('is pure and lists the demo databases and credentials', () => {
    expect(defaultWorld(1)).toEqual(defaultWorld(1));
    expect(summarizeWorld(world).map((d) => [d.key, d.name, d.sites.map((s) => s.code)])).toEqual([
      ['washu', 'WashU', ['JOLIET', 'ROMEOVILLE', 'PLAINFIELD', 'SHOREWOOD']],
      ['icon', 'Icon', ['DENVER', 'MESA', 'KAPOLEI', 'ICONWEB']],
    ]);
    expect(icon.sites.some((s) => s.timezone === null)).toBe(true);
    expect(icon.sites.some((s) => s.isVirtual)).toBe(true);
    expect(washu.sites.every((s) => s.timezone === 'America/Chicago')).toBe(true);
  });
});

describe('generateDay', () => {
  const days = Array.from({ length: 28 }, (_, i) => addDays('2026-02-01', i));

  it('is deterministic and independent of call order', () => {
    const a = generateDay(world, washu, washu.sites[0]!, '2026-02-14', DEFAULT_GENERATOR_CONFIG);
    generateDay(world, washu, washu.sites[1]!, '2026-02-13', DEFAULT_GENERATOR_CONFIG);
    const b = generateDay(world, washu, washu.sites[0]!, '2026-02-14', DEFAULT_GENERATOR_CONFIG);
    expect(b).toEqual(a);
    const other = generateDay(defaultWorld(2), washu, washu.sites[0]!, '2026-02-14', DEFAULT_GENERATOR_CONFIG);
    expect(other.transactions.length === a.transactions.length && other.transactions[0]?.totalCents === a.transactions[0]?.totalCents).toBe(false);
  });

  it('keeps physical sites at roughly 150-450 transactions a day with weekday swings', () => {
    for (const site of washu.sites) {
      const counts = days.map((d) => generateDay(world, washu, site, d, DEFAULT_GENERATOR_CONFIG).transactions.length);
      for (const c of counts) {
        expect(c).toBeGreaterThanOrEqual(150);
        expect(c).toBeLessThanOrEqual(480);
      }
      expect(new Set(counts).size).toBeGreaterThan(10);
    }
  });

  it('has plausible statuses, a ticket mix and consistent money', () => {
    let total = 0;
    let voided = 0;
    const kinds = new Map<string, number>();
    const ids = new Set<string>();
    for (const d of days) {
      for (const site of washu.sites) {
        for (const tx of generateDay(world, washu, site, d, DEFAULT_GENERATOR_CONFIG).transactions) {
          total += 1;
          if (tx.status === 'Voided') voided += 1;
          kinds.set(tx.kind, (kinds.get(tx.kind) ?? 0) + 1);
          expect(tx.transId).toMatch(/^\d+:\d+$/);
          expect(ids.has(tx.transId)).toBe(false);
          ids.add(tx.transId);
          const lines = tx.lines.reduce((s, l) => s + l.qty * l.unitCents - l.discountCents + l.taxCents, 0);
          expect(lines).toBe(tx.totalCents);
          const tenders = tx.tenders.reduce((s, t) => s + t.amountCents + t.changeCents, 0);
          expect(tenders).toBe(tx.totalCents);
          if (tx.kind === 'redemption') {
            // FACTS Q14: a redemption's total is the wash's list value.
            expect(tx.totalCents).toBe(priceAt(washu, catalogItem(tx.lines[0]!.itemKey)));
            expect(tx.isRecurringPlanRedemption).toBe(true);
          }
          if (tx.kind === 'refund') expect(tx.totalCents).toBeLessThan(0);
          if (tx.kind === 'planUpgrade') expect([tx.isRecurringPlanSale, tx.isRecurringSale]).toEqual([true, false]);
        }
      }
    }
    expect(voided / total).toBeGreaterThan(0.02);
    expect(voided / total).toBeLessThan(0.055);
    for (const k of ['retailWash', 'redemption', 'planSale', 'planUpgrade', 'refund', 'recurringPayment', 'giftcardSale', 'merchandise']) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });

  it('sells only online products on the virtual site, round the clock', () => {
    const web = icon.sites.find((s) => s.isVirtual)!;
    const txs = days.flatMap((d) => generateDay(world, icon, web, d, DEFAULT_GENERATOR_CONFIG).transactions);
    expect(txs.length).toBeGreaterThan(28 * 4);
    expect(txs.every((t) => t.device === 'ECOMMERCE')).toBe(true);
    expect(new Set(txs.map((t) => t.kind))).toEqual(new Set(['planSale', 'planUpgrade', 'prepaidSale', 'giftcardSale', 'washbookSale']));
  });

  it('resolves transIds back to their transaction through the store', () => {
    const store = new DataStore(world, DEFAULT_GENERATOR_CONFIG, 4);
    const day = generateDay(world, icon, icon.sites[1]!, '2026-03-01', DEFAULT_GENERATOR_CONFIG);
    const tx = day.transactions[42]!;
    expect(store.findTransaction(icon, tx.transId, Date.parse('2026-03-10T00:00:00Z'))).toEqual(tx);
    expect(store.findTransaction(icon, '999:999', Date.parse('2026-03-10T00:00:00Z'))).toBeNull();
  });
});
