import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorld } from '@/lib/simulator/index';
import { harness, type Harness } from './helpers';

describe('sandbox test values (FACTS §1.7)', () => {
  let h: Harness;
  beforeAll(async () => {
    const [washu, icon] = defaultWorld().databases;
    // Enabled per database: WashU plays the sandbox, Icon stays production-like.
    h = await harness({ databases: [{ ...washu!, sandbox: true }, icon!] });
  });
  afterAll(() => h.sim.close());

  const listed = ['/item', '/transaction', '/transaction/type/wash', '/transaction/version-2', '/transaction/20000001:1', '/customer', '/employee', '/employee/101/clock-entries', '/giftcard-liablilty', '/recurring/account/list', '/recurring/account/modifications', '/recurring/account/details/list', '/washbook/account/list', '/site/list'];

  it.each(listed)('%s: INVALID, ABC and DEF site headers', async (path) => {
    expect((await h.call(path, { site: 'INVALID' })).body.type).toBe('BadSiteCredentialsError');
    expect((await h.call(path, { site: 'ABC' })).body.type).toBe('NotAuthorizedSiteCredentialsError');
    const def = await h.call(path, { site: 'DEF' });
    expect(def.status).toBe(403);
    expect(def.body.type).toBe('NotAuthorizedSiteArgsError');
  });

  it('does not apply the magic to a production-like database', async () => {
    expect((await h.call('/site/list', { db: 'icon', site: 'ABC' })).body.type).toBe('BadSiteCredentialsError');
    expect((await h.call('/transaction/999:999', { db: 'icon' })).status).toBe(404);
    expect((await h.call('/employee/1', { db: 'icon' })).status).toBe(404);
  });

  it('site=invalid and region=invalid are not found', async () => {
    for (const p of ['/transaction', '/transaction/type/wash', '/transaction/version-2']) {
      const s = await h.call(`${p}?site=invalid`);
      expect(s.status).toBe(404);
      expect(s.body).toEqual({ type: 'EntityNotFoundError', message: 'Site code not found.' });
      const r = await h.call(`${p}?region=invalid`);
      expect(r.body).toEqual({ type: 'EntityNotFoundError', message: 'Region code not found.' });
    }
    expect((await h.call('/transaction/get-job-data?hash=abc&site=invalid')).body.message).toBe('Site code not found.');
  });

  it('999:999 transactions and customers, employee 1 and 2 are not found', async () => {
    expect((await h.call('/transaction/999:999')).body.type).toBe('EntityNotFoundError');
    expect((await h.call('/customer/999:999')).status).toBe(404);
    expect((await h.call('/employee/1')).status).toBe(404);
    expect((await h.call('/employee/2/clock-entries')).status).toBe(404);
    expect((await h.call('/employee/2')).status).toBe(404); // not a real employee either
  });

  it('picks the tender from the last digit before the colon', async () => {
    const tender = async (id: string) => (await h.call(`/transaction/${id}`)).body.data.tenders[0];
    expect((await tender('4978:999')).tender).toBe('Cash');
    expect(['Visa', 'MasterCard', 'Discover', 'Amex']).toContain((await tender('5320:999')).tenderSubType);
    expect((await tender('4292:999')).tenderSubType).toBe('RFID Recurring');
    expect((await tender('11:999')).tenderSubType).toBe('RFID');
    expect((await tender('13:999')).tenderSubType).toBe('LPR');
    expect((await tender('14:999')).tenderSubType).toBe('Giftcard');
    expect((await tender('15:999')).tenderSubType).toBe('House Account RFID');
    expect((await tender('16:999')).tender).toBe('Prepaid Wash');
    expect((await tender('18:999')).tender).toBe('Cash');
  });

  it('can be enabled globally', async () => {
    const g = await harness({ sandbox: true });
    try {
      expect((await g.call('/site/list', { db: 'icon', site: 'INVALID' })).body.type).toBe('BadSiteCredentialsError');
      expect((await g.call('/employee/1', { db: 'icon' })).status).toBe(404);
    } finally {
      await g.sim.close();
    }
  });
});
