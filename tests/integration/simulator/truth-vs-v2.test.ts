import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDayOf } from '@/lib/simulator/time';
import { harness, NOW, pageAll, type Harness, type Wire } from './helpers';

/**
 * The Done-when: paging through /transaction/version-2 for every site and local day of the
 * demo world reproduces truth exactly. The window covers the 2026 spring-forward day (23 hours)
 * and today (partial, end clamped to now).
 */
describe('truth equals paging through v2, every site, last 7 days', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ throttle: { limit: 10_000 } });
  });
  afterAll(() => h.sim.close());

  function summarise(rows: Wire[]) {
    const s = { count: rows.length, completed: 0, voided: 0, revenueCents: 0, membershipSales: 0, membershipSalesRevenueCents: 0, redemptions: 0, byStatus: {} as Record<string, number> };
    for (const t of rows) {
      s.byStatus[t.transactionStatus] = (s.byStatus[t.transactionStatus] ?? 0) + 1;
      if (t.transactionStatus === 'Voided') s.voided += 1;
      if (t.transactionStatus !== 'Completed') continue;
      s.completed += 1;
      const c = Math.round(t.total * 100);
      if (t.isRecurringPlanRedemption) {
        s.redemptions += 1;
        continue;
      }
      s.revenueCents += c;
      if (t.isRecurringPlanSale) {
        s.membershipSales += 1;
        s.membershipSalesRevenueCents += c;
      }
    }
    return s;
  }

  it('matches for every database, site and day', async () => {
    let checked = 0;
    let transactions = 0;
    for (const db of h.sim.world.databases) {
      for (const site of db.sites) {
        const tz = h.sim.truth.timezoneOf(db.key, site.code);
        const today = localDayOf(NOW, tz);
        for (let i = 6; i >= 0; i--) {
          const day = addDays(today, -i);
          const t = h.sim.truth.day({ database: db.key, site: site.code, day });
          const end = Math.min(t.endUtcSec, Math.floor(NOW / 1000));
          const rows = await pageAll(h, `/transaction/version-2?site=${site.code}&startDate=${t.startUtcSec}&endDate=${end}`, 'transactions', { db: db.key });
          const s = summarise(rows);
          const label = `${db.key}/${site.code}/${day}`;
          expect(s.count, label).toBe(t.transactionCount);
          expect(s.completed, label).toBe(t.completed);
          expect(s.voided, label).toBe(t.voided);
          expect(s.revenueCents, label).toBe(t.revenueCents);
          expect(s.membershipSales, label).toBe(t.membershipSales);
          expect(s.membershipSalesRevenueCents, label).toBe(t.membershipSalesRevenueCents);
          expect(s.redemptions, label).toBe(t.redemptions);
          for (const [status, n] of Object.entries(t.countByStatus)) expect(s.byStatus[status] ?? 0, `${label} ${status}`).toBe(n);
          expect(rows.map((r) => r.transId)).toEqual(h.sim.truth.transactions({ database: db.key, site: site.code, day }).map((r) => r.transId));
          checked += 1;
          transactions += rows.length;
        }
      }
    }
    expect(checked).toBe(8 * 7);
    expect(transactions).toBeGreaterThan(8 * 6 * 150);
  });

  it('uses the configured default zone for a site without a timezone', async () => {
    const chicago = h.sim.truth.day({ database: 'icon', site: 'KAPOLEI', day: '2026-03-09' });
    expect(chicago.timezone).toBe('America/Chicago');
    const hawaii = h.sim.truth.day({ database: 'icon', site: 'KAPOLEI', day: '2026-03-09', timezone: 'Pacific/Honolulu' });
    expect(hawaii.startUtcSec - chicago.startUtcSec).toBe(5 * 3600);
    // KAPOLEI trades on Hawaii time; with Chicago on CDT its last open hour (19-20 HST) falls
    // into the next Chicago day.
    expect(chicago.transactionCount).not.toBe(hawaii.transactionCount);
    const other = await harness({ defaultTimezone: 'Pacific/Honolulu' });
    try {
      expect(other.sim.truth.day({ database: 'icon', site: 'KAPOLEI', day: '2026-03-09' })).toEqual(hawaii);
    } finally {
      await other.sim.close();
    }
  });

  it('has a 23-hour local day on the spring-forward date', () => {
    const t = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-08' });
    expect(t.endUtcSec + 1 - t.startUtcSec).toBe(23 * 3600);
  });
});
