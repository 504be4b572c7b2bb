/** Every non-transaction endpoint: right method, path and query, and the unwrapped result. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SonnysClient } from '@/lib/sonnys/client';
import { type TestServer, startServer } from '../helpers/server';

const recurringDetail = {
  id: '1:1', isOnTrial: false, trialAmount: '0', billingSiteCode: 'MAIN', creationSiteCode: 'MAIN', nextBillDate: '2024-01-01',
  tags: [], vehicles: [], lastBillDate: null, billingAmount: null, isSuspended: false, suspendedUntil: null,
  currentRecurringStatusName: 'Active', planName: 'Gold', customer: null, recurringStatuses: [], recurringBillings: [], additionalTagPrice: null,
};

const routes: Record<string, unknown> = {
  '/v1/item': { data: { items: [], offset: 1, limit: 100, total: 0 } },
  '/v1/site/list': { data: { sites: [] } },
  '/v1/customer': { data: { customers: [], total: null } },
  '/v1/customer/876:999': {
    data: { id: '876:999', number: '1', firstName: 'A', lastName: 'B', address: null, phone: '', email: null, birthDate: null, isActive: true, allowSms: false, modifyDate: 'd' },
  },
  '/v1/employee': { data: { employees: [{ firstName: 'A', lastName: 'B', employeeId: 7 }], offset: 1, limit: 100, total: 1 } },
  '/v1/employee/7': { data: { employeeId: 7, firstName: 'A', lastName: 'B', active: true, startDate: '2020-01-01' } },
  '/v1/employee/7/clock-entries': { data: { weeks: [] } },
  '/v1/giftcard-liablilty': { data: { giftcards: [], total: 0 } },
  '/v1/washbook/account/list': { data: { accounts: [], total: 0 } },
  '/v1/washbook/account/5:5/detail': { data: { id: '5:5', name: 'Book', balance: '5.00', customer: null, status: 'Active', recurringInfo: null, tags: [], vehicles: [] } },
  '/v1/recurring/account/list': { data: { accounts: [], total: 0 } },
  '/v1/recurring/account/status-list': { data: { accounts: [], total: 0 } },
  '/v1/recurring/account/modifications': { data: { accounts: [], total: 0 } },
  '/v1/recurring/account/1:1/detail': { data: recurringDetail },
  '/v1/recurring/account/details/list': { data: { accounts: [recurringDetail], total: 1 } },
  '/v1/sales-outcome/list': { data: { sales: [], total: 0 } },
};

let server: TestServer;
let client: SonnysClient;
beforeAll(async () => {
  server = await startServer((req) => (req.path in routes ? { body: routes[req.path] } : { status: 404, body: { type: 'EntityNotFoundError' } }));
  client = new SonnysClient({ apiId: 'id', apiKey: 'key-abcdef', baseUrl: server.baseUrl });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const last = () => {
  const r = server.requests.at(-1);
  if (!r) throw new Error('no request');
  return { method: r.method, path: r.path, query: Object.fromEntries(r.query) };
};

describe('endpoints', () => {
  it('items.list', async () => {
    await client.items.list({ departmentName: 'Recurring_Plan' }).toArray();
    expect(last()).toEqual({ method: 'GET', path: '/v1/item', query: { departmentName: 'Recurring_Plan', limit: '100', offset: '1' } });
  });

  it('sites.list is not paginated', async () => {
    await expect(client.sites.list()).resolves.toEqual([]);
    expect(last()).toEqual({ method: 'GET', path: '/v1/site/list', query: {} });
  });

  it('customers.list and retrieve', async () => {
    await client.customers.list({ status: 'active', startDate: '2025-01-01', endDate: '2025-01-31', phoneNumber: '2134567890' }).toArray();
    expect(last().query).toEqual({ status: 'active', startDate: '2025-01-01', endDate: '2025-01-31', phoneNumber: '2134567890', limit: '100', offset: '1' });
    const c = await client.customers.retrieve('876:999');
    expect(c.phone).toBeNull();
    expect(last().path).toBe('/v1/customer/876:999');
  });

  it('employees.list, retrieve and clockEntries (YYYY-MM-DD dates)', async () => {
    expect(await client.employees.list().toArray()).toEqual([{ firstName: 'A', lastName: 'B', employeeId: 7 }]);
    expect((await client.employees.retrieve(7)).active).toBe(true);
    await expect(client.employees.clockEntries(7, { startDate: '2024-01-01', endDate: '2024-01-14' })).resolves.toEqual({ weeks: [] });
    expect(last()).toEqual({ method: 'GET', path: '/v1/employee/7/clock-entries', query: { startDate: '2024-01-01', endDate: '2024-01-14' } });
  });

  it('employees.listClockEntries walks 14-day windows and filters by site', async () => {
    const entry = (siteCode: string) => ({
      clockIn: 'a', clockOut: null, regularRate: 10, regularHours: 1, overtimeEligible: false, overtimeRate: 15, overtimeHours: 0,
      wasModified: false, modificationTimestamp: null, wasCreatedInBackOffice: false, siteCode,
    });
    const saved = routes['/v1/employee/7/clock-entries'];
    routes['/v1/employee/7/clock-entries'] = { data: { weeks: [{ week: 'w', weekTotalRegularHours: 2, weekTotalOverTimeHours: 0, clockEntries: [entry('MAIN'), entry('OTHER')] }] } };
    try {
      const entries = await client.employees.listClockEntries(7, { firstDay: '2024-01-01', lastDay: '2024-01-31', siteCode: 'MAIN' });
      expect(entries).toHaveLength(3);
      expect(entries.every((e) => e.siteCode === 'MAIN')).toBe(true);
      expect(server.requests.map((r) => [r.query.get('startDate'), r.query.get('endDate')])).toEqual([
        ['2024-01-01', '2024-01-14'],
        ['2024-01-15', '2024-01-28'],
        ['2024-01-29', '2024-01-31'],
      ]);
    } finally {
      routes['/v1/employee/7/clock-entries'] = saved;
    }
  });

  it('giftcards.list uses the misspelt real path', async () => {
    await client.giftcards.list({ prepaidNumber: 'AB12', site: 'MAIN', startDate: 1, endDate: 2 }).toArray();
    expect(last()).toEqual({ method: 'GET', path: '/v1/giftcard-liablilty', query: { prepaidNumber: 'AB12', site: 'MAIN', startDate: '1', endDate: '2', limit: '100', offset: '1' } });
  });

  it('washbooks.list and retrieve', async () => {
    await client.washbooks.list({ accountStatus: 'inactive', customerId: '1:2', itemId: '3:4' }).toArray();
    expect(last().query).toEqual({ accountStatus: 'inactive', customerId: '1:2', itemId: '3:4', limit: '100', offset: '1' });
    expect((await client.washbooks.retrieve('5:5')).balance).toBe(5);
    expect(last().path).toBe('/v1/washbook/account/5:5/detail');
  });

  it('recurring: list, statusList (page size 1000), modifications (sites joined), retrieve, detailsList', async () => {
    await client.recurring.list({ recurringAccountStatus: 7 }).toArray();
    expect(last()).toMatchObject({ path: '/v1/recurring/account/list', query: { recurringAccountStatus: '7', limit: '100', offset: '1' } });
    await client.recurring.statusList({ startDate: 1, endDate: 2 }).toArray();
    expect(last()).toMatchObject({ path: '/v1/recurring/account/status-list', query: { limit: '1000', offset: '1' } });
    await client.recurring.modifications({ modifications: 3, sites: ['MAIN', 'CDI001'] }).toArray();
    expect(last()).toMatchObject({ path: '/v1/recurring/account/modifications', query: { modifications: '3', sites: 'MAIN,CDI001' } });
    expect((await client.recurring.retrieve('1:1')).planName).toBe('Gold');
    expect(await client.recurring.detailsList().toArray()).toHaveLength(1);
    expect(last().path).toBe('/v1/recurring/account/details/list');
  });

  it('salesOutcomes.list pages by 500', async () => {
    await client.salesOutcomes.list({ startDate: '2025-01-01' }).toArray();
    expect(last()).toEqual({ method: 'GET', path: '/v1/sales-outcome/list', query: { startDate: '2025-01-01', limit: '500', offset: '1' } });
  });
});
