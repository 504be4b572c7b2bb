/**
 * Every endpoint of the spec through its SDK method against the simulator: the SDK's schemas
 * accept what the simulator sends (a mismatch throws ResponseValidationError), the results are not
 * empty where the demo world has data, and they agree with the simulator's truth. Then the same
 * calls again under the wire variants and with `total: null`: the SDK's output must not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SonnysClient } from '@/lib/sonnys';
import type { Simulator, SimulatorOptions } from '@/lib/simulator';
import { DAY, NOW, cents, clientFor, dayWindow, sec, simulator } from './helpers';

const SITE = 'JOLIET';
/** A few days back from NOW: enough accounts, cards and sales to page through, cheap to build. */
const FROM = sec(NOW) - 4 * 86_400;
const TO = sec(NOW);
const JOB = { pollIntervalMs: 10 };

/** Everything every endpoint returned, as the SDK hands it to callers. */
async function everyEndpoint(sim: Simulator, client: SonnysClient, limit?: number) {
  const paged = limit === undefined ? {} : { limit };
  const day = dayWindow(sim, SITE);
  const sites = await client.sites.list();
  const items = await client.items.list(paged).toArray();
  const v1 = await client.transactions.list({ ...day, site: SITE, ...paged }).toArray();
  const washes = await client.transactions.listByType('wash', { ...day, site: SITE, ...paged }).toArray();
  const v2 = await client.transactions.listV2({ ...day, site: SITE, ...paged }).toArray();
  const job = await client.transactions.runLoadJob({ ...day, site: SITE }, JOB).toArray();

  // The two load-job calls by hand: one page, polled until it passes.
  const { hash } = await client.transactions.loadJob({ ...day, site: SITE, page: 2 });
  let jobPage = await client.transactions.getJobData(hash);
  for (let polls = 0; jobPage.status !== 'pass' && polls < 200; polls++) {
    await new Promise((r) => setTimeout(r, 10));
    jobPage = await client.transactions.getJobData(hash);
  }

  const discounted = job.find((t) => t.discount.length > 0);
  if (!discounted) throw new Error('no transaction with a discount on the day');
  const detail = await client.transactions.retrieve(discounted.id);

  const customers = await client.customers.list({ startDate: '2026-03-06', ...paged }).toArray();
  const customer = await client.customers.retrieve(customers[0]!.customerId);
  const employees = await client.employees.list(paged).toArray();
  const employee = await client.employees.retrieve(employees[0]!.employeeId);
  const clock = await client.employees.clockEntries(employees[0]!.employeeId, { startDate: '2026-02-25', endDate: '2026-03-10' });
  const giftcards = await client.giftcards.list({ startDate: FROM, endDate: TO, ...paged }).toArray();
  const washbooks = await client.washbooks.list({ startDate: FROM, endDate: TO, ...paged }).toArray();
  const washbook = await client.washbooks.retrieve(washbooks[0]!.id);
  const recurring = await client.recurring.list({ startDate: FROM, endDate: TO, ...paged }).toArray();
  // 100 is the smallest page this list accepts (100–1000). One site: the list scans months of
  // sign-ups per site to find the changes, and one site is enough to exercise it.
  const statuses = await client.recurring
    .statusList({ startDate: FROM, endDate: TO, ...(limit === undefined ? {} : { limit: 100 }) }, { siteCode: SITE })
    .toArray();
  const modifications = await client.recurring.modifications({ startDate: '2026-02-24', endDate: '2026-03-10', ...paged }).toArray();
  const account = await client.recurring.retrieve(recurring[0]!.id);
  const details = await client.recurring.detailsList({ startDate: FROM, endDate: TO, ...paged }).toArray();
  const sales = await client.salesOutcomes.list({ startDate: '2026-03-08', endDate: '2026-03-09', ...paged }).toArray();
  return {
    sites, items, v1, washes, v2, job, jobPage, detail, customers, customer, employees, employee, clock,
    giftcards, washbooks, washbook, recurring, statuses, modifications, account, details, sales,
  };
}

type Results = Awaited<ReturnType<typeof everyEndpoint>>;

describe('every endpoint through the SDK, default wire', () => {
  let sim: Simulator;
  let r: Results;
  beforeAll(async () => {
    sim = await simulator();
    r = await everyEndpoint(sim, clientFor(sim));
  });
  afterAll(() => sim.close());

  it('returns something for every endpoint', () => {
    for (const [name, value] of Object.entries(r)) {
      if (Array.isArray(value)) expect(value.length, name).toBeGreaterThan(0);
    }
    expect(r.jobPage.status).toBe('pass');
    expect(r.clock.weeks.flatMap((w) => w.clockEntries).length).toBeGreaterThan(0);
    expect(r.modifications.flatMap((a) => a.modifications).length).toBeGreaterThan(0);
    expect(r.detail.discount.length).toBeGreaterThan(0);
  });

  it('lists the world\'s sites', () => {
    const world = sim.world.databases.find((d) => d.key === 'washu')!;
    expect(r.sites.map((s) => ({ siteID: s.siteID, code: s.code, name: s.name, timezone: s.timezone }))).toEqual(
      world.sites.map((s) => ({ siteID: s.siteId, code: s.code, name: s.name, timezone: s.timezone })),
    );
  });

  it('agrees with truth on the site-day: v1, v2 and the load-job see the same transactions', () => {
    const truth = sim.truth.transactions({ database: 'washu', site: SITE, day: DAY });
    const byId = new Map(truth.map((t) => [t.transId, t]));
    expect(r.v2.map((t) => t.transId)).toEqual(truth.map((t) => t.transId));
    for (const t of r.v2) {
      const want = byId.get(t.transId)!;
      expect({ status: t.transactionStatus, cents: cents(t.total), sale: t.isRecurringPlanSale, redemption: t.isRecurringPlanRedemption }).toEqual({
        status: want.status, cents: want.totalCents, sale: want.isRecurringPlanSale, redemption: want.isRecurringPlanRedemption,
      });
    }
    expect(r.v1.map((t) => [t.transId, cents(t.total)])).toEqual(truth.map((t) => [t.transId, t.totalCents]));
    expect(r.job.map((t) => [t.id, cents(t.total)])).toEqual(truth.map((t) => [t.transId, t.totalCents]));
    expect(r.job.every((t) => t.locationCode === SITE && t.transactionStatus === undefined)).toBe(true);
    // Washes are a strict subset: prepaid, gift-card and plan sales are not washes (FACTS Q16).
    const ids = new Set(byId.keys());
    expect(r.washes.every((t) => ids.has(t.transId))).toBe(true);
    expect(r.washes.length).toBeLessThan(r.v1.length);
  });

  it('hands out one load-job page by hash, equal to that page of runLoadJob', () => {
    expect(r.jobPage.offset).toBe(2);
    expect(r.jobPage.total).toBe(r.job.length);
    expect(r.jobPage.data).toEqual(r.job.slice(100, 200));
  });

  it('retrieves a transaction equal to its load-job copy, discounts normalised', () => {
    const fromJob = r.job.find((t) => t.id === r.detail.id)!;
    expect(r.detail).toEqual(fromJob);
    expect(r.detail.discount.every((d) => typeof d.discountAmount === 'number')).toBe(true);
  });

  it('retrieves entities found in the lists', () => {
    expect(r.customer.id).toBe(r.customers[0]!.customerId);
    expect(r.employee.employeeId).toBe(r.employees[0]!.employeeId);
    expect(r.washbook.id).toBe(r.washbooks[0]!.id);
    expect(r.account.id).toBe(r.recurring[0]!.id);
    expect(r.details.map((a) => a.id).sort()).toEqual(r.recurring.map((a) => a.id).sort());
    expect(r.details.find((a) => a.id === r.account.id)).toEqual(r.account);
  });

  it('keeps clock entries inside the asked window and the 14-day rule', () => {
    const weeks = r.clock.weeks.map((w) => w.week);
    expect(weeks).toEqual(['2026-02-25 - 2026-03-03', '2026-03-04 - 2026-03-10']);
  });

  describe.each<{ name: string; options: SimulatorOptions; limit?: number; check?: (sim: Simulator) => Promise<void> }>([
    {
      name: 'spec wire keys (discount amount `discount`, modificationType/Date/Comment)',
      options: { wire: { discountAmountKey: 'discount', modificationKeys: 'spec' } },
      check: async (sim) => {
        // The variant really is on the wire, so equal SDK output below means the schema normalised it.
        const db = sim.world.databases[0]!;
        const headers = { 'X-Sonnys-API-ID': db.apiId, 'X-Sonnys-API-Key': db.apiKey };
        const mods = (await (await fetch(`${sim.url}/recurring/account/modifications?startDate=2026-02-24&endDate=2026-03-10`, { headers })).json()) as {
          data: { accounts: { modifications: Record<string, unknown>[] }[] };
        };
        const first = mods.data.accounts.flatMap((a) => a.modifications)[0]!;
        expect(Object.keys(first).sort()).toEqual(['modificationComment', 'modificationDate', 'modificationType']);
      },
    },
    { name: '`total: null` on every list, pages of 25', options: { faults: { nullTotalRate: 1 } }, limit: 25 },
  ])('under $name', ({ options, limit, check }) => {
    let variant: Simulator;
    beforeAll(async () => {
      variant = await simulator(options);
    });
    afterAll(() => variant.close());

    it('validates and returns exactly what the default run returned', async () => {
      await check?.(variant);
      const got = await everyEndpoint(variant, clientFor(variant), limit);
      for (const key of Object.keys(r) as (keyof Results)[]) {
        if (key === 'jobPage') continue;
        expect(got[key], key).toEqual(r[key]);
      }
      expect(got.jobPage.data).toEqual(r.jobPage.data);
      expect(got.jobPage.total).toBe(limit === undefined ? r.jobPage.total : null);
    });
  });
});
