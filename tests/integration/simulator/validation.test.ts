import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, NOW, sec, type Harness } from './helpers';

const DAY = 86_400;

describe('validation rules (422 PayloadValidationError with messages)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());

  async function invalid(path: string, fragment: RegExp, method?: string): Promise<string[]> {
    const r = await h.call(path, { method });
    expect(r.status, `${path}: ${r.text}`).toBe(422);
    expect(r.body.type).toBe('PayloadValidationError');
    expect(r.body.message).toBeUndefined();
    expect(r.body.messages.some((m: string) => fragment.test(m)), JSON.stringify(r.body.messages)).toBe(true);
    return r.body.messages as string[];
  }
  async function ok(path: string, method?: string): Promise<void> {
    const r = await h.call(path, { method });
    expect(r.status, `${path}: ${r.text}`).toBe(200);
  }

  const end = sec(NOW);

  it('bounds limit to 1-100 and offset to >= 1', async () => {
    await invalid('/transaction?limit=0', /^limit:/);
    await invalid('/transaction?limit=101', /^limit:/);
    await invalid('/item?limit=abc', /^limit: must be an integer/);
    await invalid('/customer?offset=0', /^offset:/);
    await ok('/transaction?limit=100&offset=1');
    await ok('/transaction?limit=1&offset=999');
  });

  it('uses 100-1000 on status-list and 1-500 on sales-outcome', async () => {
    await invalid('/recurring/account/status-list?limit=99', /^limit:/);
    await invalid('/recurring/account/status-list?limit=1001', /^limit:/);
    await ok('/recurring/account/status-list?limit=100');
    await invalid('/sales-outcome/list?limit=501', /^limit:/);
    const r = await h.call('/sales-outcome/list');
    expect(r.body.data.limit).toBe(500);
  });

  it('reports every broken parameter at once', async () => {
    const messages = await invalid('/transaction/version-2?limit=0&offset=0&startDate=x', /^limit:/);
    expect(messages.length).toBeGreaterThanOrEqual(3);
  });

  it('caps transaction lists at 31 days', async () => {
    for (const p of ['/transaction', '/transaction/version-2', '/transaction/type/wash']) {
      await ok(`${p}?startDate=${end - 31 * DAY}&endDate=${end}`);
      await invalid(`${p}?startDate=${end - 31 * DAY - 1}&endDate=${end}`, /^endDate: the date range must not exceed 31 days/);
    }
  });

  it('enforces the 6-month horizon, no future end and start <= end', async () => {
    const sixMonths = sec(Date.parse('2025-09-10T05:00:00Z')); // local midnight Chicago, 6 months before
    await ok(`/transaction?startDate=${sixMonths}&endDate=${sixMonths + DAY}`);
    await invalid(`/transaction?startDate=${sixMonths - 1}&endDate=${sixMonths + DAY}`, /^startDate: must not be earlier than 6 months/);
    await invalid(`/transaction?startDate=${end - 100}&endDate=${end + 1}`, /^endDate: must not be in the future/);
    await invalid(`/transaction?startDate=${end}&endDate=${end - 10}`, /^endDate: must be greater than or equal to startDate/);
    await invalid('/transaction?startDate=2026-03-01', /^startDate: must be a Unix timestamp/);
    await invalid(`/giftcard-liablilty?startDate=${sixMonths - 1}&endDate=${sixMonths + DAY}`, /^startDate:/);
  });

  it('load-job: 24 hours, limit=100 and exactly one site', async () => {
    await ok(`/transaction/load-job?startDate=${end - DAY}&endDate=${end}&site=JOLIET&limit=100&offset=1`, 'POST');
    await invalid(`/transaction/load-job?startDate=${end - DAY - 1}&endDate=${end}&site=JOLIET&limit=100`, /^endDate: the date range must not exceed 24 hours/, 'POST');
    await invalid(`/transaction/load-job?startDate=${end - 3600}&endDate=${end}&site=JOLIET&limit=50`, /^limit: must be 100/, 'POST');
    await invalid(`/transaction/load-job?startDate=${end - 3600}&endDate=${end}&site=JOLIET`, /^limit:/, 'POST');
    await invalid(`/transaction/load-job?startDate=${end - 3600}&endDate=${end}&limit=100`, /^site: Only 1 site can be selected\./, 'POST');
    await invalid(`/transaction/load-job?startDate=${end - 3600}&endDate=${end}&limit=100&site=JOLIET,ROMEOVILLE`, /^site: Only 1 site/, 'POST');
    // FACTS Q8: the header alone is not enough for a multi-site key.
    const r = await h.call(`/transaction/load-job?startDate=${end - 3600}&endDate=${end}&limit=100`, { method: 'POST', site: 'JOLIET' });
    expect(r.status).toBe(422);
    await invalid('/transaction/get-job-data', /^hash: is required/);
  });

  it('clock entries: YYYY-MM-DD, at most 14 days counting both ends', async () => {
    await ok('/employee/101/clock-entries?startDate=2026-02-24&endDate=2026-03-09');
    await invalid('/employee/101/clock-entries?startDate=2026-02-23&endDate=2026-03-09', /^endDate: the date range must not exceed 14 days/);
    await invalid('/employee/101/clock-entries?startDate=2026-03-09&endDate=2026-03-01', /^endDate:/);
    await invalid('/employee/101/clock-entries?startDate=03/01/2026', /^startDate:/);
    const r = await h.call('/employee/101/clock-entries');
    expect(r.body.data.weeks.length).toBe(2);
  });

  it('account lists: 6 months (recurring, washbook, modifications) and 1 month (details list)', async () => {
    const start = sec(Date.parse('2025-10-01T05:00:00Z'));
    await ok(`/recurring/account/list?startDate=${start}&endDate=${end}`);
    await invalid(`/recurring/account/list?startDate=${end - 200 * DAY}&endDate=${end}`, /^endDate: the date range must not exceed 6 months/);
    await invalid(`/washbook/account/list?startDate=${end - 200 * DAY}&endDate=${end}`, /^endDate:/);
    await invalid('/recurring/account/modifications?startDate=2025-06-01&endDate=2026-03-09', /^endDate:/);
    await ok(`/recurring/account/details/list?startDate=${end - 31 * DAY}&endDate=${end}`);
    await invalid(`/recurring/account/details/list?startDate=${end - 32 * DAY}&endDate=${end}`, /^endDate: the date range must not exceed 1 month/);
    await invalid('/recurring/account/list?recurringAccountStatus=16', /^recurringAccountStatus:/);
  });

  it('customers: YYYY-MM-DD dates not after today, phone 10-11 digits', async () => {
    await ok('/customer?startDate=2026-01-01&endDate=2026-03-10&limit=5');
    await invalid('/customer?startDate=2026-03-11', /^startDate: must not be after today/);
    await invalid('/customer?phoneNumber=123456789', /^phoneNumber:/);
    await invalid('/customer?status=gone', /^status:/);
    await invalid('/sales-outcome/list?startDate=2026-03-11', /^startDate:/);
  });

  it('checks enums and identifiers', async () => {
    await invalid('/item?departmentName=Cars', /^departmentName:/);
    await ok('/item?departmentName=Recurring_Plan');
    await invalid('/transaction/type/boats', /^item_type:/);
    await invalid('/transaction/abc', /^trans_id:/);
    await invalid('/customer/12', /^customer_id:/);
    await invalid('/washbook/account/list?customerId=12', /^customerId:/);
    await invalid('/recurring/account/modifications?modifications=9', /^modifications:/);
  });

  it('answers 404 EntityNotFoundError for unknown entities', async () => {
    for (const p of ['/transaction/1:1', '/customer/5:5', '/employee/77777', '/employee/77777/clock-entries', '/recurring/account/1:1/detail', '/washbook/account/abc/detail', '/transaction/get-job-data?hash=0123456789abcdef0123456789abcdef']) {
      const r = await h.call(p);
      expect(r.status, p).toBe(404);
      expect(r.body.type).toBe('EntityNotFoundError');
    }
  });
});
