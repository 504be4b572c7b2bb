import { afterEach, describe, expect, it } from 'vitest';
import { PaginationError } from '@/lib/sonnys/core/errors';
import { Paginator } from '@/lib/sonnys/core/pagination';
import { SonnysClient } from '@/lib/sonnys/client';
import { type TestServer, listBody, startServer } from '../helpers/server';

/** A fake server-side collection of `size` records, paged by 1-based page number. */
function pagedSource(size: number, opts: { total?: 'exact' | 'null' } = {}) {
  const calls: Array<{ page: number; limit: number }> = [];
  const fetchPage = async (page: number, limit: number) => {
    calls.push({ page, limit });
    const start = (page - 1) * limit;
    const items = Array.from({ length: Math.max(0, Math.min(limit, size - start)) }, (_, i) => start + i);
    return { items, total: opts.total === 'null' ? null : size };
  };
  return { calls, fetchPage };
}

describe('Paginator', () => {
  it('with a null total, stops on the first short page', async () => {
    const src = pagedSource(250, { total: 'null' });
    const items = await new Paginator(src.fetchPage, { limit: 100 }).toArray();
    expect(items).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(src.calls.map((c) => c.page)).toEqual([1, 2, 3]);
  });

  it('with an exact multiple and a known total, stops without asking for an empty page', async () => {
    const src = pagedSource(200);
    const pages = [];
    for await (const p of new Paginator(src.fetchPage, { limit: 100 }).pages()) pages.push(p);
    expect(pages.map((p) => [p.page, p.items.length, p.total])).toEqual([[1, 100, 200], [2, 100, 200]]);
    expect(src.calls).toHaveLength(2);
  });

  it('with an exact multiple and a null total, needs one empty page to know it is done', async () => {
    const src = pagedSource(200, { total: 'null' });
    const pages = [];
    for await (const p of new Paginator(src.fetchPage, { limit: 100 }).pages()) pages.push(p);
    expect(pages.map((p) => p.items.length)).toEqual([100, 100, 0]);
  });

  it('yields one empty page for an empty list', async () => {
    const src = pagedSource(0);
    const pages = [];
    for await (const p of new Paginator(src.fetchPage, { limit: 100 }).pages()) pages.push(p);
    expect(pages).toEqual([{ items: [], page: 1, limit: 100, total: 0 }]);
  });

  it('keeps going with a caller limit below 100 (the Python SDK stopped after one page)', async () => {
    const src = pagedSource(120, { total: 'null' });
    const items = await new Paginator(src.fetchPage, { limit: 50 }).toArray();
    expect(items).toHaveLength(120);
    expect(src.calls).toEqual([{ page: 1, limit: 50 }, { page: 2, limit: 50 }, { page: 3, limit: 50 }]);
  });

  it('resumes at startPage and counts earlier pages toward total', async () => {
    const src = pagedSource(300);
    const pages = [];
    for await (const p of new Paginator(src.fetchPage, { limit: 100, startPage: 2 }).pages()) pages.push(p.page);
    expect(pages).toEqual([2, 3]);
    expect(src.calls[0]?.page).toBe(2);
  });

  it('stops when total is reached even if the server keeps sending full pages', async () => {
    let calls = 0;
    const items = await new Paginator(async () => {
      calls++;
      return { items: Array.from({ length: 10 }, () => 'x'), total: 25 };
    }, { limit: 10 }).toArray();
    expect(calls).toBe(3);
    expect(items).toHaveLength(30);
  });

  it('never loops forever when the server ignores offset and total is null', async () => {
    let calls = 0;
    const p = new Paginator(async () => {
      calls++;
      return { items: Array.from({ length: 100 }, (_, i) => i), total: null };
    }, { limit: 100, maxPages: 5 });
    await expect(p.toArray()).rejects.toBeInstanceOf(PaginationError);
    expect(calls).toBe(5);
  });

  it('treats a page longer than the limit as the whole list (server ignored paging)', async () => {
    let calls = 0;
    const items = await new Paginator(async () => {
      calls++;
      return { items: Array.from({ length: 250 }, (_, i) => i), total: null };
    }, { limit: 100 }).toArray();
    expect(calls).toBe(1);
    expect(items).toHaveLength(250);
  });

  it('rejects nonsense limits and start pages', () => {
    const f = async () => ({ items: [], total: null });
    expect(() => new Paginator(f, { limit: 0 })).toThrow(RangeError);
    expect(() => new Paginator(f, { limit: 10, startPage: 0 })).toThrow(RangeError);
  });
});

describe('listV2 over HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it('sends offset as a 1-based page number with limit 100 and iterates every record', async () => {
    const all = Array.from({ length: 230 }, (_, i) => ({
      transNumber: i,
      transId: `${i}:1`,
      total: '7.99',
      date: '2024-05-01T12:00:00.000Z',
      customerId: '',
      isRecurringPlanSale: false,
      isRecurringPlanRedemption: false,
      transactionStatus: 'Completed',
    }));
    server = await startServer((req) => {
      const page = Number(req.query.get('offset'));
      const limit = Number(req.query.get('limit'));
      return { body: listBody('transactions', all.slice((page - 1) * limit, page * limit), null, page, limit) };
    });
    const client = new SonnysClient({ apiId: 'id', apiKey: 'key-123456', baseUrl: server.baseUrl });
    const seen: number[] = [];
    for await (const t of client.transactions.listV2({ startDate: 1714521600, endDate: 1714607999, site: 'MAIN' })) {
      seen.push(t.transNumber);
      expect(t.total).toBe(7.99);
      expect(t.customerId).toBeNull();
    }
    expect(seen).toEqual(all.map((t) => t.transNumber));
    expect(server.requests.map((r) => r.query.get('offset'))).toEqual(['1', '2', '3']);
    for (const r of server.requests) {
      expect(r.path).toBe('/v1/transaction/version-2');
      expect(r.query.get('limit')).toBe('100');
      expect(r.query.get('site')).toBe('MAIN');
      expect(r.query.get('startDate')).toBe('1714521600');
      expect(r.query.get('endDate')).toBe('1714607999');
      expect(r.query.has('startPage')).toBe(false);
    }
  });

  it('pages() yields page numbers and totals and can start at a later page', async () => {
    server = await startServer((req) => {
      const page = Number(req.query.get('offset'));
      const items = page < 4 ? Array.from({ length: 100 }, (_, i) => ({ transNumber: i, transId: '1:1', total: 1, date: 'd' })) : [];
      return { body: listBody('transactions', items, 300, page) };
    });
    const client = new SonnysClient({ apiId: 'id', apiKey: 'key-123456', baseUrl: server.baseUrl });
    const pages = [];
    for await (const p of client.transactions.list({ startPage: 2 }).pages()) pages.push([p.page, p.items.length, p.total]);
    expect(pages).toEqual([[2, 100, 300], [3, 100, 300]]);
  });
});
