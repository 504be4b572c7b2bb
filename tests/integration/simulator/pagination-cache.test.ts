import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, NOW, pageAll, sec, type Harness, type Wire } from './helpers';

describe('pagination (offset = 1-based page number) and the v2 snapshot cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());

  it('slices pages [(offset-1)*limit, offset*limit) and returns [] past the end', async () => {
    const day = h.sim.truth.day({ database: 'washu', site: 'ROMEOVILLE', day: '2026-03-07' });
    const q = `/transaction?site=ROMEOVILLE&startDate=${day.startUtcSec}&endDate=${day.endUtcSec}`;
    const all = await pageAll(h, q, 'transactions', { limit: 100 });
    expect(all.length).toBe(day.transactionCount);
    const small = await pageAll(h, q, 'transactions', { limit: 7 });
    expect(small.map((t) => t.transId)).toEqual(all.map((t) => t.transId));
    expect(new Set(all.map((t) => t.transId)).size).toBe(all.length);
    const p2 = await h.call(`${q}&limit=10&offset=2`);
    expect(p2.body.data).toMatchObject({ offset: 2, limit: 10, total: all.length });
    expect(p2.body.data.transactions.map((t: Wire) => t.transId)).toEqual(all.slice(10, 20).map((t) => t.transId));
    const past = await h.call(`${q}&limit=100&offset=${Math.ceil(all.length / 100) + 1}`);
    expect(past.status).toBe(200);
    expect(past.body.data.transactions).toEqual([]);
    expect(past.body.data.total).toBe(all.length);
  });

  it('returns the first snapshot for an identical v2 query within 10 minutes', async () => {
    const start = sec(Date.parse('2026-03-10T06:00:00Z'));
    const q = `/transaction/version-2?site=JOLIET&startDate=${start}&limit=100`;
    const first = await h.call(q);
    const before = first.body.data.total;
    h.sim.clock.advance(9 * 60_000);
    const fresh = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day: '2026-03-10' });
    expect(fresh.transactionCount).toBeGreaterThan(before);
    const cached = await h.call(q);
    expect(cached.text).toBe(first.text);
    // Another page of the same criteria reads the same snapshot.
    const page2 = await h.call(q.replace('limit=100', 'limit=50') + '&offset=2');
    expect(page2.body.data.total).toBe(before);
    // Different criteria are built anew.
    const other = await h.call(`${q}&endDate=${sec(h.sim.clock.now())}`);
    expect(other.body.data.total).toBe(fresh.transactionCount);
    h.sim.clock.advance(60_000 + 1);
    const expired = await h.call(q);
    expect(expired.body.data.total).toBeGreaterThan(before);
    h.sim.clock.set(NOW);
  });

  it('snapshots the wash list like v2 (configurable), so it pages consistently with it', async () => {
    const start = sec(Date.parse('2026-03-10T06:00:00Z'));
    const q = `/transaction/type/wash?site=ROMEOVILLE&startDate=${start}&limit=100`;
    const first = await h.call(q);
    h.sim.clock.advance(9 * 60_000);
    expect((await h.call(q)).text).toBe(first.text);
    h.sim.clock.advance(60_000 + 1);
    expect((await h.call(q)).body.data.total).toBeGreaterThan(first.body.data.total);
    h.sim.clock.set(NOW);
    const live = await harness({ caches: { typeListsMs: 0 } });
    try {
      const a = await live.call(q);
      live.sim.clock.advance(30 * 60_000);
      expect((await live.call(q)).body.data.total).toBeGreaterThan(a.body.data.total);
    } finally {
      await live.sim.close();
    }
  });

  it('does not cache v1 lists', async () => {
    const start = sec(Date.parse('2026-03-10T06:00:00Z'));
    const q = `/transaction?site=PLAINFIELD&startDate=${start}&limit=1`;
    const a = await h.call(q);
    h.sim.clock.advance(30 * 60_000);
    const b = await h.call(q);
    expect(b.body.data.total).toBeGreaterThan(a.body.data.total);
    h.sim.clock.set(NOW);
  });

  it('pages every list endpoint by page number', async () => {
    const a = await h.call('/customer?limit=5&offset=1');
    const b = await h.call('/customer?limit=5&offset=2');
    const ten = await h.call('/customer?limit=10&offset=1');
    expect([...a.body.data.customers, ...b.body.data.customers]).toEqual(ten.body.data.customers);
    const items = await h.call('/item?limit=30&offset=3');
    expect(items.body.data).toMatchObject({ offset: 3, limit: 30, total: 84 });
    expect(items.body.data.items).toHaveLength(24);
  });
});
