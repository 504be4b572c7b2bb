import { afterEach, describe, expect, it } from 'vitest';
import { harness, NOW, pageAll, sec, type Harness } from './helpers';

const HOUR = 3_600_000;

describe('data clock, late uploads and later voids', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.sim.close();
    h = undefined;
  });

  const todayV1 = (site = 'JOLIET') => `/transaction?site=${site}&startDate=${sec(Date.parse('2026-03-10T05:00:00Z'))}`;

  it('shows a transaction only once the clock passes its time; today grows', async () => {
    h = await harness({ lateUploads: { rate: 0 } });
    const morning = (await pageAll(h, todayV1(), 'transactions')).length;
    h.sim.clock.advance(3 * HOUR);
    const afternoon = await pageAll(h, todayV1(), 'transactions');
    expect(afternoon.length).toBeGreaterThan(morning);
    expect(afternoon.every((t) => Date.parse(t.date) <= h!.sim.clock.now())).toBe(true);
    const final = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10', final: true });
    const now = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    expect(now.transactionCount).toBe(afternoon.length);
    expect(final.transactionCount).toBeGreaterThan(now.transactionCount);
    expect(final.asOf).toBeNull();
  });

  it('follows real time by default and can be set, advanced and resumed', async () => {
    h = await harness({ clock: undefined });
    expect(Math.abs(h.sim.clock.now() - Date.now())).toBeLessThan(1000);
    h.sim.clock.set(NOW);
    expect(h.sim.clock.now()).toBe(NOW);
    h.sim.clock.advance(5000);
    expect(h.sim.clock.now()).toBe(NOW + 5000);
    h.sim.clock.resume();
    await new Promise((r) => setTimeout(r, 30));
    expect(h.sim.clock.now()).toBeGreaterThan(NOW + 5000);
  });

  it('holds back an outage backlog and releases it at once', async () => {
    h = await harness({ lateUploads: { rate: 0, outages: [{ database: 'washu', site: 'JOLIET', day: '2026-03-10', startHour: 8, hours: 6 }] } });
    // Now is 13:00 CDT: the outage (08:00-14:00 local) has swallowed everything since 8.
    const visible = await pageAll(h, todayV1(), 'transactions');
    const latest = Math.max(...visible.map((t) => Date.parse(t.date)));
    expect(latest).toBeLessThan(Date.parse('2026-03-10T13:00:00Z'));
    const truth = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    expect(truth.transactionCount).toBe(visible.length);
    h.sim.clock.set(Date.parse('2026-03-10T18:59:59Z')); // 13:59:59 local, still out
    expect((await pageAll(h, todayV1(), 'transactions')).length).toBe(visible.length);
    h.sim.clock.set(Date.parse('2026-03-10T19:00:00Z')); // 14:00 local: backlog arrives
    const after = await pageAll(h, todayV1(), 'transactions');
    expect(after.length).toBeGreaterThan(visible.length + 100);
    expect(after.length).toBe(h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' }).transactionCount);
    // Other sites were not affected.
    const other = await pageAll(h, todayV1('ROMEOVILLE'), 'transactions');
    expect(other.length).toBe(h.sim.truth.day({ database: 'washu', site: 'ROMEOVILLE', day: '2026-03-10' }).transactionCount);
  });

  it('has occasional default outages, deterministic per site-day', async () => {
    h = await harness({ lateUploads: { rate: 0.5 } });
    let late = 0;
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']) {
      const end = Date.parse(`${day}T23:00:00Z`); // 17:00 local
      const atEvening = h.sim.truth.day({ database: 'washu', site: 'SHOREWOOD', day, at: end });
      const fin = h.sim.truth.day({ database: 'washu', site: 'SHOREWOOD', day, final: true });
      const onTime = fin.transactionCount - h.sim.truth.transactions({ database: 'washu', site: 'SHOREWOOD', day, final: true }).filter((t) => Date.parse(t.date) > end).length;
      if (atEvening.transactionCount < onTime) late += 1;
    }
    expect(late).toBeGreaterThan(0);
  });

  it('voids a completed sale later; v2 and truth see it after the delay', async () => {
    h = await harness({ laterVoids: { rate: 0 } });
    const y = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    const target = y.find((t) => t.status === 'Completed' && !t.isRecurringPlanRedemption && t.totalCents > 0)!;
    const at = Date.parse(target.date);
    h.sim.addLaterVoid({ database: 'washu', transId: target.transId, afterMinutes: 20 });
    const before = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10', at: at + 19 * 60_000 });
    const after = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10', at: at + 20 * 60_000 });
    const sameSet = (t: typeof before) => t.transactionCount;
    expect(sameSet(after)).toBeGreaterThanOrEqual(sameSet(before));
    const statusOf = async (): Promise<string> => (await h!.call(`/transaction/${target.transId}`)).body.data.items[0].isVoided ? 'Voided' : 'Completed';
    h.sim.clock.set(at + 19 * 60_000);
    expect(await statusOf()).toBe('Completed');
    h.sim.clock.set(at + 20 * 60_000);
    expect(await statusOf()).toBe('Voided');
    h.sim.clock.set(NOW);
    const row = (await pageAll(h, `/transaction/version-2?site=JOLIET&startDate=${sec(at)}&endDate=${sec(at)}`, 'transactions')).find((t) => t.transId === target.transId);
    expect(row.transactionStatus).toBe('Voided');
    const now = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    const without = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10', at: at + 60_000 });
    expect(now.voided).toBeGreaterThanOrEqual(1);
    expect(h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-10' }).find((t) => t.transId === target.transId)!.status).toBe('Voided');
    expect(without.revenueCents).toBeLessThanOrEqual(now.revenueCents + target.totalCents);
  });

  it('produces default later voids at the configured rate', async () => {
    h = await harness({ laterVoids: { rate: 0.05, minutes: [10, 10] } });
    const fin = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-09', final: true });
    const early = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-09', at: Date.parse('2026-03-10T06:00:00Z') });
    const flipped = fin.filter((t, i) => t.status === 'Voided' && early[i]?.status === 'Completed');
    expect(flipped.length).toBe(0); // by midnight every 10-minute void has happened
    const mid = Date.parse('2026-03-09T20:00:00Z');
    const atMid = h.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-09', at: mid });
    const pending = atMid.filter((t) => t.status === 'Completed' && fin.find((f) => f.transId === t.transId)?.status === 'Voided');
    expect(pending.every((t) => Date.parse(t.date) > mid - 10 * 60_000)).toBe(true);
    const count = fin.filter((t) => t.status === 'Voided').length;
    const noLater = await harness({ laterVoids: { rate: 0 } });
    try {
      const base = noLater.sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: '2026-03-09', final: true }).filter((t) => t.status === 'Voided').length;
      expect(count).toBeGreaterThan(base);
    } finally {
      await noLater.sim.close();
    }
  });
});
