/**
 * Paging end to end: the SDK's page-number paginator over the simulator's lists yields exactly the
 * transactions truth says a site-day has, whether or not `total` is sent; the SDK's own date
 * chunkers produce windows the simulator accepts and that together cover the days exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJobChunks, transactionListChunks, type TransactionListItemV2 } from '@/lib/sonnys';
import type { Simulator, TruthTransaction } from '@/lib/simulator';
import { DAY, NOW, cents, clientFor, dayWindow, recordingFetch, simulator } from './helpers';

const row = (t: TransactionListItemV2) => ({ transId: t.transId, status: t.transactionStatus, totalCents: cents(t.total) });
const truthRow = (t: TruthTransaction) => ({ transId: t.transId, status: t.status, totalCents: t.totalCents });

describe('listV2 against truth', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator();
  });
  afterAll(() => sim.close());

  it.each([
    { database: 'washu', site: 'JOLIET' },
    { database: 'washu', site: 'SHOREWOOD' },
    { database: 'icon', site: 'KAPOLEI' }, // null timezone on /site/list: truth uses the default zone
    { database: 'icon', site: 'ICONWEB' }, // virtual e-commerce site
  ])('yields exactly truth\'s rows for $database $site on one local day', async ({ database, site }) => {
    const rows = await clientFor(sim, database).transactions.listV2({ ...dayWindow(sim, site, database), site }).toArray();
    const truth = sim.truth.transactions({ database, site, day: DAY });
    expect(truth.length).toBeGreaterThan(0);
    expect(rows.map(row)).toEqual(truth.map(truthRow));
    const day = sim.truth.day({ database, site, day: DAY });
    expect(rows.filter((t) => t.transactionStatus === 'Completed').length).toBe(day.completed);
  });

  it('scopes by the site header as by site=, page after page', async () => {
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { siteCode: 'PLAINFIELD', fetch });
    const rows = await client.transactions.listV2({ ...dayWindow(sim, 'PLAINFIELD'), limit: 40 }).toArray();
    expect(rows.map(row)).toEqual(sim.truth.transactions({ database: 'washu', site: 'PLAINFIELD', day: DAY }).map(truthRow));
    expect(exchanges.map((e) => Number(e.query.get('offset')))).toEqual(exchanges.map((_, i) => i + 1));
    // `total` is sent here, so the paginator stops at it rather than asking for an empty page.
    expect(exchanges.length).toBe(Math.max(1, Math.ceil(rows.length / 40)));
  });

  it('covers 35 days across the DST change with the SDK\'s 31-day chunks, each accepted by the simulator', async () => {
    const zone = sim.truth.timezoneOf('washu', 'ROMEOVILLE');
    const chunks = transactionListChunks('2026-02-04', DAY, zone, NOW);
    expect(chunks.length).toBe(2);
    const client = clientFor(sim, 'washu');
    const rows: TransactionListItemV2[] = [];
    for (const c of chunks) rows.push(...(await client.transactions.listV2({ startDate: c.startDate, endDate: c.endDate, site: 'ROMEOVILLE' }).toArray()));
    const truth = sim.truth.days({ database: 'washu', site: 'ROMEOVILLE', from: '2026-02-04', to: DAY });
    expect(truth).toHaveLength(34);
    expect(rows.length).toBe(truth.reduce((n, d) => n + d.transactionCount, 0));
    expect(new Set(rows.map((t) => t.transId)).size).toBe(rows.length);
    const revenue = rows
      .filter((t) => t.transactionStatus === 'Completed' && !t.isRecurringPlanRedemption)
      .reduce((n, t) => n + cents(t.total), 0);
    expect(revenue).toBe(truth.reduce((n, d) => n + d.revenueCents, 0));
  });

  it('runs load-jobs over a 25-hour day in the SDK\'s two chunks and gets the whole day', async () => {
    // 2025-11-02: Chicago falls back, so the local day is 25 hours and one job (≤ 24 h) cannot hold it.
    const day = '2025-11-02';
    const zone = sim.truth.timezoneOf('washu', 'JOLIET');
    const chunks = loadJobChunks(day, day, zone, NOW);
    expect(chunks).toHaveLength(2);
    const client = clientFor(sim, 'washu');
    const ids: string[] = [];
    for (const c of chunks) {
      const rows = await client.transactions.runLoadJob({ startDate: c.startDate, endDate: c.endDate, site: 'JOLIET' }, { pollIntervalMs: 10 }).toArray();
      ids.push(...rows.map((t) => t.id));
    }
    expect(ids).toEqual(sim.truth.transactions({ database: 'washu', site: 'JOLIET', day }).map((t) => t.transId));
  });
});

describe('listV2 when production sends `total: null`', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ faults: { nullTotalRate: 1 } });
  });
  afterAll(() => sim.close());

  it('ends on the short page and yields every row', async () => {
    const { fetch, exchanges } = recordingFetch();
    const rows = await clientFor(sim, 'washu', { fetch }).transactions.listV2({ ...dayWindow(sim, 'JOLIET'), site: 'JOLIET', limit: 30 }).toArray();
    expect(rows.map(row)).toEqual(sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: DAY }).map(truthRow));
    expect(exchanges).toHaveLength(Math.floor(rows.length / 30) + 1);
  });

  it('ends on the empty page after one that is full when the rows fill their pages exactly', async () => {
    const truth = sim.truth.transactions({ database: 'washu', site: 'SHOREWOOD', day: DAY });
    // The largest page size up to 100 that divides the day's count (1 in the worst case: a prime count).
    const limit = [...Array(100).keys()].map((i) => 100 - i).find((n) => truth.length % n === 0)!;
    expect(truth.length % limit).toBe(0);
    const { fetch, exchanges } = recordingFetch();
    const pages = [];
    for await (const page of clientFor(sim, 'washu', { fetch }).transactions.listV2({ ...dayWindow(sim, 'SHOREWOOD'), site: 'SHOREWOOD', limit }).pages()) {
      pages.push(page);
    }
    expect(pages.every((p) => p.total === null)).toBe(true);
    expect(pages.at(-1)!.items).toEqual([]);
    expect(pages.flatMap((p) => p.items).map(row)).toEqual(truth.map(truthRow));
    expect(exchanges).toHaveLength(truth.length / limit + 1);
  });
});
