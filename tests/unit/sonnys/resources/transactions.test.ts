import { afterEach, describe, expect, it } from 'vitest';
import { SonnysClient, type ClientOptions } from '@/lib/sonnys/client';
import { LoadJobError, SonnysError } from '@/lib/sonnys/core/errors';
import { type Handler, type RecordedRequest, type TestServer, recordingLimiter, recordingSleep, startServer } from '../helpers/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tx(n: number) {
  return {
    id: `${n}:1`, number: n, type: 'Sale', completeDate: '2024-05-01T12:00:00.000Z', locationCode: 'MAIN', salesDeviceName: 'POS1',
    total: '10.00', tenders: [], items: [], customerName: '', customerId: '', vehicleLicensePlate: '', employeeCashier: '', employeeGreeter: '',
    discount: [], isRecurringPayment: false, isRecurringRedemption: false, isRecurringSale: false, isPrepaidRedemption: false, isPrepaidSale: false,
  };
}

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startServer(handler);
  const sleep = recordingSleep();
  const client = new SonnysClient({ apiId: 'id', apiKey: 'key-abcdef', baseUrl: server.baseUrl, retry: { sleep: sleep.sleep }, ...options });
  return { client, server, sleep };
}

/**
 * A minimal load-job server: each (page) submission gets a hash; a hash reports `working`
 * `workingPolls` times, then `pass` with that page of `size` records. Hashes in `expired` 404 once.
 */
function jobServer(size: number, opts: { workingPolls?: number; expireFirstHashOfPage?: number; failPage?: number; total?: 'null' } = {}) {
  const polls = new Map<string, number>();
  let submissions = 0;
  const expired = new Set<string>();
  const handler: Handler = (req: RecordedRequest) => {
    if (req.path === '/v1/transaction/load-job') {
      submissions++;
      const page = Number(req.query.get('offset'));
      const hash = `h${page}-${submissions}`;
      if (opts.expireFirstHashOfPage === page && ![...expired].some((h) => h.startsWith(`h${page}-`))) expired.add(hash);
      return { body: { data: { hash } } };
    }
    if (req.path === '/v1/transaction/get-job-data') {
      const hash = req.query.get('hash') ?? '';
      if (expired.has(hash)) return { status: 404, body: { type: 'EntityNotFoundError', message: 'hash expired' } };
      const page = Number(hash.slice(1, hash.indexOf('-')));
      const n = (polls.get(hash) ?? 0) + 1;
      polls.set(hash, n);
      if (opts.failPage === page) return { body: { data: { hash, status: 'fail', data: [], total: null } } };
      if (n <= (opts.workingPolls ?? 0)) return { body: { data: { hash, status: 'working', data: null, offset: page, limit: 100, total: null } } };
      const start = (page - 1) * 100;
      const data = Array.from({ length: Math.max(0, Math.min(100, size - start)) }, (_, i) => tx(start + i));
      return { body: { data: { hash, status: 'pass', data, offset: page, limit: 100, total: opts.total === 'null' ? null : size } } };
    }
    return { status: 404, body: { type: 'EntityNotFoundError' } };
  };
  return { handler };
}

describe('transactions.loadJob / getJobData', () => {
  it('POSTs load-job with query parameters, limit 100, offset as page, site from the client', async () => {
    const { client, server } = await setup(() => ({ body: { data: { hash: '1aabac6d068eef6a7bad3fdf50a05cc8' } } }), { siteCode: 'MAIN' });
    await expect(client.transactions.loadJob({ startDate: 100, endDate: 200, page: 3 })).resolves.toEqual({ hash: '1aabac6d068eef6a7bad3fdf50a05cc8' });
    const req = server.requests[0];
    expect(req?.method).toBe('POST');
    expect(Object.fromEntries(req?.query ?? [])).toEqual({ startDate: '100', endDate: '200', site: 'MAIN', limit: '100', offset: '3' });
  });

  it('refuses to submit without any site (multi-site keys would get a 422)', async () => {
    const { client, server } = await setup(() => ({ body: {} }));
    await expect(client.transactions.loadJob({ startDate: 1, endDate: 2 })).rejects.toBeInstanceOf(SonnysError);
    expect(() => client.transactions.runLoadJob({ startDate: 1, endDate: 2 })).toThrow(SonnysError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('transactions.runLoadJob', () => {
  it('submits, polls through working until pass, one job per page, every request through the limiter', async () => {
    const rl = recordingLimiter();
    const job = jobServer(150, { workingPolls: 2 });
    const { client, server, sleep } = await setup(job.handler, { rateLimiter: rl.limiter });
    const pages = [];
    for await (const p of client.transactions.runLoadJob({ startDate: 100, endDate: 200, site: 'MAIN' }, { pollIntervalMs: 1234 }).pages()) {
      pages.push({ page: p.page, n: p.items.length, total: p.total, first: p.items[0]?.number });
    }
    expect(pages).toEqual([
      { page: 1, n: 100, total: 150, first: 0 },
      { page: 2, n: 50, total: 150, first: 100 },
    ]);
    const calls = server.requests.map((r) => `${r.method} ${r.path.replace('/v1/transaction/', '')}${r.query.get('offset') ? `#${r.query.get('offset')}` : ''}`);
    expect(calls).toEqual([
      'POST load-job#1', 'GET get-job-data', 'GET get-job-data', 'GET get-job-data',
      'POST load-job#2', 'GET get-job-data', 'GET get-job-data', 'GET get-job-data',
    ]);
    for (const r of server.requests.filter((q) => q.method === 'POST')) expect(r.query.get('site')).toBe('MAIN');
    expect(rl.releases).toHaveLength(server.requests.length);
    expect(sleep.delays).toEqual([1234, 1234, 1234, 1234]);
  });

  it('parses job items: "" sentinels to null, money to numbers', async () => {
    const { client } = await setup(jobServer(3).handler);
    const items = await client.transactions.runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN' }).toArray();
    expect(items.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(items[0]).toMatchObject({ total: 10, customerId: null, customerName: null });
  });

  it('resubmits a page whose hash expired (404) and carries on', async () => {
    const { client, server } = await setup(jobServer(120, { expireFirstHashOfPage: 2 }).handler);
    const items = await client.transactions.runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN' }).toArray();
    expect(items).toHaveLength(120);
    const posts = server.requests.filter((r) => r.method === 'POST').map((r) => r.query.get('offset'));
    expect(posts).toEqual(['1', '2', '2']);
  });

  it('gives up with LoadJobError(expired) when hashes keep expiring', async () => {
    const { client } = await setup((req) =>
      req.method === 'POST' ? { body: { data: { hash: 'h' } } } : { status: 404, body: { type: 'EntityNotFoundError' } },
    );
    const err = await client.transactions.runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN' }, { maxResubmits: 1 }).toArray().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadJobError);
    expect((err as LoadJobError).reason).toBe('expired');
    expect((err as LoadJobError).page).toBe(1);
  });

  it('throws LoadJobError(failed) when the server reports fail', async () => {
    const { client } = await setup(jobServer(150, { failPage: 2 }).handler);
    const seen: number[] = [];
    const err = await (async () => {
      for await (const p of client.transactions.runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN' }).pages()) seen.push(p.page);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    expect(err).toBeInstanceOf(LoadJobError);
    expect((err as LoadJobError).reason).toBe('failed');
  });

  it('times out a page that never passes', async () => {
    const { client } = await setup(jobServer(10, { workingPolls: 1_000_000 }).handler, { retry: {} });
    const err = await client.transactions
      .runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN' }, { pollIntervalMs: 5, pageTimeoutMs: 60 })
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadJobError);
    expect((err as LoadJobError).reason).toBe('timeout');
  });

  it('ends on a short page when total is null, and resumes at startPage', async () => {
    const { client, server } = await setup(jobServer(250, { total: 'null' }).handler);
    const pages = [];
    for await (const p of client.transactions.runLoadJob({ startDate: 1, endDate: 2, site: 'MAIN', startPage: 2 }).pages()) pages.push([p.page, p.items.length]);
    expect(pages).toEqual([[2, 100], [3, 50]]);
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.query.get('offset'))).toEqual(['2', '3']);
  });
});

describe('transactions list endpoints', () => {
  it('list, listByType and retrieve hit the spec paths', async () => {
    const { client, server } = await setup((req) => {
      if (req.path.startsWith('/v1/transaction/876')) return { body: { data: tx(5) } };
      return { body: { data: { transactions: [], offset: 1, limit: 100, total: 0 } } };
    });
    await client.transactions.list({ startDate: 1, endDate: 2, region: 'NORTH' }).toArray();
    await client.transactions.listByType('prepaid-wash', { site: 'MAIN' }).toArray();
    const t = await client.transactions.retrieve('876:1001');
    expect(t.number).toBe(5);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/transaction', '/v1/transaction/type/prepaid-wash', '/v1/transaction/876:1001']);
    expect(server.requests[0]?.query.get('region')).toBe('NORTH');
  });
});
