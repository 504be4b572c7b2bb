import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, NOW, pageAll, type Harness, type Wire } from './helpers';

describe('load-job / get-job-data', () => {
  let h: Harness;
  const day = '2026-03-09';
  let q: string;
  beforeAll(async () => {
    h = await harness({ jobs: { workingMs: 60_000 }, wallClock: { start: 0, frozen: true } });
    const t = h.sim.truth.day({ database: 'washu', site: 'JOLIET', day });
    q = `startDate=${t.startUtcSec}&endDate=${t.endUtcSec}&site=JOLIET&limit=100`;
  });
  afterAll(() => h.sim.close());

  const submit = async (offset: number) => (await h.call(`/transaction/load-job?${q}&offset=${offset}`, { method: 'POST' })).body.data.hash as string;
  const poll = async (hash: string) => h.call(`/transaction/get-job-data?hash=${hash}`);

  it('returns a 32-hex hash, the same one for identical criteria within 20 minutes, one per page', async () => {
    const a = await submit(1);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await submit(1)).toBe(a);
    expect(await submit(2)).not.toBe(a);
  });

  it('stays working for the configured time, then passes with pages matching v2 totals', async () => {
    h.sim.clock.set(NOW);
    const hashes = [await submit(1), await submit(2), await submit(3), await submit(4)];
    const working = await poll(hashes[0]!);
    expect(working.body.data).toMatchObject({ hash: hashes[0], status: 'working', data: [] });
    h.sim.wallClock.advance(60_000);
    const v2 = await pageAll(h, `/transaction/version-2?${q.replace('&limit=100', '')}`, 'transactions');
    const items: Wire[] = [];
    for (const hash of hashes) {
      const r = await poll(hash);
      expect(r.body.data.status).toBe('pass');
      expect(r.body.data.total).toBe(v2.length);
      items.push(...r.body.data.data);
    }
    expect(items.map((i) => i.id)).toEqual(v2.map((t) => t.transId));
    const byId = new Map(v2.map((t) => [t.transId, t]));
    for (const item of items) {
      const row = byId.get(item.id)!;
      expect(item.total).toBe(row.total);
      expect(item.completeDate).toBe(row.date);
      // FACTS Q7: production job items omit the v2 flags.
      expect(item).not.toHaveProperty('transactionStatus');
      expect(item).not.toHaveProperty('isRecurringPlanSale');
      const lines = item.items.reduce((s: number, l: Wire) => s + Math.round(l.gross * 100), 0);
      expect(lines).toBe(Math.round(item.total * 100));
      const tenders = item.tenders.reduce((s: number, t: Wire) => s + Math.round(t.total * 100), 0);
      expect(tenders).toBe(Math.round(item.total * 100));
      expect(item.locationCode).toBe('JOLIET');
    }
  });

  it('agrees with /transaction/{id} details', async () => {
    const hash = await submit(1);
    const first = (await poll(hash)).body.data.data[3];
    const detail = await h.call(`/transaction/${first.id}`);
    expect(detail.body.data).toEqual(first);
  });

  it('expires after 20 minutes (404) and a new submit gets a new hash', async () => {
    const hash = await submit(1);
    h.sim.clock.advance(20 * 60_000);
    const r = await poll(hash);
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('EntityNotFoundError');
    const again = await submit(1);
    expect(again).not.toBe(hash);
    h.sim.clock.set(NOW);
  });

  it('finishes when the data clock moves past the working time too', async () => {
    const fresh = await harness({ jobs: { workingMs: 5_000 }, wallClock: { start: 0, frozen: true } });
    try {
      const r = await fresh.call(`/transaction/load-job?${q}&offset=1`, { method: 'POST' });
      const hash = r.body.data.hash as string;
      expect((await fresh.call(`/transaction/get-job-data?hash=${hash}`)).body.data.status).toBe('working');
      fresh.sim.clock.advance(5_000);
      expect((await fresh.call(`/transaction/get-job-data?hash=${hash}`)).body.data.status).toBe('pass');
      // Another database cannot read the job.
      expect((await fresh.call(`/transaction/get-job-data?hash=${hash}`, { db: 'icon' })).status).toBe(404);
    } finally {
      await fresh.sim.close();
    }
  });

  it('can fail jobs and include v2 flags when configured', async () => {
    const f = await harness({ jobs: { workingMs: 0, failRate: 1, includeV2Flags: true } });
    try {
      const r = await f.call(`/transaction/load-job?${q}&offset=1`, { method: 'POST' });
      expect((await f.call(`/transaction/get-job-data?hash=${r.body.data.hash}`)).body.data.status).toBe('fail');
    } finally {
      await f.sim.close();
    }
    const g = await harness({ jobs: { workingMs: 0, includeV2Flags: true } });
    try {
      const r = await g.call(`/transaction/load-job?${q}&offset=1`, { method: 'GET' });
      const data = (await g.call(`/transaction/get-job-data?hash=${r.body.data.hash}`)).body.data;
      expect(data.data[0]).toHaveProperty('transactionStatus');
    } finally {
      await g.sim.close();
    }
  });
});
