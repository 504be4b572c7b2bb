/**
 * The CSV routes under load (issue 13): at most 2 exports per person and 4 in all stream at once;
 * the next gets a 429 with a sentence, and a slot comes back when its download ends or is dropped.
 * On both dialects: on Postgres each download streams from a snapshot on a pooled connection of its own.
 */
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Outside Next's request scope, `headers()` (the report context reads the session from it) is the
// current test request's headers.
const current = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => current.headers }));
import { GET as dailyCsv } from '@/app/api/reports/daily/route';
import { GET as transactionsCsv } from '@/app/api/reports/transactions/route';
import { resetAuth } from '@/lib/auth/config';
import { resetConfig } from '@/lib/env';
import { DIALECTS } from '@/tests/support/postgres';
import { createFixtureOn, type DialectFixture } from '../queries/support/dialects';
import { makeUser, requestHeaders, signIn } from '../auth/support';

describe.each(DIALECTS)('CSV routes on %s', (dialect) => {
  let fixture: DialectFixture;
  /** Each person's session cookie: the per-person limit counts signed-in people (issue 12). */
  const cookies = new Map<string, string>();
  beforeAll(async () => {
    fixture = await createFixtureOn(dialect, 'exports');
    resetAuth();
    process.env.DATABASE_URL = fixture.url;
    resetConfig();
    for (const who of ['ann', 'bob', 'cat', 'dan', 'eve', 'fay']) {
      await makeUser(`${who}@example.com`, 'owner');
      cookies.set(who, await signIn(`${who}@example.com`));
    }
  });
  afterAll(async () => {
    await fixture.close();
    resetAuth();
    resetConfig();
  });

  // Everyone behind one address (an office): the limit is per person, not per address.
  const request = (who: string, query = 'from=2026-09-20&to=2026-11-22') => {
    current.headers = requestHeaders('10.0.0.1', cookies.get(who));
    return new NextRequest(`http://localhost/api/reports/transactions?${query}`, { headers: current.headers });
  };

  describe('CSV export slots', () => {
    it('streams 2 per person and 4 in all, answers 429 beyond, and frees a slot when a download ends or is dropped', async () => {
      const a1 = await transactionsCsv(request('ann'));
      const a2 = await transactionsCsv(request('ann'));
      expect([a1.status, a2.status]).toEqual([200, 200]);
      const a3 = await transactionsCsv(request('ann'));
      expect(a3.status).toBe(429);
      expect(a3.headers.get('retry-after')).toBe('30');
      expect(await a3.text()).toBe('You already have 2 downloads running; wait for one to finish, then try again.\n');

      const b1 = await transactionsCsv(request('bob'));
      const c1 = await dailyCsv(request('cat'));
      expect([b1.status, c1.status]).toEqual([200, 200]);
      const d1 = await transactionsCsv(request('dan'));
      expect(d1.status).toBe(429);
      expect(await d1.text()).toMatch(/^Washboard is already preparing 4 downloads, its limit; try again in a minute\.\n$/);

      // A bad filter is answered before any slot is taken (400, not 429).
      expect((await transactionsCsv(request('dan', 'from=2026-13-01&to=2026-11-22'))).status).toBe(400);

      // One download read to the end: its slot is free again.
      const csv = await a1.text();
      expect(csv.split('\r\n')[0]).toBe('date,local_time,database,site_code,site_name,trans_id,trans_number,status,total,is_membership_sale,is_redemption,customer_id,is_wash,is_new_membership');
      expect(csv.split('\r\n').length - 2).toBe(fixture.rows.length);
      const d2 = await transactionsCsv(request('dan'));
      expect(d2.status).toBe(200);

      // One dropped by its client (cancelled): its slot is free again too.
      await b1.body!.cancel();
      const e1 = await transactionsCsv(request('eve'));
      expect(e1.status).toBe(200);
      expect((await transactionsCsv(request('fay'))).status).toBe(429);

      for (const r of [a2, c1, d2, e1]) await r.body!.cancel();
      const last = await transactionsCsv(request('fay'));
      expect(last.status).toBe(200);
      await last.body!.cancel();
    });
  });
});
